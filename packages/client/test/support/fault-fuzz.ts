import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultProxy } from '@fusedis/test-harness';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  type Client,
  type ClientOptions,
  ConnectionClosedError,
  createClient,
  ExecAbortError,
  type PipelineResult,
  RedirectionLimitError,
  RespProtocolError,
  TimeoutError,
  TopologyDiscoveryError,
  WatchError,
} from '../../src/index.js';
import { anyFaultArb, type Fault, faultTargetArb, injectFault } from './inject-fault.js';
import { settleAll, track } from './settle.js';

// Random traffic (single commands, pipelines, transactions, blocking pops, some waiting forever
// until aborted, and aborts) through fault proxies that, between waves of it, reset the links,
// swallow or drip the replies, blackhole a link or send a byte no server sends. Whatever the
// schedule, the client must keep the promises of issue 3: every promise settles, a write runs at
// most once (exactly once when acknowledged, never when rejected as not written), a reply reaches
// only its own command, a transaction runs whole or not at all, and every rejection is a typed
// error that says whether it was written.
// The keys live in GROUPS hash-tagged groups (one slot each on a cluster): a transaction stays
// in one group, everything else mixes them.

/** Key groups: `{fz<g>}` hash tags, so a group is one cluster slot. */
export const GROUPS = 3;
/** Known values per group the reads must return: a misdelivered reply shows as another's. */
export const PROBES = 4;

const probeKey = (group: number, probe: number): string => `{fz${group}}:probe:${probe}`;
const probeValue = (group: number, probe: number): string => `probe-${group}-${probe}`;
/** A value of many chunks (a reply cut by every fault), and a list long enough for `auto` to decode natively. */
const bigKey = (group: number): string => `{fz${group}}:big`;
const BIG_VALUES = Array.from({ length: GROUPS }, (_, group) => `big-${group}-`.repeat(16_384)); // 96 KiB
const bigValue = (group: number): string => BIG_VALUES[group] as string;
const rangeKey = (group: number): string => `{fz${group}}:range`;
const RANGE_ITEMS = 5_000;
const rangeItem = (group: number, i: number): string => `item-${group}-${String(i).padStart(24, '0')}`;

type Part =
  | { readonly kind: 'push'; readonly group: number }
  | { readonly kind: 'read'; readonly group: number; readonly probe: number };
/** A pipeline's parts: a BLPOP of an always-empty list too, of 10 ms, or forever when the pipeline is aborted. */
type PipelinePart = Part | { readonly kind: 'block'; readonly group: number };
type Op =
  | Part
  /** A push or read whose AbortSignal fires `after` ms later. */
  | { readonly kind: 'aborted'; readonly part: Part; readonly after: number }
  /** BLPOP of an always-empty list (10 ms), on a pooled connection of its own. */
  /** A BLPOP of an empty list: of 10 ms, or, with `abortAfter`, forever and aborted then. */
  | { readonly kind: 'blocking'; readonly group: number; readonly abortAfter: number | null }
  /** Lets I/O run between two commands of a wave. */
  | { readonly kind: 'pause'; readonly ms: number }
  /** `abortAfter`: its `exec()`'s AbortSignal fires that many ms later. */
  | { readonly kind: 'pipeline'; readonly parts: readonly PipelinePart[]; readonly abortAfter: number | null }
  /** A transaction: its parts all in `group`. */
  | {
      readonly kind: 'multi';
      readonly group: number;
      readonly parts: readonly Part[];
      readonly abortAfter: number | null;
    }
  /** SCAN (MATCH a group's probes, COUNT 2: several steps) to the end: every probe is seen. */
  | { readonly kind: 'scan'; readonly group: number }
  /** GET of a 96 KiB value, or LRANGE of a 5,000-item list: replies long enough to be cut. */
  /**
   * A compare-and-set: WATCH the group's counter, GET it, then MULTI SET counter+1 and RPUSH an id
   * (retried on WatchError). The counter must end equal to the number of such ids in the list.
   */
  | { readonly kind: 'cas'; readonly group: number }
  | { readonly kind: 'big'; readonly group: number }
  | { readonly kind: 'range'; readonly group: number };

