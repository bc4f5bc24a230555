import { describe, expect, it } from 'vitest';
import { parseClusterShards, parseClusterSlots } from '../../src/cluster-topology.js';
import { parseRedirection } from '../../src/redirection.js';

// Replies recorded from a real 3+3 cluster (redis-server 8.2.3) started by the test harness.
function node(id: string, port: number, role: string, health: string) {
  return Object.assign(Object.create(null), {
    id,
    port,
    ip: '127.0.0.1',
    endpoint: '127.0.0.1',
    role,
    'replication-offset': 0,
    health,
  });
}
const SHARDS_RESP3 = [
  Object.assign(Object.create(null), {
    slots: [5461, 10921],
    nodes: [node('m2', 43333, 'master', 'online'), node('r2', 37067, 'replica', 'loading')],
  }),
  Object.assign(Object.create(null), {
    slots: [0, 5460],
    nodes: [node('m1', 33239, 'master', 'online'), node('r1', 34287, 'replica', 'online')],
  }),
];
const SHARDS_RESP2 = [
  [
    'slots',
    [0, 5460],
    'nodes',
    [
      [
        'id',
        'm1',
        'port',
        33239,
        'ip',
        '127.0.0.1',
        'endpoint',
        '127.0.0.1',
        'role',
        'master',
        'health',
        'online',
      ],
    ],
  ],
];
const SLOTS = [
  [0, 5460, ['127.0.0.1', 33239, 'm1', {}], ['127.0.0.1', 34287, 'r1', {}]],
  [5461, 10921, ['127.0.0.1', 43333, 'm2', {}]],
  [10922, 12000, ['', 35563, 'm3', {}]],
  [12001, 16383, ['', 35563, 'm3', {}]],
];

describe('parseClusterShards', () => {
  // Recorded: a master killed after a manual failover made it master, once the old one took over.
  const promotedThenKilled = (order: 'dead last' | 'dead first') => {
    const live = node('m1', 35965, 'master', 'online');
    const dead = node('r1', 35365, 'master', 'fail');
    return [
      Object.assign(Object.create(null), {
        slots: [0, 5460],
        nodes: order === 'dead last' ? [live, dead] : [dead, live],
      }),
    ];
  };

  it.each(['dead last', 'dead first'] as const)(
    'takes the online master of a shard that still lists the failed one (%s)',
    (order) => {
      const [shard] = parseClusterShards(promotedThenKilled(order), 'x');
      expect(shard?.master).toMatchObject({ port: 35965, health: 'online' });
      expect(shard?.replicas).toEqual([]);
    },
  );

  it("reads the server's `fail` health as the documented `failed`", () => {
    const shards = parseClusterShards(
      [
        Object.assign(Object.create(null), {
          slots: [0, 5460],
          nodes: [node('m1', 35965, 'master', 'fail')],
        }),
      ],
      'x',
    );
    expect(shards[0]?.master.health).toBe('failed');
  });

  it('reads RESP3 maps: ranges, master, replicas with health', () => {
    const shards = parseClusterShards(SHARDS_RESP3, '10.0.0.1');
    expect(shards).toHaveLength(2);
    expect(shards[0]).toEqual({
      ranges: [[5461, 10921]],
      master: { host: '127.0.0.1', port: 43333, id: 'm2', role: 'master', health: 'online' },
      replicas: [{ host: '127.0.0.1', port: 37067, id: 'r2', role: 'replica', health: 'loading' }],
    });
  });

  it('reads RESP2 flat pairs the same way', () => {
    expect(parseClusterShards(SHARDS_RESP2, 'x')).toEqual([
      {
        ranges: [[0, 5460]],
        master: { host: '127.0.0.1', port: 33239, id: 'm1', role: 'master', health: 'online' },
        replicas: [],
      },
    ]);
  });

  it('refuses a reply of the wrong shape', () => {
    expect(() => parseClusterShards('nope', 'x')).toThrow();
    expect(() => parseClusterShards([{ slots: 1 }], 'x')).toThrow();
  });
});

describe('parseClusterSlots', () => {
  it('merges ranges per master and fills an empty host with the asked one', () => {
    const shards = parseClusterSlots(SLOTS, '10.0.0.9');
    expect(shards).toHaveLength(3);
    expect(shards[0]?.replicas.map((r) => r.port)).toEqual([34287]);
    expect(shards[2]?.master).toMatchObject({ host: '10.0.0.9', port: 35563 });
    expect(shards[2]?.ranges).toEqual([
      [10922, 12000],
      [12001, 16383],
    ]);
  });
});

describe('parseRedirection', () => {
  it('reads MOVED and ASK', () => {
    expect(parseRedirection('MOVED 12182 127.0.0.1:35563', 'h')).toEqual({
      kind: 'moved',
      slot: 12182,
      host: '127.0.0.1',
      port: 35563,
    });
    expect(parseRedirection('ASK 1 10.0.0.2:7000', 'h')).toEqual({
      kind: 'ask',
      slot: 1,
      host: '10.0.0.2',
      port: 7000,
    });
  });

  it('uses the asked host for an empty one and unwraps IPv6 brackets', () => {
    expect(parseRedirection('MOVED 3999 :6380', 'node-a')).toMatchObject({ host: 'node-a', port: 6380 });
    expect(parseRedirection('MOVED 3999 [::1]:6380', 'x')).toMatchObject({ host: '::1', port: 6380 });
  });

  it('refuses invalid slots, ports and other errors', () => {
    expect(parseRedirection('MOVED 16384 127.0.0.1:7000', 'h')).toBeUndefined();
    expect(parseRedirection('MOVED -1 127.0.0.1:7000', 'h')).toBeUndefined();
    expect(parseRedirection('MOVED 1 127.0.0.1:0', 'h')).toBeUndefined();
    expect(parseRedirection('MOVED 1 127.0.0.1', 'h')).toBeUndefined();
    expect(parseRedirection('WRONGTYPE nope', 'h')).toBeUndefined();
  });
});
