import { setTimeout as sleep } from 'node:timers/promises';
import { moveSlot, type RedisCluster, serverCommand, startCluster, waitFor } from '@fusedis/test-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterRouter, type ClusterShard, keySlot } from '../../src/index.js';

const KEY = [1];
let cluster: RedisCluster | undefined;
let router: ClusterRouter | undefined;

afterEach(async () => {
  await router?.close();
  await cluster?.stop();
  router = undefined;
  cluster = undefined;
});

interface WriterResult {
  readonly key: string;
  readonly acknowledged: number[];
  readonly errors: unknown[];
}

/** `count` writers, each RPUSHing 0, 1, 2… to its own list until `stop` is set. */
function startWriters(
  r: ClusterRouter,
  count: number,
  prefix: string,
  stop: { now: boolean },
  live: WriterResult[] = [],
): Promise<WriterResult[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, w) => {
      const key = `${prefix}:${w}`;
      const result: WriterResult = { key, acknowledged: [], errors: [] };
      live.push(result);
      for (let i = 0; !stop.now; i++) {
        try {
          await r.dispatch({ args: ['RPUSH', key, i], keyIndexes: KEY });
          result.acknowledged.push(i);
        } catch (err) {
          result.errors.push(err);
        }
      }
      return result;
    }),
  );
}

/** Reads each writer's list and counts values that appear more than once. */
async function duplicates(r: ClusterRouter, results: readonly WriterResult[]): Promise<number> {
  let duplicated = 0;
  for (const { key } of results) {
    const values = (await r.dispatch({ args: ['LRANGE', key, 0, -1], keyIndexes: KEY })) as string[];
    duplicated += values.length - new Set(values).size;
  }
  return duplicated;
}

function ownerOf(shards: readonly ClusterShard[], slot: number): ClusterShard {
  const shard = shards.find((s) => s.ranges.some(([a, b]) => slot >= a && slot <= b));
  if (shard === undefined) throw new Error(`no shard serves slot ${slot}`);
  return shard;
}