interface Wave {
  readonly ops: readonly Op[];
  readonly fault: Fault;
  /** Which proxy the fault hits (an index), or every one. */
  readonly target: number | 'all';
  /** Milliseconds the fault lasts before the link is reset or passes again. */
  readonly hold: number;
}

export interface FaultScenario {
  readonly autoPipelining: boolean;
  readonly protocol: 2 | 3;
  readonly replayIdempotent: boolean;
  /** Short ones time commands out while their replies drip in: the late replies must go nowhere. */
  readonly commandTimeout: number;
  readonly waves: readonly Wave[];
}

/** The client settings a scenario chose. */
export type ScenarioSettings = Omit<FaultScenario, 'waves'>;

const groupArb = fc.nat(GROUPS - 1);
const partIn = (group: fc.Arbitrary<number>): fc.Arbitrary<Part> =>
  fc.oneof(
    fc.record({ kind: fc.constant('push' as const), group }),
    fc.record({ kind: fc.constant('read' as const), group, probe: fc.nat(PROBES - 1) }),
  );
const partArb = partIn(groupArb);
/** Mostly no abort; sometimes one a few ms after `exec()`. */
const abortAfterArb = fc.option(fc.integer({ min: 0, max: 5 }), { freq: 4 });
const multiArb: fc.Arbitrary<Op> = groupArb.chain((group) =>
  fc.record({
    kind: fc.constant('multi' as const),
    group: fc.constant(group),
    parts: fc.array(partIn(fc.constant(group)), { minLength: 1, maxLength: 6 }),
    abortAfter: abortAfterArb,
  }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: partArb },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('aborted' as const),
      part: partArb,
      after: fc.integer({ min: 0, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('blocking' as const),
      group: groupArb,
      abortAfter: abortAfterArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 4 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pipeline' as const),
      parts: fc.array(
        fc.oneof(
          { weight: 12, arbitrary: partArb },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant('block' as const), group: groupArb }) },
        ),
        { minLength: 1, maxLength: 30 },
      ),
      abortAfter: abortAfterArb,
    }),
  },
  { weight: 1, arbitrary: multiArb },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('scan' as const), group: groupArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cas' as const), group: groupArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('big' as const), group: groupArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('range' as const), group: groupArb }) },
);

/** Scenarios over `proxies` fault proxies (a fault hits one of them, or all). */
export function faultScenarioArb(proxies: number): fc.Arbitrary<FaultScenario> {
  return fc.record({
    autoPipelining: fc.boolean(),
    protocol: fc.constantFrom(2 as const, 3 as const),
    replayIdempotent: fc.boolean(),
    commandTimeout: fc.constantFrom(3_000, 30, 10),
    waves: fc.array(
      fc.record({
        ops: fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fault: anyFaultArb,
        target: faultTargetArb(proxies),
        hold: fc.integer({ min: 0, max: 30 }),
      }),
      { minLength: 2, maxLength: 8 },
    ),
  });
}

/** Makes clients and keeps them, so a test closes every one, even after a schedule failed half-way. */
export function clientKeeper(): {
  readonly open: (options: ClientOptions) => Client;
  readonly closeAll: () => Promise<void>;
} {
  const opened: Client[] = [];
  return {
    open(options) {
      const client = createClient(options);
      opened.push(client);
      return client;
    },
    async closeAll() {
      await Promise.all(opened.splice(0).map((client) => client.disconnect()));
    },
  };
}

/** The client settings a schedule draws, ready to spread into `createClient`'s options. */
export interface ScheduleClientOptions {
  readonly protocol: 2 | 3;
  readonly autoPipelining: boolean;
  readonly replayIdempotent: boolean;
  readonly commandTimeout: number;
  readonly connectTimeout: number;
}

