import { setTimeout as sleep } from 'node:timers/promises';
import { type SentinelGroup, serverCommand, startSentinelGroup, waitFor } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createClient,
  TimeoutError,
  TopologyDiscoveryError,
  WatchError,
} from '../../src/index.js';
import { runReadmeBlock } from '../support/readme-block.js';

let group: SentinelGroup;
const opened: Client[] = [];

beforeAll(async () => {
  group = await startSentinelGroup({ replicas: 1, downAfterMs: 1_000 });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.quit()));
  await group?.stop();
});

function open(extra: { readFrom?: 'master' | 'replica' } = {}): Client {
  const client = createClient({
    sentinel: {
      sentinels: group.sentinelAddresses.map((a) => `${a.host}:${a.port}`),
      masterName: group.masterName,
      ...extra,
    },
  });
  opened.push(client);
  return client;
}

/** The port of the node the client's commands reach. */
async function portOf(client: Client): Promise<number> {
  const reply = (await client.call('CONFIG', 'GET', 'port')) as unknown;
  const values = Array.isArray(reply) ? reply : Object.values(reply as object);
  return Number(values[values.length - 1]);
}

describe('createClient({ sentinel }) on a master, a replica and 3 sentinels', () => {
  it("runs many multi() at once on the master's shared connection, while blocking commands hold its pool", async () => {
    const client = createClient({
      sentinel: {
        sentinels: group.sentinelAddresses.map((a) => `${a.host}:${a.port}`),
        masterName: group.masterName,
      },
      pool: { max: 2, acquireTimeout: 1_000 },
    });
    opened.push(client);
    const controller = new AbortController();
    const held = client.withOptions({ signal: controller.signal });
    const pops = [held.blpop('sn:busy:none:1', 0), held.blpop('sn:busy:none:2', 0)].map((pop) =>
      pop.catch((err: unknown) => err),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 500 }, () => client.multi().incr('sn:busy:n').get('sn:busy:n').exec()),
    );
    expect(performance.now() - started).toBeLessThan(900);
    for (const [[, counted], [, read]] of results as [[null, number], [null, string]][]) {
      expect(read).toBe(String(counted));
    }
    controller.abort();
    await Promise.all(pops);
    await client.del('sn:busy:n');
    await client.quit();
  });

  it('finds the master through the sentinels and runs commands of every kind', async () => {
    const client = open();
    expect(await portOf(client)).toBe(group.master.port);
    expect(client.status).toBe('ready');
    expect(await client.set('sn:k', 'v')).toBe('OK');
    expect(await client.get('sn:k')).toBe('v');
    expect(await client.mget('sn:k', 'sn:none')).toEqual(['v', null]);
    const results = await client.multi().incr('sn:n').incr('sn:n').exec();
    expect(results).toEqual([
      [null, 1],
      [null, 2],
    ]);
    const pipeline = client.pipeline();
    for (let i = 0; i < 1_000; i++) pipeline.rpush('sn:list', String(i));
    const replies = await pipeline.exec();
    expect(replies[999]).toEqual([null, 1_000]);
    const keys: string[] = [];
    for await (const key of client.scanIterator({ match: 'sn:*' })) keys.push(String(key));
    expect(keys.sort()).toEqual(['sn:k', 'sn:list', 'sn:n']);
    const got: string[] = [];
    await client.subscribe('sn:ch', (message) => got.push(message));
    expect(await client.publish('sn:ch', 'hello')).toBe(1);
    await waitFor('the message', async () => got.length === 1, 5_000);
    expect(got).toEqual(['hello']);
    await client.unsubscribe('sn:ch');
    expect(await client.del('sn:k', 'sn:n', 'sn:list')).toBe(3);
  }, 30_000);

  it('gives the master and its replica as clients of their own with nodes()', async () => {
    const client = open();
    const [master, ...rest] = await client.nodes('master');
    expect(rest).toEqual([]);
    if (master === undefined) throw new Error('no master');
    expect(await portOf(master)).toBe(group.master.port);
    let replicas: Client[] = [];
    await waitFor('the sentinels to list the replica', async () => {
      replicas = await client.nodes('slave');
      return replicas.length === 1;
    });
    const [replica] = replicas;
    if (replica === undefined) throw new Error('no replica');
    expect(await portOf(replica)).toBe(group.replicas[0]?.port);
    await master.set('sn:nodes', 'v');
    await master.call('WAIT', 1, 5_000);
    expect(await replica.get('sn:nodes')).toBe('v');
    expect(await client.nodes()).toHaveLength(2);
    await master.del('sn:nodes');
  });

  it('takes nothing for a timed-out BLPOP on the master', async () => {
    const client = open();
    const key = 'sn:blpop:cancel';
    await client.del(key);
    await expect(client.withOptions({ timeout: 100 }).blpop([key], 0)).rejects.toBeInstanceOf(TimeoutError);
    await client.rpush(key, 'kept'); // before, the master often still had the BLPOP, which took it
    expect(await client.lrange(key, 0, -1)).toEqual(['kept']);
    await client.del(key);
  });

  it('takes nothing for a timed-out pipeline holding a BLPOP on the master', async () => {
    const client = open();
    const key = 'sn:pipe:cancel';
    await client.del(key);
    const sent = client.pipeline().set('sn:pipe:set', '1').blpop([key], 0).exec({ timeout: 100 });
    await expect(sent).rejects.toBeInstanceOf(TimeoutError);
    await client.rpush(key, 'kept'); // before, the master often still had the BLPOP, which took it
    expect(await client.lrange(key, 0, -1)).toEqual(['kept']);
    await client.del(key, 'sn:pipe:set');
  });

  it('takes nothing for an aborted BLPOP in a watch() scope on the master', async () => {
    const client = open();
    const key = 'sn:watch:cancel';
    await client.del(key);
    const controller = new AbortController();
    const run = client.watch(key, (scope) => scope.blpop([key], 0), { signal: controller.signal });
    await sleep(100);
    controller.abort(new Error('stop the scope'));
    await expect(run).rejects.toThrow('stop the scope');
    await client.rpush(key, 'kept'); // before, the scope's connection was dropped, often still blocked
    expect(await client.lrange(key, 0, -1)).toEqual(['kept']);
    await client.del(key);
  });

  it('runs a pipeline holding a BLPOP on a dedicated connection: the shared one keeps serving', async () => {
    const client = open();
    await client.set('sn:pipe:k', 'v');
    const started = performance.now();
    const blocked = client.pipeline().blpop(['sn:pipe:none'], 1).exec();
    await sleep(50); // written, and blocking
    expect(await client.get('sn:pipe:k')).toBe('v');
    expect(performance.now() - started).toBeLessThan(500); // before, it waited out the BLPOP
    expect(await blocked).toEqual([[null, null]]);
    await client.del('sn:pipe:k');
  });

  it('follows SENTINEL FAILOVER under load: writes resume, 0 pending promises, none duplicated', async () => {
    const client = open();
    const first = await portOf(client);
    const heard: string[] = [];
    await client.subscribe('sn:failover', (message) => heard.push(message));
    const stop = { now: false };
    let pending = 0;
    let acknowledged = 0;
    const errors: unknown[] = [];
    const keys = Array.from({ length: 20 }, (_, i) => `sn:w:${i}`);
    const writers = keys.map(async (key) => {
      for (let i = 0; !stop.now; i++) {
        pending++;
        try {
          await client.rpush(key, String(i));
          acknowledged++;
        } catch (err) {
          errors.push(err);
          await sleep(10);
        } finally {
          pending--;
        }
      }
    });
    // Transactions too: a demoted master refuses their writes (READONLY, then EXECABORT: none ran).
    const pairs = Array.from({ length: 5 }, (_, i) => [`{sn:tx:${i}}a`, `{sn:tx:${i}}b`] as const);
    const transactors = pairs.map(async ([a, b]) => {
      while (!stop.now) {
        pending++;
        try {
          await client.multi().incr(a).incr(b).exec();
        } catch (err) {
          errors.push(err);
          await sleep(10);
        } finally {
          pending--;
        }
      }
    });
    // And compare-and-set loops (`watch`), a counter each: none may count an increment twice, so
    // a counter never exceeds the increments that succeeded or failed unsure (`written`). Writes
    // the old master acknowledges after the replica's promotion are lost with it; the client stops
    // writing there when the failover's leader announces the replica (`+selected-slave`), not a
    // second later with `+switch-master`, so at most the few in flight then are lost (about a
    // second of increments, half of this test's, before it did).
    const counters = Array.from({ length: 3 }, (_, i) => ({ key: `sn:cas:${i}`, done: 0, unsure: 0 }));
    const casErrors: unknown[] = [];
    const casers = counters.map(async (counter) => {
      while (!stop.now) {
        pending++;
        try {
          await client.watch(
            counter.key,
            async (scope) => {
              const value = Number((await scope.get(counter.key)) ?? 0);
              return scope
                .multi()
                .set(counter.key, String(value + 1))
                .exec();
            },
            { retries: 3 },
          );
          counter.done++;
        } catch (err) {
          casErrors.push(err);
          if ((err as { written?: unknown }).written === true) counter.unsure++;
          await sleep(10);
        } finally {
          pending--;
        }
      }
    });
    await sleep(300);
    await serverCommand(group.sentinels[0]?.port as number, 'SENTINEL', 'FAILOVER', group.masterName);
    await waitFor(
      'the sentinels to name a new master',
      async () => (await group.currentMasterPort()) !== first,
      30_000,
    );
    const second = await group.currentMasterPort();
    await waitFor('the client to follow', async () => (await portOf(client)) === second, 15_000);
    const after = acknowledged;
    const casFollowed = await Promise.all(counters.map(async (c) => Number(await client.get(c.key))));
    const casAfter = counters.map((c) => c.done);
    await sleep(500);
    expect(acknowledged).toBeGreaterThan(after);
    for (const [i, counter] of counters.entries())
      expect(counter.done).toBeGreaterThan(casAfter[i] as number);
    // The subscription followed to the new master (the old one's connection was closed).
    await waitFor(
      'the subscription on the new master',
      async () => (await client.publish('sn:failover', 'x')) === 1,
      10_000,
    );
    await waitFor('the message', async () => heard.includes('x'), 5_000);
    expect(await client.publish('sn:failover', 'once')).toBe(1);
    await sleep(200);
    expect(heard.filter((m) => m === 'once')).toEqual(['once']);
    stop.now = true;
    await Promise.all([...writers, ...transactors, ...casers]);
    expect(pending).toBe(0);
    for (const err of casErrors) {
      // A changed key after every retry, or a lost link that says whether it wrote.
      if (!(err instanceof WatchError)) expect(err).toHaveProperty('written');
    }
    for (const [i, counter] of counters.entries()) {
      const value = Number(await client.get(counter.key));
      expect(value).toBeLessThanOrEqual(counter.done + counter.unsure);
      expect(value).toBeGreaterThanOrEqual(counter.done - Math.ceil(counter.done / 10));
      // One increment may have run before that read yet resolved after it: counted twice here.
      const since = counter.done - (casAfter[i] as number);
      expect(value).toBeGreaterThanOrEqual((casFollowed[i] as number) + since - 1);
      await client.del(counter.key);
    }
    // At most once: a failure is one the client could not know the outcome of, and says so.
    for (const err of errors) expect(err).toHaveProperty('written');
    for (const [a, b] of pairs) {
      const [countA, countB] = await client.mget(a, b);
      expect(countA).toBe(countB); // all or none
      expect(Number(countA)).toBeGreaterThan(0);
      await client.del(a, b);
    }
    for (const key of keys) {
      const values = await client.lrange(key, 0, -1);
      expect(values.length).toBe(new Set(values).size);
    }
    await client.del(...keys);
  }, 90_000);

  it('runs the README example', async () => {
    const [a] = group.sentinelAddresses;
    await runReadmeBlock('sentinel', (code) =>
      code
        .replace("'127.0.0.1:26379'", `'${a?.host}:${a?.port}'`)
        .replace("'mymaster'", `'${group.masterName}'`),
    );
  });
});