describe('ClusterRouter under faults (real cluster)', () => {
  it('reshards slots under 50 writers with 0 user-visible errors and 0 duplicates', async () => {
    cluster = await startCluster();
    router = new ClusterRouter({ seeds: cluster.seeds });
    const admin = router;
    await admin.connect();
    const stop = { now: false };
    const writers = startWriters(admin, 50, 'reshard', stop);
    await sleep(300);
    // Move the slots of ten writers' keys from their owner to another master, key by key.
    const slots = [...new Set(Array.from({ length: 10 }, (_, w) => keySlot(`reshard:${w}`)))];
    const masters = cluster.masters.map((m) => m.port);
    const keysIn = async (port: number, slot: number) =>
      (await admin.dispatchTo(
        { host: '127.0.0.1', port },
        { args: ['CLUSTER', 'GETKEYSINSLOT', slot, 100] },
      )) as string[];
    for (const slot of slots) {
      const from = ownerOf(admin.shards, slot);
      const to = admin.shards.find((s) => s !== from) as ClusterShard;
      await moveSlot(slot, from.master.port, to.master.port, masters, keysIn, { batch: 100, pauseMs: 20 });
    }
    await sleep(300);
    stop.now = true;
    const results = await writers;
    const errors = results.flatMap((r) => r.errors);
    expect(errors).toEqual([]);
    expect(await duplicates(admin, results)).toBe(0);
    // Every acknowledged write is there, in order.
    for (const result of results) {
      const values = (await admin.dispatch({
        args: ['LRANGE', result.key, 0, -1],
        keyIndexes: KEY,
      })) as string[];
      expect(values).toEqual(result.acknowledged.map(String));
    }
    expect(results.reduce((n, r) => n + r.acknowledged.length, 0)).toBeGreaterThan(500);
  }, 120_000);

  it('follows a manual failover (CLUSTER FAILOVER) and a killed master: all settle, none duplicated', async () => {
    cluster = await startCluster({ nodeTimeoutMs: 1_000 });
    router = new ClusterRouter({ seeds: cluster.seeds, refreshInterval: 1_000 });
    const r = router;
    await r.connect();
    const stop = { now: false };
    const live: WriterResult[] = [];
    const writers = startWriters(r, 50, 'failover', stop, live);
    // Transactions too: MOVED from a demoted master, CLUSTERDOWN, lost links; never half-run.
    const pairs = Array.from({ length: 10 }, (_, i) => [`{fo:tx:${i}}a`, `{fo:tx:${i}}b`] as const);
    const refused: unknown[] = [];
    const txErrors: unknown[] = [];
    const transactors = pairs.map(async ([a, b]) => {
      while (!stop.now) {
        try {
          const replies = await r.transaction(
            [a],
            [
              { args: ['MULTI'] },
              { args: ['INCR', a], keyIndexes: KEY },
              { args: ['INCR', b], keyIndexes: KEY },
              { args: ['EXEC'] },
            ],
          );
          if (!Array.isArray(replies.at(-1))) refused.push(replies.at(-1));
        } catch (err) {
          txErrors.push(err);
          await sleep(10);
        }
      }
    });
    await sleep(300);
    // A graceful, coordinated failover first.
    const replica = cluster.replicas[0];
    if (replica === undefined) throw new Error('no replica');
    await serverCommand(replica.port, 'CLUSTER', 'FAILOVER');
    await waitFor('the replica to become master', async () =>
      (await serverCommand(replica.port, 'INFO', 'replication')).includes('role:master'),
    );
    await sleep(500);
    // Then a hard crash of another master; its replica takes over after the node timeout.
    const victim = cluster.masters[1];
    if (victim === undefined) throw new Error('no master');
    const victimReplica = cluster.replicas[1];
    if (victimReplica === undefined) throw new Error('no replica');
    process.kill(victim.server.pid, 'SIGKILL');
    await waitFor(
      "the killed master's replica to take over",
      async () => (await serverCommand(victimReplica.port, 'INFO', 'replication')).includes('role:master'),
      30_000,
    );
    await cluster.waitHealthy();
    // Writes resume: every writer gets new acknowledgements after the failover.
    const acknowledgedAtFailover = live.map((w) => w.acknowledged.length);
    await sleep(1_500);
    expect(live).toHaveLength(50);
    for (const [i, w] of live.entries()) {
      expect(w.acknowledged.length).toBeGreaterThan(acknowledgedAtFailover[i] as number);
    }
    stop.now = true;
    const results = await writers;
    await Promise.all(transactors);
    expect(await duplicates(r, results)).toBe(0);
    // A transaction refused for its slot's sake went again to the new master: none refused.
    expect(refused).toEqual([]);
    for (const err of txErrors) expect(err).toHaveProperty('written');
    for (const [a, b] of pairs) {
      const [countA, countB] = (await r.dispatch({ args: ['MGET', a, b], keyIndexes: [1, 2] })) as string[];
      expect(countA).toBe(countB); // all or none, also across the failovers
      expect(Number(countA)).toBeGreaterThan(0);
    }
    // At most once: a write lost with the killed master's link may be rejected, never replayed.
    for (const result of results) {
      const values = (await r.dispatch({ args: ['LRANGE', result.key, 0, -1], keyIndexes: KEY })) as string[];
      // Every acknowledged write survived unless it was on the killed master and not yet replicated.
      for (const value of values) expect(Number.isInteger(Number(value))).toBe(true);
      // Every rejection says whether the command may have run.
      for (const err of result.errors) expect(err).toHaveProperty('written');
    }
    const after = await r.dispatch({ args: ['SET', 'after:failover', 'ok'], keyIndexes: KEY });
    expect(after).toBe('OK');
  }, 180_000);

  it('rides out a master restart (DEBUG RESTART) under load: writes resume, none duplicated', async () => {
    cluster = await startCluster({ nodeTimeoutMs: 5_000 });
    router = new ClusterRouter({ seeds: cluster.seeds });
    const r = router;
    await r.connect();
    const stop = { now: false };
    const live: WriterResult[] = [];
    const writers = startWriters(r, 20, 'restart', stop, live);
    await sleep(300);
    const master = cluster.masters[0];
    if (master === undefined) throw new Error('no master');
    // The restart drops every connection to the node; DEBUG RESTART re-executes the server in
    // place, keeping its port and its nodes.conf.
    const runId = async (): Promise<string | undefined> =>
      /run_id:(\w+)/.exec(await serverCommand(master.port, 'INFO', 'server'))?.[1];
    const before = await runId();
    await serverCommand(master.port, 'DEBUG', 'RESTART').catch(() => {});
    await waitFor(
      'the restarted node to answer',
      async () => (await serverCommand(master.port, 'PING')) === 'PONG',
    );
    await cluster.waitHealthy();
    expect(await runId()).not.toBe(before);
    const acknowledgedAtRestart = live.map((w) => w.acknowledged.length);
    await sleep(1_000);
    for (const [i, w] of live.entries())
      expect(w.acknowledged.length).toBeGreaterThan(acknowledgedAtRestart[i] as number);
    stop.now = true;
    const results = await writers;
    expect(await duplicates(r, results)).toBe(0);
    for (const result of results) for (const err of result.errors) expect(err).toHaveProperty('written');
  }, 120_000);
});