/**
 * Runs random schedules (`settings`: fast-check's `numRuns`, and a seed to replay) over
 * `proxies`; `connect` makes each schedule's client from its settings (and keeps it, to close).
 * Writes the probes the reads check first (through `admin`, which bypasses the proxies) and
 * deletes them after; fails when no fault reached a command (the run proved nothing).
 */
export async function checkFaultSchedules(
  proxies: readonly FaultProxy[],
  admin: Client,
  settings: { numRuns: number; seed?: number },
  connect: (options: ScheduleClientOptions) => Client,
): Promise<void> {
  let run = 0;
  const rejectedBefore = FAULT_STATS.rejected;
  await writeProbes(admin);
  try {
    await fc.assert(
      fc.asyncProperty(faultScenarioArb(proxies.length), async (scenario) => {
        const client = connect({
          protocol: scenario.protocol,
          autoPipelining: scenario.autoPipelining,
          replayIdempotent: scenario.replayIdempotent,
          commandTimeout: scenario.commandTimeout,
          connectTimeout: 1_000,
        });
        await runFaultScenario(scenario, proxies, admin, client, ++run);
      }),
      { ...settings, endOnFailure: true },
    );
  } finally {
    await deleteProbes(admin);
  }
  // The faults reached commands: ~8 typed rejections a schedule.
  expect(FAULT_STATS.rejected).toBeGreaterThan(rejectedBefore);
}

/** Typed rejections seen over all schedules (a run that saw none proved nothing). */
const FAULT_STATS = { rejected: 0 };

/** Writes the probes every read checks. */
async function writeProbes(admin: Client): Promise<void> {
  const all: Promise<unknown>[] = [];
  for (let g = 0; g < GROUPS; g++) {
    for (let p = 0; p < PROBES; p++) all.push(admin.set(probeKey(g, p), probeValue(g, p)));
    all.push(admin.set(bigKey(g), bigValue(g)));
    all.push(
      admin.del(rangeKey(g)).then(() =>
        admin.rpush(
          rangeKey(g),
          Array.from({ length: RANGE_ITEMS }, (_, i) => rangeItem(g, i)),
        ),
      ),
    );
  }
  await Promise.all(all);
}

async function deleteProbes(admin: Client): Promise<void> {
  const all: Promise<unknown>[] = [];
  for (let g = 0; g < GROUPS; g++) {
    for (let p = 0; p < PROBES; p++) all.push(admin.del(probeKey(g, p)));
    all.push(admin.del(bigKey(g)), admin.del(rangeKey(g)));
  }
  await Promise.all(all);
}

/**
 * A typed rejection that says whether its command was written; anything else fails the run.
 * A `RespProtocolError` (the 'garbage' fault) counts as written: on the shared connection only
 * written commands get it, and elsewhere treating it so only loosens the checks.
 */
function writtenOf(reason: unknown): boolean {
  FAULT_STATS.rejected++;
  if (reason instanceof RespProtocolError) return true;
  if (reason instanceof ExecAbortError) return false; // EXECABORT: the server discarded it all
  const typed = WRITTEN_SAYERS.some((type) => reason instanceof type);
  expect(typed, `untyped rejection: ${String(reason)}`).toBe(true);
  const written = (reason as { written: unknown }).written;
  expect(typeof written).toBe('boolean');
  return written as boolean;
}

/** The errors a lost or broken link may bring, each with its `written`. */
export const WRITTEN_SAYERS = [
  ConnectionClosedError,
  TimeoutError,
  RedirectionLimitError,
  TopologyDiscoveryError,
] as const;

/** One issued push: its list item, and its outcome. */
interface PushOutcome {
  readonly group: number;
  readonly id: string;
  /** 'ok' (acknowledged), 'not-written' (rejected before its bytes left), 'unknown' (may have run). */
  readonly state: 'ok' | 'not-written' | 'unknown';
}

