import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientCore } from '../../src/client.js';
import { type Client, InvalidArgumentError } from '../../src/index.js';
import { createPipeline } from '../../src/pipeline.js';
import { hscanIterator, scanIterator, sscanIterator, zscanIterator } from '../../src/scan-iterator.js';
import { standaloneClients } from '../support/standalone-clients.js';

const open = standaloneClients('all');

describe.each([2, 3] as const)('scan iterators over RESP%i', (protocol) => {
  // A unique prefix: other tests' keys share the server.
  const unique = `scan:${protocol}:${process.pid}:${Date.now()}:`;
  let client: Client;

  beforeAll(async () => {
    client = open(protocol);
    const pipeline = createPipeline(clientCore(client));
    for (let i = 0; i < 1000; i++) pipeline.set(`${unique}k${i}`, String(i));
    for (let i = 0; i < 300; i++) pipeline.hset(`${unique}hash`, { [`f${i}`]: `v${i}` });
    for (let i = 0; i < 300; i++) pipeline.sadd(`${unique}set`, `m${i}`);
    for (let i = 0; i < 300; i++) pipeline.zadd(`${unique}zset`, { score: i / 2, value: `z${i}` });
    const results = await pipeline.exec();
    expect(results.filter(([e]) => e !== null)).toEqual([]);
  });

  it('scanIterator yields every matching key exactly once', async () => {
    const seen = new Map<string, number>();
    for await (const key of scanIterator(clientCore(client), { match: `${unique}k*`, count: 100 })) {
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(1000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.has(`${unique}k999`)).toBe(true);
  });

  it('scanIterator with a key prefix: MATCH gets it, yielded keys lose it', async () => {
    const prefixed = open(protocol, unique);
    const keys: string[] = [];
    for await (const key of scanIterator(clientCore(prefixed), { match: 'k1*', type: 'string', count: 200 }))
      keys.push(key);
    // k1, k10–k19, k100–k199
    expect(keys.sort()).toEqual(
      [
        'k1',
        ...Array.from({ length: 10 }, (_, i) => `k1${i}`),
        ...Array.from({ length: 100 }, (_, i) => `k1${String(i).padStart(2, '0')}`),
      ].sort(),
    );
    let count = 0;
    for await (const key of scanIterator(clientCore(prefixed), { count: 500 })) {
      expect(key.startsWith(unique)).toBe(false);
      count++;
    }
    expect(count).toBe(1003);
  });

  it('TYPE filters by type', async () => {
    const keys: string[] = [];
    for await (const key of scanIterator(clientCore(client), {
      match: `${unique}*`,
      type: 'zset',
      count: 1000,
    })) {
      keys.push(key);
    }
    expect(keys).toEqual([`${unique}zset`]);
  });

  it('hscanIterator yields [field, value] entries', async () => {
    const entries = new Map<string, string>();
    for await (const [field, value] of hscanIterator(clientCore(client), `${unique}hash`, { count: 50 })) {
      expect(entries.has(field)).toBe(false);
      entries.set(field, value);
    }
    expect(entries.size).toBe(300);
    expect(entries.get('f7')).toBe('v7');
  });

  it('sscanIterator yields members, Buffers when asked', async () => {
    const members = new Set<string>();
    for await (const member of sscanIterator(clientCore(client), `${unique}set`, { returnBuffers: true })) {
      expect(Buffer.isBuffer(member)).toBe(true);
      members.add(member.toString());
    }
    expect(members.size).toBe(300);
  });

  it('zscanIterator yields { value, score }', async () => {
    const scores = new Map<string, number>();
    for await (const { value, score } of zscanIterator(clientCore(client), `${unique}zset`, {
      match: 'z1*',
    })) {
      scores.set(value, score);
    }
    expect(scores.size).toBe(111);
    expect(scores.get('z11')).toBe(5.5);
  });

  it("ioredis's scanStream: one array of keys per SCAN step, every key once, unprefixed under a key prefix", async () => {
    const chunks: string[][] = [];
    const stream = client.scanStream({ match: `${unique}k*`, count: 100 });
    stream.on('data', (keys: string[]) => chunks.push(keys));
    await once(stream, 'end');
    expect(chunks.every(Array.isArray)).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    const keys = chunks.flat();
    expect(keys.length).toBe(1000);
    expect(new Set(keys).size).toBe(1000);
    const prefixed = open(protocol, unique);
    const unprefixed: string[] = [];
    for await (const batch of prefixed.scanStream({ match: 'k99*', count: 500 })) unprefixed.push(...batch);
    expect(unprefixed.sort()).toEqual(['k99', ...Array.from({ length: 10 }, (_, i) => `k99${i}`)].sort());
  });

  it("ioredis's hscanStream, sscanStream and zscanStream: flat arrays per step, as the server sends them", async () => {
    const flat = async (stream: AsyncIterable<unknown[]>): Promise<unknown[]> => {
      const all: unknown[] = [];
      for await (const chunk of stream) all.push(...chunk);
      return all;
    };
    const hash = await flat(client.hscanStream(`${unique}hash`, { count: 50 }));
    expect(hash.length).toBe(600);
    const fields = new Map<unknown, unknown>();
    for (let i = 0; i < hash.length; i += 2) fields.set(hash[i], hash[i + 1]);
    expect(fields.get('f7')).toBe('v7');
    expect(fields.size).toBe(300);
    const members = await flat(client.sscanStream(`${unique}set`, { match: 'm1*' }));
    expect(new Set(members)).toEqual(
      new Set(
        [
          1,
          ...Array.from({ length: 10 }, (_, i) => 10 + i),
          ...Array.from({ length: 100 }, (_, i) => 100 + i),
        ].map((n) => `m${n}`),
      ),
    );
    const scored = await flat(client.zscanStream(`${unique}zset`, { returnBuffers: true }));
    expect(scored.length).toBe(600);
    const z3 = scored.findIndex((v) => Buffer.isBuffer(v) && v.toString() === 'z3');
    expect(Number(String(scored[z3 + 1]))).toBe(1.5);
  });

  it("refuses an option the scans do not read (node-redis's MATCH would scan every key), naming the one meant", () => {
    const refusal = (call: () => unknown): string => {
      try {
        call();
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidArgumentError);
        return (err as Error).message;
      }
      return 'accepted';
    };
    const nodeRedisStyle = { MATCH: 'user:*', COUNT: 100 } as never;
    expect(refusal(() => client.scanIterator(nodeRedisStyle))).toBe(
      'scanIterator: unknown option MATCH (the option is match)',
    );
    expect(refusal(() => client.scanStream({ TYPE: 'hash' } as never))).toBe(
      'scanStream: unknown option TYPE (the option is type)',
    );
    expect(refusal(() => client.hscanIterator('h', { type: 'hash' } as never))).toBe(
      'hscanIterator: unknown option type (known: match, count, signal, returnBuffers)',
    );
    expect(refusal(() => client.zscanStream('z', 'match' as never))).toBe(
      'zscanStream: options must be an object',
    );
    expect(refusal(() => client.sscanIterator('s', { match: 'a*', count: 5 }))).toBe('accepted');
  });

  it('a scan stream destroyed early closes; a failed step is its error', async () => {
    const stream = client.scanStream({ match: `${unique}k*`, count: 10 });
    const [first] = (await once(stream, 'data')) as [string[]];
    expect(Array.isArray(first)).toBe(true);
    stream.destroy();
    await once(stream, 'close');
    const failing = client.hscanStream(`${unique}set`).resume();
    const [error] = (await once(failing, 'error')) as [Error];
    expect(error.message).toMatch(/^WRONGTYPE/);
  });

  it('stops at break without another SCAN step, and honours an aborted signal', async () => {
    let taken = 0;
    for await (const _ of scanIterator(clientCore(client), { match: `${unique}k*` })) {
      if (++taken === 3) break;
    }
    expect(taken).toBe(3);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const iterator = scanIterator(clientCore(client), { signal: controller.signal });
    await expect(iterator.next()).rejects.toThrow('stop');
  });
});
