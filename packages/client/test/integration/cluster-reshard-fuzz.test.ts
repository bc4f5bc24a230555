import { keySlot } from '@fusedis/router';
import { masterServing, moveSlot, type RedisCluster, startCluster } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient, WatchError } from '../../src/index.js';
import { keysInSlot } from '../support/node-keys.js';

// Random traffic — pushes, pipelines, MULTI/EXEC pairs, WATCH compare-and-set, BLPOP — while the slots
// it uses move between masters (MOVED once moved, ASK while their keys go across). Resharding is
// routine in a cluster: it must cost the user nothing. No error but a WatchError after the
// retries (a lost compare-and-set race), every acknowledged push exactly once, every
// transaction all or none, every compare-and-set counted once.

const { base: RUNS, runs } = fastCheckRuns(6);
const GROUPS = 4;
const FILLER = 24; // keys per group besides the counters: a migration takes several MIGRATEs

type Op = 'push' | 'pipeline' | 'multi' | 'cas' | 'read' | 'blocking';

interface Schedule {
  readonly ops: readonly Op[];
  readonly moving: number;
  readonly batch: number;
  readonly pauseMs: number;
  readonly protocol: 2 | 3;
  readonly autoPipelining: boolean;
}

const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  ops: fc.array(fc.constantFrom<Op>('push', 'pipeline', 'multi', 'cas', 'read', 'blocking'), {
    minLength: 20,
    maxLength: 60,
  }),
  moving: fc.integer({ min: 1, max: GROUPS }),
  batch: fc.integer({ min: 1, max: 8 }),
  pauseMs: fc.integer({ min: 0, max: 15 }),
  protocol: fc.constantFrom<2 | 3>(2, 3),
  autoPipelining: fc.boolean(),
});

let cluster: RedisCluster;
let admin: Client;
let masters: number[];
let run = 0;

beforeAll(async () => {
  cluster = await startCluster();
  masters = cluster.masters.map((m) => m.port);
  admin = createClient({ cluster: { seeds: cluster.seeds } });
}, 120_000);

afterAll(async () => {
  await admin?.quit();
  await cluster?.stop();
});

/** One group's keys: all in one slot (a hash tag), fresh for each schedule. */
function groupKeys(tag: string) {
  return {
    list: `{${tag}}list`,
    a: `{${tag}}a`,
    b: `{${tag}}b`,
    cas: `{${tag}}cas`,
    filler: Array.from({ length: FILLER }, (_, i) => `{${tag}}f${i}`),
  };
}

async function runSchedule(schedule: Schedule): Promise<void> {
  run++;
  const groups = Array.from({ length: GROUPS }, (_, g) => groupKeys(`rs:${process.pid}:${run}:${g}`));
  for (const keys of groups) {
    await admin.mset(Object.fromEntries(keys.filler.map((k) => [k, k])));
    await admin.mset({ [keys.a]: '0', [keys.b]: '0', [keys.cas]: '0' });
  }
  const client = createClient({
    cluster: { seeds: cluster.seeds },
    protocol: schedule.protocol,
    autoPipelining: schedule.autoPipelining,
  });
  const acked = groups.map(() => [] as string[]);
  const multis = new Array<number>(GROUPS).fill(0);
  const swaps = new Array<number>(GROUPS).fill(0);
  const unexpected: unknown[] = [];
  try {
    await client.connect();
    let moved = false;
    const migrations = (async () => {
      for (const keys of groups.slice(0, schedule.moving)) {
        const from = await masterServing(keys.a, masters);
        const to = masters[(masters.indexOf(from) + 1) % masters.length] as number;
        await moveSlot(keySlot(keys.a), from, to, masters, keysInSlot, {
          batch: schedule.batch,
          pauseMs: schedule.pauseMs,
        });
      }
    })().finally(() => {
      moved = true;
    });
    let count = 0;
    const runOp = async (op: Op): Promise<void> => {
      const i = count++;
      const g = i % GROUPS;
      const keys = groups[g] as ReturnType<typeof groupKeys>;
      const id = `id${i}`;
      try {
        if (op === 'push') {
          await client.rpush(keys.list, id);
          acked[g]?.push(id);
        } else if (op === 'pipeline') {
          const [pushed, read] = await client
            .pipeline()
            .rpush(keys.list, id)
            .get(keys.filler[i % FILLER] as string)
            .exec();
          if (pushed?.[0] !== null || read?.[0] !== null) unexpected.push(pushed?.[0] ?? read?.[0]);
          else acked[g]?.push(id);
          expect(read?.[1]).toBe(keys.filler[i % FILLER]);
        } else if (op === 'multi') {
          const results = await client.multi().incr(keys.a).incr(keys.b).exec();
          expect(results.map(([error]) => error)).toEqual([null, null]);
          multis[g] = (multis[g] ?? 0) + 1;
        } else if (op === 'cas') {
          await client.watch(
            keys.cas,
            async (scope) => {
              const value = Number(await scope.get(keys.cas));
              return scope
                .multi()
                .set(keys.cas, String(value + 1))
                .exec();
            },
            { retries: 50 },
          );
          swaps[g] = (swaps[g] ?? 0) + 1;
        } else if (op === 'blocking') {
          // On a pooled connection, redirected or not: times out empty-handed.
          expect(await client.blpop(`${keys.list}:empty`, 0.02)).toBeNull();
        } else {
          expect(await client.get(keys.filler[i % FILLER] as string)).toBe(keys.filler[i % FILLER]);
        }
      } catch (err) {
        if (!(op === 'cas' && err instanceof WatchError)) unexpected.push(err);
      }
    };
    // Four users loop over the schedule's ops until the last slot has moved.
    const user = async (): Promise<void> => {
      do for (const op of schedule.ops) if (!moved) await runOp(op);
      while (!moved);
    };
    await Promise.all([migrations, user(), user(), user(), user()]);
    expect(unexpected).toEqual([]);
    for (let g = 0; g < GROUPS; g++) {
      const keys = groups[g] as ReturnType<typeof groupKeys>;
      const list = (await admin.lrange(keys.list, 0, -1)) as string[];
      expect([...list].sort()).toEqual([...(acked[g] ?? [])].sort()); // each exactly once
      const [a, b, cas] = await admin.mget(keys.a, keys.b, keys.cas);
      expect([a, b]).toEqual([String(multis[g]), String(multis[g])]); // all or none
      expect(cas).toBe(String(swaps[g]));
    }
  } finally {
    await client.quit();
    for (const keys of groups) await admin.del(keys.list, keys.a, keys.b, keys.cas, ...keys.filler);
  }
}

describe('cluster client while slots move (fast-check, real cluster)', () => {
  it(
    `loses, doubles and refuses nothing while the slots it uses migrate (${RUNS} schedules)`,
    async () => {
      await fc.assert(fc.asyncProperty(scheduleArb, runSchedule), { ...runs(RUNS), endOnFailure: true });
    },
    120_000 + RUNS * 10_000,
  );
});