/**
 * Runs one scenario: `client` (made with the scenario's settings, connected through `proxies`)
 * issues the waves while the faults hit; `admin` (direct) reads the lists back. `run` makes this
 * scenario's list names unique.
 */
export async function runFaultScenario(
  scenario: FaultScenario,
  proxies: readonly FaultProxy[],
  admin: Client,
  client: Client,
  run: number,
): Promise<void> {
  for (const proxy of proxies) proxy.setMode('pass');
  const listOf = (group: number): string => `{fz${group}}:list:${process.pid}:${run}`;
  const counterOf = (group: number): string => `{fz${group}}:counter:${process.pid}:${run}`;
  await Promise.all(Array.from({ length: GROUPS }, (_, g) => admin.del(listOf(g), counterOf(g))));
  client.on('error', () => {}); // connection errors are expected here; commands carry them
  let nextId = 0;
  // A failed check is kept, not thrown where it happens: the run ends only once every promise has
  // settled (a check thrown early would leave the others' failures unhandled).
  const problems: unknown[] = [];
  const guard = <T>(promise: Promise<T>): Promise<T | undefined> =>
    promise.catch((err: unknown) => {
      problems.push(err);
      return undefined;
    });
  const pushes: Promise<PushOutcome | undefined>[] = [];
  const checks: Promise<void>[] = [];
  const transactions: Promise<{ readonly group: number; readonly ids: readonly string[] } | undefined>[] = [];

  /** An abort's reason: a call it cancelled rejects with it (and may have run). */
  const aborted = new Error('aborted by the schedule');
  const stateOf = (r: PromiseSettledResult<unknown>): PushOutcome['state'] =>
    r.status === 'fulfilled' ? 'ok' : r.reason === aborted || writtenOf(r.reason) ? 'unknown' : 'not-written';
  const push = (group: number, signal?: AbortSignal): void => {
    const id = `${nextId++}`;
    const target = signal === undefined ? client : client.withOptions({ signal });
    pushes.push(
      guard(track(target.rpush(listOf(group), id)).then((r) => ({ group, id, state: stateOf(r) }))),
    );
  };
  const read = (group: number, probe: number, signal?: AbortSignal): void => {
    const target = signal === undefined ? client : client.withOptions({ signal });
    checks.push(
      guard(
        track(target.get(probeKey(group, probe))).then((r) => {
          if (r.status === 'fulfilled') expect(r.value).toBe(probeValue(group, probe));
          else if (r.reason !== aborted) writtenOf(r.reason);
        }),
      ),
    );
  };
  const abortIn = (ms: number): AbortSignal => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(aborted), ms);
    return controller.signal;
  };
  /** Queues `parts` on a pipeline or transaction; returns the ids its pushes carry, in order. */
  const fill = (
    target: {
      rpush(key: string, id: string): unknown;
      get(key: string): unknown;
      blpop?(keys: string[], seconds: number): unknown;
    },
    parts: readonly PipelinePart[],
    aborted = false,
  ): (string | undefined)[] =>
    parts.map((part) => {
      if (part.kind === 'read') {
        target.get(probeKey(part.group, part.probe));
        return undefined;
      }
      if (part.kind === 'block') {
        // Aborted, the pipeline waits until its abort (the element-loss race of a cancelled pipeline).
        target.blpop?.([`${listOf(part.group)}:empty`], aborted ? 0 : 0.01);
        return undefined;
      }
      const id = `${nextId++}`;
      target.rpush(listOf(part.group), id);
      return id;
    });
  /** Checks one batch's results: reads got their own probe, pushes say whether they ran. */
  const batchResults = (
    parts: readonly PipelinePart[],
    ids: readonly (string | undefined)[],
    results: PipelineResult[],
  ): void => {
    expect(results).toHaveLength(parts.length);
    parts.forEach((part, i) => {
      const [err, value] = results[i] as PipelineResult;
      if (part.kind === 'read' || part.kind === 'block') {
        // Nothing is ever pushed to a block part's list: its BLPOP can only come back empty.
        if (err === null)
          expect(value).toBe(part.kind === 'read' ? probeValue(part.group, part.probe) : null);
        else writtenOf(err);
        return;
      }
      const state = err === null ? 'ok' : writtenOf(err) ? 'unknown' : 'not-written';
      pushes.push(Promise.resolve({ group: part.group, id: ids[i] as string, state }));
    });
  };

  for (const wave of scenario.waves) {
    for (const op of wave.ops) {
      if (op.kind === 'push') push(op.group);
      else if (op.kind === 'read') read(op.group, op.probe);
      else if (op.kind === 'pause') await sleep(op.ms);
      else if (op.kind === 'blocking') {
        const empty = `${listOf(op.group)}:empty`;
        const popped =
          op.abortAfter === null
            ? client.blpop(empty, 0.01)
            : client.withOptions({ signal: abortIn(op.abortAfter) }).blpop(empty, 0);
        checks.push(
          guard(
            track(popped).then((r) => {
              // Nothing is ever pushed there: a wait forever ends only by its abort (or a fault).
              if (r.status === 'fulfilled') expect(r.value).toBeNull();
              else if (r.reason !== aborted) writtenOf(r.reason);
            }),
          ),
        );
      } else if (op.kind === 'aborted') {
        const signal = abortIn(op.after);
        if (op.part.kind === 'push') push(op.part.group, signal);
        else read(op.part.group, op.part.probe, signal);
      } else if (op.kind === 'scan') checks.push(guard(scanProbes(client, op.group)));
      else if (op.kind === 'cas') {
        const { group } = op;
        const id = `c${nextId++}`;
        const counter = counterOf(group);
        const cas = client.watch(
          [counter],
          async (scope) => {
            const value = Number((await scope.get(counter)) ?? 0);
            return scope
              .multi()
              .set(counter, String(value + 1))
              .rpush(listOf(group), id)
              .exec();
          },
          { retries: 3 },
        );
        pushes.push(
          guard(
            track(cas).then((r): PushOutcome => {
              if (r.status === 'fulfilled') {
                expect(r.value.every(([err]) => err === null)).toBe(true);
                return { group, id, state: 'ok' };
              }
              // A WatchError: the last EXEC was refused (a watched key changed), nothing ran.
              if (r.reason instanceof WatchError) return { group, id, state: 'not-written' };
              return { group, id, state: writtenOf(r.reason) ? 'unknown' : 'not-written' };
            }),
          ),
        );
      } else if (op.kind === 'big' || op.kind === 'range') {
        const group = op.group;
        const reply: Promise<unknown> =
          op.kind === 'big' ? client.get(bigKey(group)) : client.lrange(rangeKey(group), 0, -1);
        checks.push(
          guard(
            track(reply).then((r) => {
              if (r.status === 'rejected') return void writtenOf(r.reason);
              if (op.kind === 'big')
                expect(r.value === bigValue(group), 'the big value came back changed').toBe(true);
              else {
                const items = r.value as string[];
                expect(items).toHaveLength(RANGE_ITEMS);
                expect(
                  items.every((item, i) => item === rangeItem(group, i)),
                  'the range came back changed',
                ).toBe(true);
              }
            }),
          ),
        );
      } else if (op.kind === 'pipeline') {
        const pipeline = client.pipeline();
        const ids = fill(pipeline, op.parts, op.abortAfter !== null);
        const options = op.abortAfter === null ? {} : { signal: abortIn(op.abortAfter) };
        checks.push(
          guard(
            track(pipeline.exec(options)).then((r) => {
              if (r.status === 'fulfilled') return batchResults(op.parts, ids, r.value);
              const state = r.reason === aborted || writtenOf(r.reason) ? 'unknown' : 'not-written';
              op.parts.forEach((part, i) => {
                if (part.kind === 'push')
                  pushes.push(Promise.resolve({ group: part.group, id: ids[i] as string, state }));
              });
            }),
          ),
        );
      } else {
        const tx = client.multi();
        const ids = fill(tx, op.parts);
        const pushed = ids.filter((id): id is string => id !== undefined);
        const options = op.abortAfter === null ? {} : { signal: abortIn(op.abortAfter) };
        transactions.push(
          guard(
            track(tx.exec(options)).then((r) => {
              if (r.status === 'fulfilled') {
                batchResults(op.parts, ids, r.value);
                return undefined;
              }
              if (r.reason !== aborted) writtenOf(r.reason);
              return { group: op.group, ids: pushed }; // all or none of them ran
            }),
          ),
        );
      }
    }
    const targets = wave.target === 'all' ? proxies : [proxies[wave.target] as FaultProxy];
    await injectFault(targets, wave.fault, wave.hold, {
      quiet: () => settleAll<unknown>([...pushes, ...checks, ...transactions], 30_000),
      stall: (ms) => admin.call('DEBUG', 'SLEEP', String(ms / 1000)),
    });
  }
  for (const proxy of proxies) proxy.setMode('pass');

  // Every promise settles (a pending one fails the run after 30 s); batches add their pushes'
  // outcomes as they settle, so the pushes are counted last...
  await settleAll(checks, 30_000);
  const undecided = await settleAll(transactions, 30_000);
  const outcomes = (await settleAll(pushes, 30_000)).filter((o): o is PushOutcome => o !== undefined);
  if (problems.length > 0) throw problems[0];
  // ...and the client still serves.
  expect(await pingOnceLinkIsBack(client)).toBe('PONG');
  await client.quit();

  for (let group = 0; group < GROUPS; group++) {
    const items = (await admin.lrange(listOf(group), 0, -1)) as string[];
    const counter = Number((await admin.get(counterOf(group))) ?? 0);
    await admin.del(listOf(group), counterOf(group));
    // Each compare-and-set that ran added one to the counter and its id to the list, atomically,
    // and none ran on a stale value (that would leave the counter short of the ids).
    expect(counter, 'compare-and-set updates lost or torn').toBe(
      items.filter((item) => item.startsWith('c')).length,
    );
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
    const issued = new Set([
      ...outcomes.filter((o) => o.group === group).map((o) => o.id),
      ...undecided.flatMap((tx) => (tx?.group === group ? tx.ids : [])),
    ]);
    for (const [item, count] of counts) {
      expect(count, `pushed ${count} times: ${item}`).toBe(1);
      expect(issued.has(item), `never issued to group ${group}: ${item}`).toBe(true);
    }
    for (const { id, state } of outcomes.filter((o) => o.group === group)) {
      if (state === 'ok') expect(counts.get(id), `acknowledged but missing: ${id}`).toBe(1);
      if (state === 'not-written')
        expect(counts.has(id), `ran though rejected as not written: ${id}`).toBe(false);
    }
    for (const tx of undecided) {
      if (tx?.group !== group) continue;
      const ran = tx.ids.filter((id) => counts.has(id)).length;
      expect([0, tx.ids.length], `a transaction ran in part: ${ran} of ${tx.ids.length}`).toContain(ran);
    }
  }
}

/** Scans a group's probes in steps of ~2: if the scan ends, it saw every probe (at least once). */
async function scanProbes(client: Client, group: number): Promise<void> {
  const seen = new Set<string>();
  try {
    for await (const key of client.scanIterator({ match: `{fz${group}}:probe:*`, count: 2 }))
      seen.add(String(key));
  } catch (err) {
    writtenOf(err);
    return;
  }
  expect([...seen].sort()).toEqual(Array.from({ length: PROBES }, (_, p) => probeKey(group, p)).sort());
}

/** A PING written just before the last reset may be refused (not replayed when replay is off). */
async function pingOnceLinkIsBack(client: Client): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const r = await track(client.withOptions({ timeout: 5_000 }).ping());
    if (r.status === 'fulfilled' || attempt === 3) return r.status === 'fulfilled' ? r.value : r.reason;
    writtenOf(r.reason);
  }
}