describe('createClient({ sentinel }) with passwords on the data nodes and the sentinels', () => {
  let secured: SentinelGroup | undefined;
  afterAll(async () => {
    await secured?.stop();
  });

  it('sends the data password to data nodes only and sentinelPassword to sentinels only', async () => {
    secured = await startSentinelGroup({ dataPassword: 'data-secret', sentinelPassword: 'sentinel-secret' });
    const sentinels = secured.sentinelAddresses;
    const good = createClient({
      password: 'data-secret',
      sentinel: { sentinels, masterName: secured.masterName, sentinelPassword: 'sentinel-secret' },
    });
    opened.push(good);
    expect(await good.set('sn:auth', 'ok')).toBe('OK');
    expect(await good.get('sn:auth')).toBe('ok');
    // Without the sentinels' password, discovery is refused (and the data password is not tried on them).
    const noSentinelPassword = createClient({
      password: 'data-secret',
      sentinel: { sentinels, masterName: secured.masterName },
    });
    opened.push(noSentinelPassword);
    const err = await noSentinelPassword.get('sn:auth').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TopologyDiscoveryError);
    expect(String(err)).not.toContain('data-secret');
    expect(await good.del('sn:auth')).toBe(1);
  }, 60_000);
});

describe("createClient({ sentinel }) when the master is demoted behind the sentinels' back", () => {
  const swapped: SentinelGroup[] = [];
  afterAll(async () => {
    await Promise.allSettled(swapped.map((g) => g.stop()));
  });

  /** A group of its own (its roles get swapped), its replica, and a client of it. */
  async function swappable(): Promise<{ g: SentinelGroup; replica: { port: number }; client: Client }> {
    const g = await startSentinelGroup();
    swapped.push(g);
    const [replica] = g.replicas;
    if (replica === undefined) throw new Error('the group has no replica');
    const client = createClient({ sentinel: { sentinels: g.sentinelAddresses, masterName: g.masterName } });
    opened.push(client);
    return { g, replica, client };
  }

  it('runs multi().exec() again, once, on the new master', async () => {
    const { g, replica, client } = await swappable();
    expect(await client.multi().set('sn:swap', '1').exec()).toEqual([[null, 'OK']]);
    expect(await portOf(client)).toBe(g.master.port);
    await g.command(g.master.port, 'WAIT', 1, 5_000);
    await g.swapRoles(replica.port);
    const exec = client.multi().incr('sn:swap').exec();
    await g.pointSentinelsAt(replica.port);
    // READONLY then EXECABORT on the demoted node: nothing ran there; it ran once, on the new master.
    expect(await exec).toEqual([[null, 2]]);
    expect(await g.command(replica.port, 'GET', 'sn:swap')).toBe('2');
  }, 60_000);

  it('runs a watch() scope again on the new master; its transaction runs once', async () => {
    const { g, replica, client } = await swappable();
    await client.set('sn:watched', '1');
    await g.command(g.master.port, 'WAIT', 1, 5_000);
    const seen: string[] = [];
    const result = await client.watch('sn:watched', async (scope) => {
      const value = await scope.get('sn:watched');
      seen.push(String(value));
      // The first run's node is demoted between its read and its transaction.
      if (seen.length === 1) {
        await g.swapRoles(replica.port);
        await g.pointSentinelsAt(replica.port);
      }
      return scope
        .multi()
        .set('sn:watched', String(Number(value) + 1))
        .exec();
    });
    // The demoted node refused the SET (READONLY, then EXECABORT: nothing ran there); the scope ran
    // again, on the new master, without `retries`.
    expect(result).toEqual([[null, 'OK']]);
    expect(seen).toEqual(['1', '1']);
    expect(await g.command(replica.port, 'GET', 'sn:watched')).toBe('2');
  }, 60_000);
});
