import { createJsDecoder, encodeCommand, encodePipeline } from '@fusedis/resp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byteByByte, decodeEvents, RawConnection, standalone, uniqueKey } from './raw-connection.js';

/** Puts a small hash, list, set and sorted set under fresh keys, on a connection of either protocol. */
async function seed(conn: RawConnection): Promise<{ hash: string; list: string; set: string; zset: string }> {
  const keys = {
    hash: uniqueKey('hash'),
    list: uniqueKey('list'),
    set: uniqueKey('set'),
    zset: uniqueKey('zset'),
  };
  await conn.request(
    encodePipeline([
      ['HSET', keys.hash, 'f1', 'v1', 'f2', 'v2'],
      ['RPUSH', keys.list, 'a', 'b', 'c'],
      ['SADD', keys.set, 'x', 'y'],
      ['ZADD', keys.zset, 1.5, 'm', 'inf', 'top', '-inf', 'bottom'],
    ]),
    4,
  );
  return keys;
}

describe('RESP2 replies from a real server', () => {
  let conn: RawConnection;
  beforeEach(async () => {
    conn = await RawConnection.open();
  });
  afterEach(async () => {
    await conn.close();
  });

  it('decodes simple strings, integers, bulk strings, nulls and arrays', async () => {
    const keys = await seed(conn);
    const missing = uniqueKey('missing');
    const replies = await conn.request(
      encodePipeline([
        ['PING'],
        ['ECHO', 'hello'],
        ['GET', missing],
        ['EXISTS', keys.list],
        ['LRANGE', keys.list, 0, -1],
        ['LRANGE', missing, 0, -1],
        ['MGET', keys.hash, missing],
        ['HGETALL', keys.hash],
        ['ZSCORE', keys.zset, 'm'],
        ['ZSCORE', keys.zset, 'top'],
        ['ZSCORE', keys.zset, missing],
        ['BLPOP', missing, 0.01],
      ]),
      12,
    );
    expect(replies.slice(0, 8)).toEqual([
      'PONG',
      'hello',
      null,
      1,
      ['a', 'b', 'c'],
      [],
      // MGET of a key of another type gives nil, not an error.
      [null, null],
      ['f1', 'v1', 'f2', 'v2'],
    ]);
    // RESP2 has no double: scores are bulk strings.
    expect(replies.slice(8)).toEqual(['1.5', 'inf', null, null]);
    // BLPOP timing out is the RESP2 null array.
    expect(conn.received().subarray(-5).toString()).toBe('*-1\r\n');
  });

  it('decodes SMEMBERS to an array', async () => {
    const keys = await seed(conn);
    const [members] = await conn.request(encodeCommand(['SMEMBERS', keys.set]));
    expect(Array.isArray(members)).toBe(true);
    expect((members as string[]).slice().sort()).toEqual(['x', 'y']);
  });
});

