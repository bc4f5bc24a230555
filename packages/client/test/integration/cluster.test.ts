import { inspect } from 'node:util';
import { keySlot } from '@fusedis/router';
import { masterServing, moveSlot, type RedisCluster, startCluster } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  ConnectionClosedError,
  CrossSlotError,
  createClient,
  InvalidArgumentError,
  type ReplyError,
  UnsupportedByRouterError,
  WatchError,
  type WatchScope,
} from '../../src/index.js';
import { keysInSlot } from '../support/node-keys.js';
import { runReadmeBlock } from '../support/readme-block.js';

let cluster: RedisCluster;
let client: Client;
const opened: Client[] = [];
const base = `cl:${process.pid}`;

/** Keys that land in many different slots (and so on every master). */
function spread(name: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${base}:${name}:${i}`);
}

beforeAll(async () => {
  cluster = await startCluster();
  client = createClient({ cluster: { seeds: cluster.seeds.map((s) => `redis://${s.host}:${s.port}`) } });
  opened.push(client);
  await client.connect();
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.quit()));
  await cluster?.stop();
});

describe('createClient({ cluster }) on a real 3+3 cluster', () => {
  it('connects from a comma-separated seed string and reports its state', async () => {
    const seeds = cluster.seeds.map((s) => `redis://${s.host}:${s.port}`).join(',');
    const other = createClient({ cluster: { seeds } });
    opened.push(other);
    expect(other.status).toBe('wait');
    expect(await other.ping()).toBe('PONG');
    await other.connect();
    expect(other.status).toBe('ready');
    expect(other.offlineQueue).toEqual({ commands: 0, bytes: 0 });
    await other.quit();
    expect(other.status).toBe('end');
    await expect(other.get('x')).rejects.toThrow(/closed/);
    // connect() opens it again, with a new router (ioredis's and node-redis's clients do too).
    await other.connect();
    expect(other.status).toBe('ready');
    expect(await other.ping()).toBe('PONG');
    expect(await other.nodes('master')).toHaveLength(3);
    await other.quit();
  });

  it('runs a call of every command group with keys in many slots', async () => {
    const k = spread('groups', 12);
    const slots = new Set(k.map((key) => keySlot(key)));
    expect(slots.size).toBeGreaterThan(6);
    // strings, keys
    expect(await client.set(k[0] as string, 'v')).toBe('OK');
    expect(await client.get(k[0] as string)).toBe('v');
    expect(await client.incr(k[1] as string)).toBe(1);
    expect(await client.expire(k[0] as string, 100)).toBe(true);
    expect(await client.type(k[0] as string)).toBe('string');
    // hashes, lists, sets, sorted sets
    expect(await client.hset(k[2] as string, { a: '1', b: '2' })).toBe(2);
    expect({ ...(await client.hgetall(k[2] as string)) }).toEqual({ a: '1', b: '2' });
    expect(await client.lpush(k[3] as string, 'x', 'y')).toBe(2);
    expect(await client.lrange(k[3] as string, 0, -1)).toEqual(['y', 'x']);
    expect(await client.sadd(k[4] as string, 'm1', 'm2')).toBe(2);
    expect((await client.smembers(k[4] as string)).sort()).toEqual(['m1', 'm2']);
    expect(
      await client.zadd(k[5] as string, [
        [1, 'one'],
        [2, 'two'],
      ]),
    ).toBe(2);
    expect(await client.zrange(k[5] as string, 0, -1)).toEqual(['one', 'two']);
    // bitmaps, HyperLogLog, geo, streams
    expect(await client.setbit(k[6] as string, 7, 1)).toBe(0);
    expect(await client.bitcount(k[6] as string)).toBe(1);
    expect(await client.pfadd(k[7] as string, 'a', 'b', 'c')).toBe(true);
    expect(await client.pfcount(k[7] as string)).toBe(3);
    await client.geoadd(k[8] as string, [
      { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' },
      { longitude: 15.087269, latitude: 37.502669, member: 'Catania' },
    ]);
    expect(Math.round((await client.geodist(k[8] as string, 'Palermo', 'Catania', 'km')) ?? 0)).toBe(166);
    const id = await client.xadd(k[9] as string, '*', { f: 'v' });
    const entries = await client.xrange(k[9] as string, '-', '+');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.id).toBe(id);
    // pub/sub publish (no subscriber), scripting with keys, server (fanned out)
    expect(await client.publish(`${base}:nobody`, 'hi')).toBe(0);
    expect(await client.eval('return redis.call("GET", KEYS[1])', [k[0] as string])).toBe('v');
    const library = `#!lua name=cl${process.pid}\nredis.register_function('clget${process.pid}', function(keys) return redis.call('GET', keys[1]) end)`;
    expect(await client.functionLoad(library, { REPLACE: true })).toBe(`cl${process.pid}`);
    // The library was loaded on every master: FCALL works whatever slot its key is in.
    for (const key of k) await client.set(key, `fv:${key}`);
    for (const key of k) expect(await client.fcall(`clget${process.pid}`, [key])).toBe(`fv:${key}`);
    expect(await client.dbsize()).toBeGreaterThanOrEqual(k.length);
    expect(await client.ping()).toBe('PONG');
    expect(await client.del(...k)).toBe(k.length);
  });

  it('runs defineScript scripts on any slot: alone, in a pipeline and in a transaction', async () => {
    const script = client.defineScript({ lua: 'return redis.call("INCR", KEYS[1])', numberOfKeys: 1 });
    const keys = spread('script', 30);
    for (const key of keys) expect(await script.run(key)).toBe(1);
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.runScript(script, key);
    const replies = await pipeline.exec();
    expect(replies.map(([err, value]) => [err, value])).toEqual(keys.map(() => [null, 2]));
    const tagged = `{${base}:script}k`;
    expect(await client.multi().runScript(script, tagged).runScript(script, tagged).exec()).toEqual([
      [null, 1],
      [null, 2],
    ]);
    expect(await client.del(...keys, tagged)).toBe(keys.length + 1);
  });

  it('splits multi-key commands across slots: MSET, MGET, EXISTS, DEL', async () => {
    const keys = spread('multi-key', 50);
    const pairs = Object.fromEntries(keys.map((key, i) => [key, `v${i}`]));
    expect(await client.mset(pairs)).toBe('OK');
    expect(await client.mget(...keys, `${base}:missing`)).toEqual([...keys.map((_, i) => `v${i}`), null]);
    expect(await client.exists(...keys)).toBe(50);
    expect(await client.del(...keys)).toBe(50);
    expect(await client.exists(...keys)).toBe(0);
  });

  it('runs an explicit pipeline of 100,000 commands across slots, an error in place', async () => {
    const n = 100_000;
    const wrong = `${base}:pipe:wrongtype`;
    await client.hset(wrong, { f: 'v' });
    const pipeline = client.pipeline();
    for (let i = 0; i < n; i++) {
      if (i === n / 2) pipeline.incr(wrong);
      else pipeline.set(`${base}:pipe:${i}`, String(i));
    }
    const results = await pipeline.exec();
    expect(results).toHaveLength(n);
    const failed = results.flatMap(([err], i) => (err === null ? [] : [i]));
    expect(failed).toEqual([n / 2]);
    expect((results[n / 2]?.[0] as ReplyError | undefined)?.code).toBe('WRONGTYPE');
    expect(results[0]).toEqual([null, 'OK']);
    expect(results[n - 1]).toEqual([null, 'OK']);
    // Auto-pipelined concurrent GETs read them back, each from its slot's master.
    const gets = await Promise.all(
      Array.from({ length: 20_000 }, (_, i) => (i === n / 2 ? null : client.get(`${base}:pipe:${i}`))),
    );
    gets.forEach((value, i) => {
      if (i !== n / 2) expect(value).toBe(String(i));
    });
    const cleanup = client.pipeline();
    for (let i = 0; i < n; i++) cleanup.del(`${base}:pipe:${i}`);
    cleanup.del(wrong);
    const removed = await cleanup.exec();
    expect(removed.every(([err]) => err === null)).toBe(true);
  }, 60_000);

  it('routes call() by the keys its command table finds: no redirection needed, keys prefixed', async () => {
    const seeds = cluster.seeds.map((s) => `redis://${s.host}:${s.port}`);
    // One attempt only: a call sent to the wrong node fails with its MOVED reply.
    const direct = createClient({ cluster: { seeds, maxRedirections: 0 }, keyPrefix: `${base}:call:` });
    opened.push(direct);
    const keys = Array.from({ length: 24 }, (_, i) => `k${i}`);
    for (const key of keys) expect(await direct.call('SET', key, key)).toBe('OK');
    for (const key of keys) expect(await direct.call('GET', key)).toBe(key);
    // MGET across slots is split per slot, as the typed method is.
    expect(await direct.call('MGET', ...keys)).toEqual(keys);
    expect(await client.get(`${base}:call:k3`)).toBe('k3');
    expect(await direct.call('EVAL', 'return redis.call("GET", KEYS[1])', 1, 'k5')).toBe('k5');
    // ioredis's container commands route the same way (OBJECT ENCODING key, MEMORY USAGE key).
    for (const key of keys) expect(await direct.object('ENCODING', key)).toBe('embstr');
    for (const key of keys) expect(typeof (await direct.memory('USAGE', key))).toBe('number');
    await direct.quit();
  });

  it('runs multi() in one slot, and refuses keys across slots with CrossSlotError', async () => {
    const results = await client
      .multi()
      .set(`{${base}:tx}a`, '1')
      .incr(`{${base}:tx}b`)
      .get(`{${base}:tx}a`)
      .exec();
    expect(results).toEqual([
      [null, 'OK'],
      [null, 1],
      [null, '1'],
    ]);
    const a = `${base}:tx:x`;
    let b = `${base}:tx:y`;
    for (let i = 0; keySlot(b) === keySlot(a); i++) b = `${base}:tx:y${i}`;
    const err = await client
      .multi()
      .set(a, '1')
      .set(b, '2')
      .exec()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrossSlotError);
    expect(await client.exists(a, b)).toBe(0);
    await client.del(`{${base}:tx}a`, `{${base}:tx}b`);
  });

  it("runs many multi() at once on the node's shared connection, while blocking commands hold its pool", async () => {
    const other = createClient({
      cluster: { seeds: cluster.seeds.map((s) => `redis://${s.host}:${s.port}`) },
      pool: { max: 2, acquireTimeout: 1_000 },
    });
    opened.push(other);
    const tag = `{${base}:busy}`;
    const controller = new AbortController();
    const held = other.withOptions({ signal: controller.signal });
    // Both of the slot's node's pooled connections blocked, on keys of the same slot.
    const pops = [held.blpop(`${tag}none:1`, 0), held.blpop(`${tag}none:2`, 0)].map((pop) =>
      pop.catch((err: unknown) => err),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 500 }, () => other.multi().incr(`${tag}n`).get(`${tag}n`).exec()),
    );
    expect(performance.now() - started).toBeLessThan(900);
    for (const [[, counted], [, read]] of results as [[null, number], [null, string]][]) {
      expect(read).toBe(String(counted));
    }
    expect(Number(await other.get(`${tag}n`))).toBe(500);
    controller.abort();
    await Promise.all(pops);
    await other.del(`${tag}n`);
    await other.quit();
  });

  it('runs watch() on the watched keys’ node, WatchError when one changed', async () => {
    const key = `{${base}:w}k`;
    await client.set(key, '10');
    const done = await client.watch([key, `{${base}:w}other`], async (scope) => {
      const value = Number(await scope.get(key));
      return scope
        .multi()
        .set(key, String(value + 1))
        .exec();
    });
    expect(done).toEqual([[null, 'OK']]);
    expect(await client.get(key)).toBe('11');
    const err = await client
      .watch(key, async (scope) => {
        await client.set(key, '100');
        return scope.multi().set(key, '0').exec();
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WatchError);
    expect(await client.get(key)).toBe('100');
    await client.del(key);
  });

  it('follows a slot that moves under multi() and watch(): sent again, watched again, WatchError mid-scope', async () => {
    const key = `{${base}:moving}n`;
    const slot = keySlot(key);
    const masters = cluster.masters.map((m) => m.port);
    const owner = await masterServing(key, masters);
    const target = masters.find((port) => port !== owner) as number;
    // A client whose slot map only a redirection corrects: no periodic refresh.
    const stale = createClient({ cluster: { seeds: cluster.seeds, refreshInterval: 0 } });
    opened.push(stale);
    await stale.set(key, '0');

    await moveSlot(slot, owner, target, masters, keysInSlot);
    // The old owner refuses the queued INCRs (MOVED): the transaction goes again to the new one.
    expect(await stale.multi().incr(key).incr(key).exec()).toEqual([
      [null, 1],
      [null, 2],
    ]);

    await moveSlot(slot, target, owner, masters, keysInSlot);
    // The opening WATCH meets MOVED: fn has not run, so the scope opens again on the new owner.
    let runs = 0;
    const add = (n: number) => async (scope: WatchScope) => {
      runs++;
      const value = Number(await scope.get(key));
      return scope
        .multi()
        .set(key, String(value + n))
        .exec();
    };
    expect(await stale.watch(key, add(10))).toEqual([[null, 'OK']]);
    expect(runs).toBe(1);
    expect(await stale.get(key)).toBe('12');

    // The slot moves while fn runs: EXEC is refused (nothing ran) as a WatchError, and the retry
    // watches on the slot's new node.
    runs = 0;
    const firstRun: unknown[] = [];
    const moving = await stale.watch(
      key,
      async (scope) => {
        const value = Number(await scope.get(key));
        if (runs++ === 0) await moveSlot(slot, owner, target, masters, keysInSlot);
        return scope
          .multi()
          .set(key, String(value + 100))
          .exec()
          .catch((err: unknown) => {
            firstRun.push(err);
            throw err;
          });
      },
      { retries: 1 },
    );
    expect(moving).toEqual([[null, 'OK']]);
    expect(runs).toBe(2);
    expect(firstRun).toHaveLength(1);
    expect(firstRun[0]).toBeInstanceOf(WatchError);
    expect((firstRun[0] as WatchError).message).toMatch(/slot moved \((MOVED|ASK)\)/);
    expect(await stale.get(key)).toBe('112');
    await stale.del(key);
  });

  it('scanIterator visits every master: every key exactly once', async () => {
    const keys = spread('scan', 1_000);
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.set(key, '1');
    await pipeline.exec();
    const seen = new Map<string, number>();
    for await (const key of client.scanIterator({ match: `${base}:scan:*`, count: 100 })) {
      seen.set(String(key), (seen.get(String(key)) ?? 0) + 1);
    }
    expect(seen.size).toBe(keys.length);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(seen.keys())).toEqual(new Set(keys));
    expect(await client.del(...keys)).toBe(keys.length);
  });

  it("refuses wait() alone, which would count another master's writes; in a pipeline it follows the write", async () => {
    await expect(client.wait(1, 100)).rejects.toThrow(/^WAIT: on a cluster it must follow the writes/);
    const key = `${base}:wait`;
    expect(await client.pipeline().set(key, '1').wait(1, 2_000).exec()).toEqual([
      [null, 'OK'],
      [null, 1],
    ]);
  });

  it("refuses scan() itself, whose cursor would reach another master (it ended after one master's keys)", async () => {
    const refusal = /^SCAN: a cluster keeps one cursor per master.*scanIterator\(\)/;
    await expect(client.scan(0, { COUNT: 10 })).rejects.toThrow(refusal);
    await expect(client.call('SCAN', 0)).rejects.toThrow(refusal);
    const [[err]] = (await client.pipeline().scan(0).exec()) as [[Error | null, unknown]];
    expect(err?.message).toMatch(refusal);
    // Each node's own client scans as a standalone one does.
    const [first] = await client.nodes('master');
    expect((await first?.scan(0))?.cursor).toBeDefined();
  });

  it('delivers channel and sharded pub/sub messages (SSUBSCRIBE on the owning shard)', async () => {
    const subscriber = client.duplicate();
    opened.push(subscriber);
    const channels = spread('shard-ch', 6);
    const got: [string, string][] = [];
    await subscriber.ssubscribe(channels, (message, channel) => got.push([channel, message]));
    const plain: string[] = [];
    await subscriber.subscribe(`${base}:ch`, (message) => plain.push(message));
    for (const channel of channels) expect(await client.spublish(channel, `m:${channel}`)).toBe(1);
    // PUBLISH counts the receiving node's subscribers only; the message reaches every node.
    await client.publish(`${base}:ch`, 'broadcast');
    await waitUntil(() => got.length === channels.length && plain.length === 1);
    expect(new Map(got)).toEqual(new Map(channels.map((c) => [c, `m:${c}`])));
    expect(plain).toEqual(['broadcast']);
    await subscriber.sunsubscribe(channels);
    await subscriber.unsubscribe(`${base}:ch`);
    expect(await client.spublish(channels[0] as string, 'after')).toBe(0);
    await client.publish(`${base}:ch`, 'after');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(plain).toEqual(['broadcast']);
    expect(got).toHaveLength(channels.length);
    await subscriber.quit();
  });

  it('listens on a shard channel again on its new master after its slot moves', async () => {
    const subscriber = client.duplicate();
    opened.push(subscriber);
    const channel = `${base}:moving-channel`;
    const masters = cluster.masters.map((m) => m.port);
    const got: string[] = [];
    await subscriber.ssubscribe(channel, (message) => got.push(message));
    expect(await client.spublish(channel, 'before')).toBe(1);
    await client.set(`{${channel}}`, 'x'); // a key in the channel's slot, to find its master
    const from = await masterServing(`{${channel}}`, masters);
    const to = masters.find((port) => port !== from) as number;
    // The old master drops the subscription with the slot (a server-sent SUNSUBSCRIBE).
    await moveSlot(keySlot(channel), from, to, masters, keysInSlot);
    const deadline = Date.now() + 5_000;
    while ((await client.spublish(channel, 'probe')) !== 1) {
      if (Date.now() > deadline) throw new Error('no subscriber on the new master');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await client.spublish(channel, 'after')).toBe(1);
    await waitUntil(() => got.includes('after'));
    expect(got[0]).toBe('before');
    await client.del(`{${channel}}`);
    await subscriber.quit();
  });

  it('runs BLPOP on a per-node dedicated connection', async () => {
    const key = `${base}:blpop`;
    const popped = client.blpop([key], 5);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await client.rpush(key, 'item')).toBe(1);
    expect(await popped).toEqual({ key, element: 'item' });
  });

  it('takes nothing for an aborted BLPOP; one aborted as an element arrives leaves it in one place', async () => {
    const key = `${base}:blpop:cancel`;
    const controller = new AbortController();
    const reason = new Error('stop waiting');
    const aborted = client.withOptions({ signal: controller.signal }).blpop([key], 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await client.rpush(key, 'kept'); // before, the node often still had the BLPOP, which took it
    expect(await client.lrange(key, 0, -1)).toEqual(['kept']);
    await client.del(key);
    const late = new AbortController();
    const served = client.withOptions({ signal: late.signal }).blpop([key], 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pushed = client.rpush(key, 'served');
    late.abort(new Error('too late'));
    expect(await pushed).toBe(1);
    // Whichever reached the node first, the push or the unblock, the element is in one place.
    const popped = await served.then(
      (reply) => (reply === null ? [] : [reply.element]),
      () => [],
    );
    expect([...popped, ...(await client.lrange(key, 0, -1))]).toEqual(['served']);
    await client.del(key);
  });

  // A cluster sends each blocking command of a pipeline alone (`sendBlocking`), so this held before
  // the standalone and sentinel pipelines were fixed; it guards that path.
  it('takes nothing for an aborted pipeline holding a BLPOP', async () => {
    const key = `${base}:pipe:cancel`;
    await client.del(key);
    const controller = new AbortController();
    const reason = new Error('stop the pipeline');
    const sent = client
      .pipeline()
      .set(`${base}:pipe:set`, '1')
      .blpop([key], 0)
      .exec({ signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(reason);
    await expect(sent).rejects.toBe(reason);
    await client.rpush(key, 'kept');
    expect(await client.lrange(key, 0, -1)).toEqual(['kept']);
    await client.del(key, `${base}:pipe:set`);
  });

  it("takes nothing for an aborted BLPOP in a watch() scope (unblocked on the key's node)", async () => {
    const key = `${base}:watch:cancel`;
    await client.del(key);
    const controller = new AbortController();
    const reason = new Error('stop the scope');
    const run = client.watch(key, (scope) => scope.blpop([key], 0), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    await client.rpush(key, 'kept'); // before, the scope's connection was dropped, often still blocked
    expect(await client.lrange(key, 0, -1)).toEqual(['kept']);
    await client.del(key);
  });

  it('runs the README example', async () => {
    const [a, b] = cluster.seeds;
    await runReadmeBlock('cluster', (code) =>
      code
        .replace('redis://127.0.0.1:7000', `redis://${a?.host}:${a?.port}`)
        .replace('redis://127.0.0.1:7001', `redis://${b?.host}:${b?.port}`),
    );
  });
});

async function waitUntil(done: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('nodes() on a real 3+3 cluster (ioredis cluster.nodes())', () => {
  const seeds = (): string[] => cluster.seeds.map((s) => `redis://${s.host}:${s.port}`);

  /** The node clients of the master serving `key` and of another master (told apart by their INFO port). */
  async function nodeClientsFor(key: string): Promise<{ own: Client; other: Client }> {
    const ownerPort = await masterServing(
      key,
      cluster.masters.map((m) => m.port),
    );
    const masters = await client.nodes('master');
    const ports = await Promise.all(
      masters.map(async (n) => Number(/tcp_port:(\d+)/.exec(await n.info('server'))?.[1])),
    );
    const own = masters[ports.indexOf(ownerPort)];
    const other = masters[ports.findIndex((p) => p !== ownerPort)];
    if (own === undefined || other === undefined) throw new Error('masters missing');
    return { own, other };
  }

  it('gives one client per master and per replica, each talking to its server alone', async () => {
    const masters = await client.nodes('master');
    const replicas = await client.nodes('replica');
    expect(masters).toHaveLength(3);
    expect(await client.nodes('slave')).toHaveLength(replicas.length);
    expect(replicas).toHaveLength(3);
    expect(await client.nodes()).toHaveLength(6);
    const roles = await Promise.all([...masters, ...replicas].map((n) => n.sendCommand(['ROLE'])));
    expect(roles.map((r) => (r as unknown[])[0])).toEqual([
      ...Array(3).fill('master'),
      ...Array(3).fill('slave'),
    ]);
    const ports = await Promise.all(
      masters.map(async (n) => /tcp_port:(\d+)/.exec(await n.info('server'))?.[1]),
    );
    expect(new Set(ports).size).toBe(3);
    // Each says which node it is.
    expect(masters.map((n) => inspect(n))).toEqual(
      ports.map((port) => expect.stringContaining(`transport: 'router 127.0.0.1:${port}'`)),
    );
  });

  it("scans every master with the node's own SCAN, key prefix applied, and sums DBSIZE node by node", async () => {
    const prefix = `${base}:nodes:`;
    const prefixed = createClient({ cluster: { seeds: seeds() }, keyPrefix: prefix });
    opened.push(prefixed);
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    await prefixed.mset(Object.fromEntries(keys.map((k) => [k, k])));
    const seen: string[] = [];
    let total = 0;
    for (const node of await prefixed.nodes('master')) {
      for await (const key of node.scanIterator({ match: '*', count: 100 })) seen.push(String(key));
      total += await node.dbsize();
    }
    expect(seen.sort()).toEqual([...keys].sort()); // unprefixed, as the cluster client's own scan gives them
    expect(total).toBe(await prefixed.dbsize()); // the cluster client sums DBSIZE over the masters too
    await prefixed.del(...keys);
  });

  it('follows no redirection: a key of another master gets MOVED; pipelines and transactions run on the node', async () => {
    const key = `${base}:nodes:moved`;
    const { own, other } = await nodeClientsFor(key);
    expect(await own.set(key, 'v')).toBe('OK');
    const moved = await other.get(key).catch((err: unknown) => err);
    expect((moved as ReplyError).code).toBe('MOVED');
    expect(await own.pipeline().get(key).strlen(key).exec()).toEqual([
      [null, 'v'],
      [null, 1],
    ]);
    expect(await own.multi().append(key, 'w').get(key).exec()).toEqual([
      [null, 2],
      [null, 'vw'],
    ]);
    await own.del(key);
  });

  it("keeps the cluster client's options and defined commands, and ends with it", async () => {
    const other = createClient({ cluster: { seeds: seeds() }, returnBuffers: true });
    opened.push(other);
    other.defineCommand('echoArg', { numberOfKeys: 0, lua: 'return ARGV[1]' });
    const [node] = await other.withOptions({ timeout: 2_000 }).nodes('master');
    if (node === undefined) throw new Error('no master');
    expect(await node.echo('x')).toEqual(Buffer.from('x'));
    expect(await (node as unknown as { echoArg(a: string): Promise<unknown> }).echoArg('y')).toEqual(
      Buffer.from('y'),
    );
    await node.quit(); // closes nothing of the cluster client
    expect(await other.echo('still')).toEqual(Buffer.from('still'));
    const [second] = await other.nodes('master');
    await other.quit();
    const started = Date.now();
    await expect(second?.ping()).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(other.nodes()).rejects.toThrow(/closed/);
  });

  it("gets MOVED at once in a node's watch(), and refuses pub/sub on a node (its messages would be lost)", async () => {
    const key = `${base}:nodes:watch`;
    const { own, other } = await nodeClientsFor(key);
    const started = Date.now();
    const refused = await other
      .watch(key, (tx) => tx.multi().set(key, '1').exec())
      .catch((err: unknown) => err);
    expect((refused as ReplyError).code).toBe('MOVED');
    expect(Date.now() - started).toBeLessThan(1_000); // a cluster client waits for the slot map to settle, 10 times
    expect(await own.watch(key, (tx) => tx.multi().set(key, '1').exec())).toEqual([[null, 'OK']]);
    await own.del(key);
    await expect(Promise.resolve(own.subscribe(`${base}:nodes:ch`))).rejects.toBeInstanceOf(
      UnsupportedByRouterError,
    );
  });

  it('runs the README example', async () => {
    const [a] = cluster.seeds;
    await runReadmeBlock('cluster-nodes', (code) =>
      code.replace('redis://127.0.0.1:7000', `redis://${a?.host}:${a?.port}`),
    );
  });

  it('refuses a role it does not know', async () => {
    await expect(client.nodes('primary' as 'master')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
