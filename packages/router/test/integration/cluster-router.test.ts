import { ConnectionClosedError, InvalidOptionError } from '@fusedis/pool';
import { type Command, InvalidArgumentError, ReplyError } from '@fusedis/resp';
import {
  beginSlotMigration,
  cancelSlotMigration,
  type FaultProxy,
  moveSlot,
  type RedisCluster,
  serverCommand,
  startCluster,
  startFaultProxy,
} from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRouter, CrossSlotError, keySlot } from '../../src/index.js';
import { unblockOnceBlocked } from '../support/unblock-once-blocked.js';

let cluster: RedisCluster;
let router: ClusterRouter;

beforeAll(async () => {
  cluster = await startCluster();
  router = new ClusterRouter({ seeds: [cluster.seeds[0] as { host: string; port: number }] });
  await router.connect();
}, 120_000);

afterAll(async () => {
  await router?.close();
  await cluster?.stop();
});

const KEY = [1];

describe('ClusterRouter on a real 3+3 cluster', () => {
  it('discovers three shards with a replica each', () => {
    expect(router.shards).toHaveLength(3);
    expect(router.shards.every((shard) => shard.replicas.length === 1)).toBe(true);
  });

  it('computes the same slot as CLUSTER KEYSLOT for many random keys', async () => {
    const keys = Array.from(
      { length: 300 },
      (_, i) => `k:${i}:${Math.random().toString(36).slice(2)}{${i % 7 === 0 ? '' : 'x'}}é`,
    );
    const slots = await Promise.all(
      keys.map((key) => router.dispatch({ args: ['CLUSTER', 'KEYSLOT', key] })),
    );
    expect(slots).toEqual(keys.map((key) => keySlot(key)));
  });

  it('routes single-key commands by slot across all masters', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `route:${i}`);
    await Promise.all(keys.map((key) => router.dispatch({ args: ['SET', key, `v${key}`], keyIndexes: KEY })));
    const values = await Promise.all(
      keys.map((key) => router.dispatch({ args: ['GET', key], keyIndexes: KEY })),
    );
    expect(values).toEqual(keys.map((key) => `v${key}`));
    const perMaster = await Promise.all(cluster.masters.map((m) => serverCommand(m.port, 'DBSIZE')));
    expect(perMaster.every((n) => Number(n) > 0)).toBe(true);
  });

  it('splits MGET, MSET and DEL across slots and reassembles them in order', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `multi:${i}`);
    const msetArgs = ['MSET', ...keys.flatMap((key) => [key, `m-${key}`])];
    expect(await router.dispatch({ args: msetArgs, keyIndexes: keys.map((_, i) => 1 + 2 * i) })).toBe('OK');
    const values = await router.dispatch({ args: ['MGET', ...keys], keyIndexes: keys.map((_, i) => i + 1) });
    expect(values).toEqual(keys.map((key) => `m-${key}`));
    expect(await router.dispatch({ args: ['DEL', ...keys], keyIndexes: keys.map((_, i) => i + 1) })).toBe(
      100,
    );
  });

  it('refuses a cross-slot command it cannot split with CrossSlotError', async () => {
    await expect(router.dispatch({ args: ['RENAME', 'a', 'b'], keyIndexes: [1, 2] })).rejects.toBeInstanceOf(
      CrossSlotError,
    );
  });

  it('sums DBSIZE over every master', async () => {
    const perMaster = await Promise.all(cluster.masters.map((m) => serverCommand(m.port, 'DBSIZE')));
    expect(await router.dispatch({ args: ['DBSIZE'] })).toBe(perMaster.reduce((a, b) => a + Number(b), 0));
  });

  it('runs a cross-slot pipeline of 100,000 commands with results in order', async () => {
    const n = 100_000;
    const sets = Array.from({ length: n }, (_, i) => ({
      args: ['SET', `p:${i}`, String(i)],
      keyIndexes: KEY,
    }));
    const replies = await router.dispatchMany(sets);
    expect(replies.every((reply) => reply === 'OK')).toBe(true);
    const gets = Array.from({ length: n }, (_, i) => ({ args: ['GET', `p:${i}`], keyIndexes: KEY }));
    const values = await router.dispatchMany(gets);
    expect(values).toEqual(Array.from({ length: n }, (_, i) => String(i)));
  });

  it('keeps a reply error in place inside a pipeline', async () => {
    await router.dispatch({ args: ['SET', 'err:str', 'x'], keyIndexes: KEY });
    const replies = await router.dispatchMany([
      { args: ['SET', 'err:a', '1'], keyIndexes: KEY },
      { args: ['LPUSH', 'err:str', 'x'], keyIndexes: KEY },
      { args: ['GET', 'err:a'], keyIndexes: KEY },
    ]);
    expect(replies[0]).toBe('OK');
    expect(replies[1]).toBeInstanceOf(ReplyError);
    expect(replies[2]).toBe('1');
  });

  it('rejects an aborted pipeline with the signal’s reason, not with the reason in every place', async () => {
    const controller = new AbortController();
    const reason = new Error('the caller gave up');
    const cmds = Array.from({ length: 30_000 }, (_, i) => ({
      args: ['SET', `abort:${i}`, 'v'],
      keyIndexes: KEY,
    }));
    const sent = router.dispatchMany(cmds, { signal: controller.signal });
    controller.abort(reason);
    await expect(sent).rejects.toBe(reason);
    await expect(router.dispatchMany(cmds.slice(0, 1), { signal: controller.signal })).rejects.toBe(reason);
    expect(await router.dispatch({ args: ['SET', 'abort:after', 'ok'], keyIndexes: KEY })).toBe('OK');
  });

  it('runs MULTI/EXEC on a dedicated connection to the slot owner, and refuses keys across slots', async () => {
    const keys = ['{tx}a', '{tx}b'];
    const result = await router.withDedicated(keys, async (connection) =>
      connection.sendMany([
        { args: ['MULTI'] },
        { args: ['SET', '{tx}a', '1'], keyIndexes: KEY },
        { args: ['INCR', '{tx}b'], keyIndexes: KEY },
        { args: ['EXEC'] },
      ]),
    );
    expect(result[3]).toEqual(['OK', 1]);
    await expect(router.withDedicated(['a', 'b'], async () => 'never')).rejects.toBeInstanceOf(
      CrossSlotError,
    );
  });

  it('hands withDedicated the CLIENT UNBLOCK of the node it leases from (client ids are per server)', async () => {
    const nodes = new Set<unknown>();
    for (const key of ['{a}lease', '{b}lease', '{c}lease']) {
      const [unblocked, popped] = await router.withDedicated([key], async (connection, unblock) => {
        if (unblock === undefined || connection.clientId === undefined) throw new Error('no unblock offered');
        nodes.add(await connection.send({ args: ['CLUSTER', 'MYID'] }));
        const blocked = connection.send({
          args: ['BLPOP', key, 0],
          keyIndexes: [1],
          blocking: true,
          timeout: 0,
        });
        return [await unblockOnceBlocked(unblock, connection.clientId), await blocked];
      });
      expect(unblocked).toBe(1); // another node would answer 0: no client of that id blocked there
      expect(popped).toBeNull();
    }
    expect(nodes.size).toBe(3); // one key on each master
  });

  it('lists every master as a scan target, and a SCAN over them sees every key once', async () => {
    const prefix = `scan:${Date.now()}`;
    const keys = Array.from({ length: 500 }, (_, i) => `${prefix}:${i}`);
    await router.dispatchMany(keys.map((key) => ({ args: ['SET', key, '1'], keyIndexes: KEY })));
    const targets = await router.scanTargets();
    expect(targets).toHaveLength(3);
    const seen: string[] = [];
    for (const target of targets) {
      let cursor = '0';
      do {
        const [next, batch] = (await target.send({
          args: ['SCAN', cursor, 'MATCH', `${prefix}:*`, 'COUNT', 100],
        })) as [string, string[]];
        seen.push(...batch);
        cursor = next;
      } while (cursor !== '0');
    }
    expect(seen.sort()).toEqual([...keys].sort());
  });

  it('refuses a keyless SCAN, whose next cursor would reach another master, in dispatch and in place in dispatchMany', async () => {
    const refusal = /^SCAN: a cluster keeps one cursor per master/;
    const err = await router.dispatch({ args: ['scan', '0', 'COUNT', 10] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(refusal);
    const [set, scan, get] = await router.dispatchMany([
      { args: ['SET', 'scan:refused', '1'], keyIndexes: KEY },
      { args: ['SCAN', '0'] },
      { args: ['GET', 'scan:refused'], keyIndexes: KEY },
    ]);
    expect([set, get]).toEqual(['OK', '1']);
    expect(scan).toBeInstanceOf(InvalidArgumentError);
    // A key's own scans are routed by their key, as before.
    expect(await router.dispatch({ args: ['SSCAN', 'scan:set', '0'], keyIndexes: KEY })).toEqual(['0', []]);
  });

  it('sends a WAIT in a pipeline to the master of the write before it, and refuses one with no write to follow', async () => {
    const key = 'wait:k';
    const shard = shardOf(keySlot(key));
    const replica = cluster.replicas.find((node) => node.port === shard.replicas[0]?.port);
    if (replica === undefined) throw new Error('no replica for the key');
    const wait = { args: ['WAIT', 1, 300] };
    // In sync: the key's master counts its replica.
    expect(await router.dispatchMany([{ args: ['SET', key, '1'], keyIndexes: KEY }, wait])).toEqual([
      'OK',
      1,
    ]);
    // That replica stopped (SIGSTOP: connected, acknowledging nothing): only its master answers 0.
    process.kill(replica.server.pid, 'SIGSTOP');
    try {
      expect(await router.dispatchMany([{ args: ['SET', key, '2'], keyIndexes: KEY }, wait])).toEqual([
        'OK',
        0,
      ]);
    } finally {
      process.kill(replica.server.pid, 'SIGCONT');
    }
    const [alone] = await router.dispatchMany([wait, { args: ['GET', key], keyIndexes: KEY }]);
    expect(alone).toBeInstanceOf(InvalidArgumentError);
    const err = await router.dispatch(wait).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(
      /^WAIT: on a cluster it must follow the writes it waits for in one pipeline/,
    );
  });

  it('sends a blocking command redirected by ASK on a pooled connection, never on the shared one', async () => {
    const key = 'blocking:ask';
    const slot = keySlot(key);
    const { owner, other: target } = shardsOf(slot);
    // A key the target serves, read through the target's shared connection meanwhile.
    let probe = 'blocking:probe:0';
    for (let i = 1; !target.ranges.some(([a, b]) => keySlot(probe) >= a && keySlot(probe) <= b); i++)
      probe = `blocking:probe:${i}`;
    await router.dispatch({ args: ['SET', probe, 'here'], keyIndexes: KEY });
    await serverCommand(
      target.master.port,
      'CLUSTER',
      'SETSLOT',
      slot,
      'IMPORTING',
      owner.master.id as string,
    );
    await serverCommand(
      owner.master.port,
      'CLUSTER',
      'SETSLOT',
      slot,
      'MIGRATING',
      target.master.id as string,
    );
    try {
      // The key is not on the owner, so the owner answers ASK: the BLPOP goes on to the target.
      const blocked = router.dispatch({
        args: ['BLPOP', key, 1],
        keyIndexes: KEY,
        blocking: true,
        timeout: 0,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      expect(await router.dispatch({ args: ['GET', probe], keyIndexes: KEY })).toBe('here');
      // Answered at once, not after the BLPOP's second on the same connection.
      expect(performance.now() - started).toBeLessThan(500);
      expect(await blocked).toBeNull();
    } finally {
      await serverCommand(owner.master.port, 'CLUSTER', 'SETSLOT', slot, 'STABLE');
      await serverCommand(target.master.port, 'CLUSTER', 'SETSLOT', slot, 'STABLE');
    }
  });

  it('follows MOVED after a slot migrates, and ASK while it migrates', async () => {
    const key = 'migrating:key';
    const slot = keySlot(key);
    await router.dispatch({ args: ['SET', key, 'before'], keyIndexes: KEY });
    const { owner, other: target } = shardsOf(slot);
    const ownerId = owner.master.id as string;
    const targetId = target.master.id as string;
    await serverCommand(target.master.port, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', ownerId);
    await serverCommand(owner.master.port, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId);
    // While migrating: a key created now on the target side is reached through ASK.
    const fresh = `{${key}}:fresh`;
    expect(keySlot(fresh)).toBe(keySlot(key));
    await expect(router.dispatch({ args: ['SET', fresh, 'asked'], keyIndexes: KEY })).resolves.toBe('OK');
    expect(await router.dispatch({ args: ['GET', fresh], keyIndexes: KEY })).toBe('asked');
    // Move every key of the slot (earlier tests left some there too), then hand the slot over:
    // the target first, then the owner, then the others.
    for (;;) {
      const keys = (await router.dispatchTo(owner.master, {
        args: ['CLUSTER', 'GETKEYSINSLOT', slot, 1000],
      })) as string[];
      if (keys.length === 0) break;
      await router.dispatchTo(owner.master, {
        args: ['MIGRATE', '127.0.0.1', target.master.port, '', 0, 5000, 'KEYS', ...keys],
      });
    }
    await serverCommand(target.master.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', targetId);
    await serverCommand(owner.master.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', targetId);
    for (const node of cluster.masters) {
      if (node.port !== owner.master.port && node.port !== target.master.port) {
        await serverCommand(node.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', targetId);
      }
    }
    expect(await router.dispatch({ args: ['GET', key], keyIndexes: KEY })).toBe('before');
    expect(await router.dispatch({ args: ['GET', fresh], keyIndexes: KEY })).toBe('asked');
  });

  it('follows MOVED for SSUBSCRIBE and SUNSUBSCRIBE (the subscribe family, one command at a time)', async () => {
    const channel = 'moved:shard-channel';
    const slot = keySlot(channel);
    const { owner, other: target } = shardsOf(slot);
    // A router that learns nothing of the move below: its first command there meets MOVED.
    const stale = new ClusterRouter({ seeds: [owner.master], refreshInterval: 0 });
    try {
      await stale.connect();
      await handOver(slot, owner, target);
      await stale.dispatch({ args: ['SSUBSCRIBE', channel], keyIndexes: KEY });
      expect(await serverCommand(target.master.port, 'SPUBLISH', channel, 'hi')).toBe('1');
      await handOver(slot, target, owner); // the target drops the subscription with the slot
      await stale.dispatch({ args: ['SUNSUBSCRIBE', channel], keyIndexes: KEY });
      expect(await serverCommand(owner.master.port, 'SPUBLISH', channel, 'hi')).toBe('0');
    } finally {
      await stale.close();
    }
  });

  it('waits out two masters that name each other for a slot (MOVED back and forth), then runs the command', async () => {
    // A slot holding no key: its owner may hand it over at once.
    let key = 'ping-pong:0';
    for (let i = 1; ; i++) {
      const owner = shardOf(keySlot(key));
      if ((await serverCommand(owner.master.port, 'CLUSTER', 'COUNTKEYSINSLOT', keySlot(key))) === '0') break;
      key = `ping-pong:${i}`;
    }
    const slot = keySlot(key);
    const { owner, other } = shardsOf(slot);
    // The owner now names the other master, which still names the owner: MOVED, MOVED, MOVED…
    await serverCommand(owner.master.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', other.master.id as string);
    try {
      const set = router.dispatch({ args: ['SET', key, 'settled'], keyIndexes: KEY });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The owner takes the slot back: the command, still being retried, goes through.
      await serverCommand(owner.master.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', owner.master.id as string);
      expect(await set).toBe('OK');
      expect(await router.dispatch({ args: ['GET', key], keyIndexes: KEY })).toBe('settled');
    } finally {
      await serverCommand(owner.master.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', owner.master.id as string);
      await router.dispatch({ args: ['DEL', key], keyIndexes: KEY });
    }
  });

  it('sends a transaction again where its slot moved (MOVED), and after ASKING while it moves (ASK)', async () => {
    const key = '{tx-moved}counter';
    const slot = keySlot(key);
    const { owner, other: target } = shardsOf(slot);
    const stale = new ClusterRouter({ seeds: [owner.master], refreshInterval: 0 });
    const exec = (cmds: Command[]) =>
      stale.transaction([key], [{ args: ['MULTI'] }, ...cmds, { args: ['EXEC'] }]);
    try {
      await stale.connect();
      await router.dispatch({ args: ['SET', key, '1'], keyIndexes: KEY });
      await handOver(slot, owner, target);
      // The old owner refuses the queued INCR (MOVED) and EXEC (EXECABORT): sent again, it runs once.
      const moved = await exec([{ args: ['INCR', key], keyIndexes: KEY }]);
      expect(moved.at(-1)).toEqual([2]);
      // Now the slot moves back, slowly: a key not yet created is the importing node's (ASK).
      await beginSlotMigration(slot, target.master.port, owner.master.port);
      const fresh = '{tx-moved}fresh';
      try {
        const asked = await exec([
          { args: ['SET', fresh, 'new'], keyIndexes: KEY },
          { args: ['GET', fresh], keyIndexes: KEY },
        ]);
        expect(asked.at(-1)).toEqual(['OK', 'new']);
        expect(asked).toHaveLength(4); // the ASKING the router added is not among the replies
      } finally {
        await cancelSlotMigration(slot, target.master.port, owner.master.port);
      }
      // What the ASK wrote landed on the importing node: with the slot back, there it is.
      await handOver(slot, target, owner);
      expect(await router.dispatch({ args: ['MGET', key, fresh], keyIndexes: [1, 2] })).toEqual(['2', 'new']);
    } finally {
      await stale.close();
    }
  });
});

describe('ClusterRouter.nodes()', () => {
  it('lists the masters and replicas of the topology, each with a router that sends to that node alone', async () => {
    const shards = router.shards;
    const masters = await router.nodes('master');
    const replicas = await router.nodes('replica');
    const all = await router.nodes();
    expect(masters.map((n) => n.address.port).sort()).toEqual(shards.map((s) => s.master.port).sort());
    expect(replicas.map((n) => n.address.port).sort()).toEqual(
      shards.flatMap((s) => s.replicas.map((r) => r.port)).sort(),
    );
    expect(all).toHaveLength(masters.length + replicas.length);
    for (const node of all) {
      const role = (await node.router.dispatch({ args: ['ROLE'] })) as unknown[];
      expect(role[0]).toBe(node.role === 'master' ? 'master' : 'slave');
      const info = String(await node.router.dispatch({ args: ['INFO', 'server'] }));
      expect(info).toContain(`tcp_port:${node.address.port}`);
    }
  });

  it('follows no redirection: a key of another shard gets the MOVED error, its own shard answers', async () => {
    const key = `nodes:${process.pid}:moved`;
    const owner = shardOf(keySlot(key));
    const masters = await router.nodes('master');
    const own = masters.find((n) => n.address.port === owner.master.port);
    const other = masters.find((n) => n.address.port !== owner.master.port);
    if (own === undefined || other === undefined) throw new Error('masters missing');
    expect(await own.router.dispatch({ args: ['SET', key, 'v'] })).toBe('OK');
    const moved = await other.router.dispatch({ args: ['GET', key] }).catch((err: unknown) => err);
    expect(moved).toBeInstanceOf(ReplyError);
    expect((moved as ReplyError).code).toBe('MOVED');
    expect(await own.router.dispatchMany([{ args: ['GET', key] }, { args: ['DEL', key] }])).toEqual(['v', 1]);
  });

  it('reads on a replica (READONLY link) and shares the links: closing a node router closes nothing', async () => {
    const key = `nodes:${process.pid}:replica`;
    const owner = shardOf(keySlot(key));
    const master = (await router.nodes('master')).find((n) => n.address.port === owner.master.port);
    const replica = (await router.nodes('replica')).find((n) => n.address.port === owner.replicas[0]?.port);
    if (master === undefined || replica === undefined) throw new Error('nodes missing');
    await master.router.dispatch({ args: ['SET', key, 'copied'] });
    await master.router.dispatch({ args: ['WAIT', 1, 5_000] });
    expect(await replica.router.dispatch({ args: ['GET', key] })).toBe('copied');
    await replica.router.close();
    await expect(replica.router.dispatch({ args: ['GET', key] })).rejects.toThrow(/closed/);
    // The cluster router's own link to that replica and its master still serve.
    const again = (await router.nodes('replica')).find((n) => n.address.port === replica.address.port);
    expect(await again?.router.dispatch({ args: ['GET', key] })).toBe('copied');
    expect(await router.dispatch({ args: ['DEL', key], keyIndexes: [1] })).toBe(1);
  });

  it('rejects at once, without retries, once the cluster router that owns the links closes', async () => {
    const own = new ClusterRouter({ seeds: [cluster.seeds[0] as { host: string; port: number }] });
    const nodes = await own.nodes();
    expect(await nodes[0]?.router.dispatch({ args: ['PING'] })).toBe('PONG');
    await own.close();
    const started = Date.now();
    const results = await Promise.all(
      nodes.map((n) => n.router.dispatch({ args: ['PING'] }).catch((err: unknown) => err)),
    );
    expect(results.every((r) => r instanceof ConnectionClosedError)).toBe(true);
    // It says why, and what to do: ask for the nodes again.
    expect((results[0] as Error).message).toMatch(/closed its link .*ask for its nodes again/);
    expect(Date.now() - started).toBeLessThan(500); // the default retries would wait seconds
    await expect(own.nodes()).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe('ClusterRouter with NAT mapping', () => {
  it('reaches every node through the address natMap gives for what the cluster announces', async () => {
    // One proxy per node stands in for a NAT: the cluster announces 127.0.0.1:<node port>, the
    // client can only use 127.0.0.1:<proxy port>.
    const proxies = new Map<number, FaultProxy>();
    for (const node of cluster.nodes)
      proxies.set(node.port, await startFaultProxy({ host: node.host, port: node.port }));
    const viaProxy = (address: { host: string; port: number }) => {
      const proxy = proxies.get(address.port);
      return proxy === undefined ? address : { host: proxy.host, port: proxy.port };
    };
    const seed = viaProxy(cluster.seeds[0] as { host: string; port: number });
    const natRouter = new ClusterRouter({ seeds: [seed], natMap: viaProxy });
    try {
      const keys = Array.from({ length: 100 }, (_, i) => `nat:${i}`);
      await natRouter.dispatchMany(keys.map((key) => ({ args: ['SET', key, key], keyIndexes: KEY })));
      expect(
        await natRouter.dispatch({ args: ['MGET', ...keys], keyIndexes: keys.map((_, i) => i + 1) }),
      ).toEqual(keys);
      expect(
        natRouter.shards.every((shard) => [...proxies.values()].some((p) => p.port === shard.master.port)),
      ).toBe(true);
      for (const master of cluster.masters) expect(proxies.get(master.port)?.accepted).toBeGreaterThan(0);
    } finally {
      await natRouter.close();
      await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
    }
  });
});

describe('ClusterRouter with a wrong natMap', () => {
  it('rejects the command with an InvalidOptionError naming what natMap returned, not a connection error', async () => {
    const seed = cluster.seeds[0] as { host: string; port: number };
    const wrong = new ClusterRouter({
      seeds: [seed],
      // The seed maps to itself; every other node the cluster announces to a misspelt address.
      natMap: (address) =>
        address.port === seed.port ? address : ({ host: address.host, prot: address.port } as never),
    });
    try {
      const err = await wrong
        .dispatch({ args: ['GET', 'nat:wrong'], keyIndexes: KEY })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect((err as Error).message).toMatch(
        /^ClusterRouter: natMap returned an object with host, prot for 127\.0\.0\.1:\d+; it must return \{ host, port \}/,
      );
    } finally {
      await wrong.close();
    }
  });
});

type Shard = ClusterRouter['shards'][number];

function shardOf(slot: number): Shard {
  const shard = router.shards.find((s) => s.ranges.some(([a, b]) => slot >= a && slot <= b));
  if (shard === undefined) throw new Error(`no shard serves slot ${slot}`);
  return shard;
}

/** The shard serving `slot`, and another one to move it to. */
function shardsOf(slot: number): { owner: Shard; other: Shard } {
  const owner = shardOf(slot);
  const other = router.shards.find((s) => s !== owner);
  if (other === undefined) throw new Error('one shard only');
  return { owner, other };
}

/** Moves `slot`, keys and all, from one master to another, and tells every master. */
function handOver(slot: number, from: Shard, to: Shard): Promise<void> {
  return moveSlot(
    slot,
    from.master.port,
    to.master.port,
    cluster.masters.map((m) => m.port),
    keysIn,
  );
}

async function keysIn(port: number, slot: number): Promise<readonly string[]> {
  return (await router.dispatchTo(
    { host: '127.0.0.1', port },
    { args: ['CLUSTER', 'GETKEYSINSLOT', slot, 1000] },
  )) as string[];
}