describe('RESP3 replies from a real server, after HELLO 3', () => {
  let conn: RawConnection;
  beforeEach(async () => {
    conn = await RawConnection.open();
  });
  afterEach(async () => {
    await conn.close();
  });

  it('answers HELLO 3 with a map describing the server', async () => {
    const [hello] = await conn.request(encodeCommand(['HELLO', 3]));
    expect(conn.received()[0]).toBe(0x25); // %
    expect(Object.getPrototypeOf(hello)).toBe(null);
    expect(hello).toMatchObject({
      server: 'redis',
      version: standalone().version,
      proto: 3,
      mode: 'standalone',
      role: 'master',
    });
    expect(typeof (hello as { id: unknown }).id).toBe('number');
  });

  it('decodes maps, sets, doubles (with inf and -inf) and nulls', async () => {
    await conn.request(encodeCommand(['HELLO', 3]));
    const keys = await seed(conn);
    const missing = uniqueKey('missing');
    const replies = await conn.request(
      encodePipeline([
        ['HGETALL', keys.hash],
        ['HGETALL', missing],
        ['ZSCORE', keys.zset, 'm'],
        ['ZSCORE', keys.zset, 'top'],
        ['ZSCORE', keys.zset, 'bottom'],
        ['ZSCORE', keys.zset, missing],
        ['ZRANGE', keys.zset, 0, -1, 'WITHSCORES'],
        ['GET', missing],
        ['BLPOP', missing, 0.01],
        ['CONFIG', 'GET', 'maxmemory'],
      ]),
      10,
    );
    expect(replies).toEqual([
      Object.assign(Object.create(null), { f1: 'v1', f2: 'v2' }),
      Object.create(null),
      1.5,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      null,
      [
        ['bottom', Number.NEGATIVE_INFINITY],
        ['m', 1.5],
        ['top', Number.POSITIVE_INFINITY],
      ],
      null,
      null,
      Object.assign(Object.create(null), { maxmemory: '0' }),
    ]);
    expect(Object.getPrototypeOf(replies[0])).toBe(null);
  });

  it('decodes SMEMBERS (a RESP3 set) to an array, or a Set with sets: "set"', async () => {
    await conn.request(encodeCommand(['HELLO', 3]));
    const keys = await seed(conn);
    conn.clear();
    const [members] = await conn.request(encodeCommand(['SMEMBERS', keys.set]));
    expect(conn.received()[0]).toBe(0x7e); // ~
    expect((members as string[]).slice().sort()).toEqual(['x', 'y']);
    expect(decodeEvents([conn.received()], { sets: 'set' })).toEqual([
      { kind: 'reply', value: new Set(members as string[]) },
    ]);
  });

  it('keeps a hash field named __proto__ as data, with no prototype change', async () => {
    await conn.request(encodeCommand(['HELLO', 3]));
    const key = uniqueKey('proto');
    await conn.request(encodeCommand(['HSET', key, '__proto__', 'polluted', 'constructor', 'x']));
    conn.clear();
    const [hash] = (await conn.request(encodeCommand(['HGETALL', key]))) as [Record<string, unknown>];
    expect(Object.getPrototypeOf(hash)).toBe(null);
    expect(Object.keys(hash).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(hash, '__proto__')?.value).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const [asMap] = decodeEvents([conn.received()], { maps: 'map' }).map((event) => event.value);
    expect(asMap).toEqual(
      new Map([
        ['__proto__', 'polluted'],
        ['constructor', 'x'],
      ]),
    );
  });

  it('delivers pub/sub messages to sink.push, asking the string mode with kind "push"', async () => {
    const subscriber = await RawConnection.open();
    const publisher = await RawConnection.open();
    try {
      await subscriber.request(encodeCommand(['HELLO', 3]));
      const channel = uniqueKey('channel');
      subscriber.write(encodeCommand(['SUBSCRIBE', channel]));
      await subscriber.waitForEvents(2);
      const [receivers] = await publisher.request(encodeCommand(['PUBLISH', channel, 'hello']));
      expect(receivers).toBe(1);
      await subscriber.waitForEvents(3);
      expect(subscriber.events.slice(1)).toEqual([
        { kind: 'push', value: ['subscribe', channel, 1] },
        { kind: 'push', value: ['message', channel, 'hello'] },
      ]);

      // The same bytes again, through a sink that records what stringMode() is asked.
      const kinds: string[] = [];
      const pushes: unknown[] = [];
      const decoder = createJsDecoder({
        reply: () => {},
        push: (value) => pushes.push(value),
        error: (err) => {
          throw err;
        },
        stringMode: (kind) => {
          kinds.push(kind);
          return kind === 'push' ? 'buffer' : 'utf8';
        },
      });
      decoder.feed(subscriber.received());
      expect(kinds).toEqual(['reply', 'push', 'push']);
      expect(pushes).toEqual([
        [Buffer.from('subscribe'), Buffer.from(channel), 1],
        [Buffer.from('message'), Buffer.from(channel), Buffer.from('hello')],
      ]);
    } finally {
      await subscriber.close();
      await publisher.close();
    }
  });

  it('decodes a mixed RESP3 session identically whole, byte by byte and split at every offset', async () => {
    await conn.request(encodeCommand(['HELLO', 3]));
    const keys = await seed(conn);
    conn.clear();
    await conn.request(
      encodePipeline([
        ['HGETALL', keys.hash],
        ['SMEMBERS', keys.set],
        ['ZRANGE', keys.zset, 0, -1, 'WITHSCORES'],
        ['LRANGE', keys.list, 0, -1],
        ['GET', uniqueKey('missing')],
        ['DEBUG', 'PROTOCOL', 'verbatim'],
        ['DEBUG', 'PROTOCOL', 'bignum'],
        ['DEBUG', 'PROTOCOL', 'attrib'],
        ['LPUSH', keys.hash, 'wrong'],
      ]),
      9,
    );
    const live = conn.events.slice();
    const wire = conn.received();
    expect(decodeEvents([wire])).toEqual(live);
    expect(decodeEvents(byteByByte(wire))).toEqual(live);
    for (let at = 1; at < wire.length; at++) {
      expect(decodeEvents([wire.subarray(0, at), wire.subarray(at)]), `split at byte ${at}`).toEqual(live);
    }
  });
});
