import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultProxy, startFaultProxy } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Client,
  ConnectionClosedError,
  createClient,
  type PipelineResult,
  RespProtocolError,
  TimeoutError,
} from '../../src/index.js';
import { settleAll, track } from '../support/settle.js';

// Random traffic (single commands, pipelines, transactions) through a fault proxy that, between
// waves of it, resets the links, swallows or drips the replies, blackholes the link or sends a
// byte no server sends. Whatever the schedule, the client must keep the promises of issue 3:
// every promise settles, a write runs at most once (exactly once when acknowledged, never when
// rejected as not written), a reply reaches only its own command, a transaction runs whole or
// not at all, and every rejection is a typed error that says whether its command was written.

const server = inject('servers').standalone;
const { base: RUNS, runs } = fastCheckRuns(20);

/** Known values the reads must return: a misdelivered reply shows as another probe's value. */
const PROBES = 6;
/** Typed rejections seen over all schedules. */
const STATS = { rejected: 0 };
/** Every schedule's client, closed at the end even when a schedule failed half-way. */
const opened: Client[] = [];

type Op =
  | { readonly kind: 'push' }
  | { readonly kind: 'read'; readonly probe: number }
  /** A push or read whose AbortSignal fires `after` ms later. */
  | { readonly kind: 'aborted'; readonly part: Part; readonly after: number }
  /** BLPOP of an always-empty list (10 ms), on a pooled connection of its own. */
  | { readonly kind: 'blocking' }
  /** Lets I/O run between two commands of a wave. */
  | { readonly kind: 'pause'; readonly ms: number }
  | { readonly kind: 'pipeline'; readonly parts: readonly Part[] }
  | { readonly kind: 'multi'; readonly parts: readonly Part[] };
type Part = { readonly kind: 'push' } | { readonly kind: 'read'; readonly probe: number };

/** What the proxy does after a wave is issued (and before the next one). */
type Fault = 'none' | 'reset' | 'swallow-then-reset' | 'blackhole-then-reset' | 'split' | 'garbage';

interface Wave {
  readonly ops: readonly Op[];
  readonly fault: Fault;
  /** Milliseconds the fault lasts before the link is reset or passes again. */
  readonly hold: number;
}

interface Scenario {
  readonly autoPipelining: boolean;
  readonly protocol: 2 | 3;
  readonly replayIdempotent: boolean;
  /** Short ones time commands out while their replies drip in: the late replies must go nowhere. */
  readonly commandTimeout: number;
  readonly waves: readonly Wave[];
}

const partArb: fc.Arbitrary<Part> = fc.oneof(
  fc.constant({ kind: 'push' as const }),
  fc.record({ kind: fc.constant('read' as const), probe: fc.nat(PROBES - 1) }),
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
  { weight: 1, arbitrary: fc.constant({ kind: 'blocking' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 4 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pipeline' as const),
      parts: fc.array(partArb, { minLength: 1, maxLength: 30 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('multi' as const),
      parts: fc.array(partArb, { minLength: 1, maxLength: 6 }),
    }),
  },
);
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  autoPipelining: fc.boolean(),
  protocol: fc.constantFrom(2 as const, 3 as const),
  replayIdempotent: fc.boolean(),
  commandTimeout: fc.constantFrom(3_000, 30, 10),
  waves: fc.array(
    fc.record({
      ops: fc.array(opArb, { minLength: 1, maxLength: 40 }),
      fault: fc.constantFrom<Fault>(
        'none',
        'reset',
        'swallow-then-reset',
        'blackhole-then-reset',
        'split',
        'garbage',
      ),
      hold: fc.integer({ min: 0, max: 30 }),
    }),
    { minLength: 2, maxLength: 8 },
  ),
});

/** One issued push: its id (its list item) and its outcome. */
interface PushOutcome {
  readonly id: string;
  /** 'ok' (acknowledged), 'not-written' (rejected before its bytes left), 'unknown' (may have run). */
  readonly state: 'ok' | 'not-written' | 'unknown';
}

/**
 * A typed rejection that says whether its command was written; anything else fails the run.
 * Counted in STATS. A `RespProtocolError` (the 'garbage' fault) reaches written commands only.
 */
function writtenOf(reason: unknown): boolean {
  STATS.rejected++;
  if (reason instanceof RespProtocolError) return true;
  const typed = reason instanceof ConnectionClosedError || reason instanceof TimeoutError;
  expect(typed, `untyped rejection: ${String(reason)}`).toBe(true);
  const written = (reason as ConnectionClosedError | TimeoutError).written;
  expect(typeof written).toBe('boolean');
  return written;
}

describe('client under random faults (fast-check, through a fault proxy)', () => {
  let proxy: FaultProxy;
  let admin: Client;
  beforeAll(async () => {
    proxy = await startFaultProxy({ host: server.host, port: server.port });
    admin = createClient({ host: server.host, port: server.port });
    await Promise.all(Array.from({ length: PROBES }, (_, i) => admin.set(`fuzz:probe:${i}`, `probe-${i}`)));
  });
  afterAll(async () => {
    await admin.del([...Array.from({ length: PROBES }, (_, i) => `fuzz:probe:${i}`)]);
    await Promise.all(opened.map((client) => client.disconnect()));
    await admin.quit();
    await proxy.close();
  });

  it(
    `keeps every promise, never doubles a write, never misdelivers a reply (${RUNS} schedules)`,
    async () => {
      let run = 0;
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', onUnhandled);
      try {
        await fc.assert(
          fc.asyncProperty(scenarioArb, async (scenario) => {
            run++;
            await runScenario(proxy, admin, scenario, `fuzz:list:${run}`);
          }),
          { ...runs(RUNS), endOnFailure: true },
        );
        // Rejections are reported a turn late: give them one.
        await sleep(10);
        expect(unhandled).toEqual([]);
        // The faults reached commands (else the run proved nothing): ~8 typed rejections a schedule.
        expect(STATS.rejected).toBeGreaterThan(0);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    },
    // ~80 ms a schedule here: room for slow machines and a raised FC_NUM_RUNS.
    Math.max(60_000, RUNS * 500),
  );
});

async function runScenario(
  proxy: FaultProxy,
  admin: Client,
  scenario: Scenario,
  list: string,
): Promise<void> {
  proxy.setMode('pass');
  await admin.del(list);
  const client = createClient({
    port: proxy.port,
    protocol: scenario.protocol,
    autoPipelining: scenario.autoPipelining,
    replayIdempotent: scenario.replayIdempotent,
    retryStrategy: () => 5,
    commandTimeout: scenario.commandTimeout,
    connectTimeout: 1_000,
  });
  opened.push(client);
  client.on('error', () => {}); // connection errors are expected here; commands carry them
  let nextId = 0;
  const pushes: Promise<PushOutcome>[] = [];
  const checks: Promise<void>[] = [];
  const transactions: Promise<readonly string[] | undefined>[] = [];

  /** An abort's reason: a call it cancelled rejects with it (and may have run). */
  const aborted = new Error('aborted by the schedule');
  const push = (signal?: AbortSignal): void => {
    const id = `${nextId++}`;
    const target = signal === undefined ? client : client.withOptions({ signal });
    pushes.push(
      track(target.rpush(list, id)).then((r) => ({
        id,
        state:
          r.status === 'fulfilled'
            ? 'ok'
            : r.reason === aborted || writtenOf(r.reason)
              ? 'unknown'
              : 'not-written',
      })),
    );
  };
  const read = (probe: number, signal?: AbortSignal): void => {
    const target = signal === undefined ? client : client.withOptions({ signal });
    checks.push(
      track(target.get(`fuzz:probe:${probe}`)).then((r) => {
        if (r.status === 'fulfilled') expect(r.value).toBe(`probe-${probe}`);
        else if (r.reason !== aborted) writtenOf(r.reason);
      }),
    );
  };
  const abortIn = (ms: number): AbortSignal => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(aborted), ms);
    return controller.signal;
  };
  /** Queues `parts` on a pipeline or transaction; returns the ids its pushes carry, in order. */
  const fill = (
    target: { rpush(key: string, id: string): unknown; get(key: string): unknown },
    parts: readonly Part[],
  ) =>
    parts.map((part) => {
      if (part.kind === 'read') {
        target.get(`fuzz:probe:${part.probe}`);
        return undefined;
      }
      const id = `${nextId++}`;
      target.rpush(list, id);
      return id;
    });
  /** Checks one batch's results: reads got their own probe, pushes say whether they ran. */
  const batchResults = (
    parts: readonly Part[],
    ids: readonly (string | undefined)[],
    results: PipelineResult[],
  ) => {
    expect(results).toHaveLength(parts.length);
    parts.forEach((part, i) => {
      const [err, value] = results[i] as PipelineResult;
      if (part.kind === 'read') {
        if (err === null) expect(value).toBe(`probe-${part.probe}`);
        else writtenOf(err);
        return;
      }
      const id = ids[i] as string;
      const state = err === null ? 'ok' : writtenOf(err) ? 'unknown' : 'not-written';
      pushes.push(Promise.resolve({ id, state }));
    });
  };

  for (const wave of scenario.waves) {
    for (const op of wave.ops) {
      if (op.kind === 'push') push();
      else if (op.kind === 'read') read(op.probe);
      else if (op.kind === 'pause') await sleep(op.ms);
      else if (op.kind === 'blocking')
        checks.push(
          track(client.blpop(`${list}:empty`, 0.01)).then((r) => {
            if (r.status === 'fulfilled') expect(r.value).toBeNull();
            else writtenOf(r.reason);
          }),
        );
      else if (op.kind === 'aborted') {
        const signal = abortIn(op.after);
        if (op.part.kind === 'push') push(signal);
        else read(op.part.probe, signal);
      } else if (op.kind === 'pipeline') {
        const pipeline = client.pipeline();
        const ids = fill(pipeline, op.parts);
        checks.push(
          track(pipeline.exec()).then((r) => {
            if (r.status === 'fulfilled') batchResults(op.parts, ids, r.value);
            else {
              const written = writtenOf(r.reason);
              for (const id of ids)
                if (id !== undefined)
                  pushes.push(Promise.resolve({ id, state: written ? 'unknown' : 'not-written' }));
            }
          }),
        );
      } else {
        const tx = client.multi();
        const ids = fill(tx, op.parts);
        const pushed = ids.filter((id): id is string => id !== undefined);
        transactions.push(
          track(tx.exec()).then((r) => {
            if (r.status === 'fulfilled') {
              batchResults(op.parts, ids, r.value);
              return undefined;
            }
            writtenOf(r.reason);
            return pushed; // all or none of them ran
          }),
        );
      }
    }
    await injectFault(proxy, wave, () => settleAll<unknown>([...pushes, ...checks, ...transactions], 30_000));
  }
  proxy.setMode('pass');

  // Every promise settles (a pending one fails the run after 30 s)...
  // (batches add their pushes' outcomes as they settle, so the pushes are counted last)
  await settleAll(checks, 30_000);
  const undecided = await settleAll(transactions, 30_000);
  const outcomes = await settleAll(pushes, 30_000);
  // ...and the client still serves (a PING written just before the last reset may be refused:
  // written to a dead link, and not replayed when replayIdempotent is off).
  expect(await pingOnceLinkIsBack(client)).toBe('PONG');
  await client.quit();

  const items = (await admin.lrange(list, 0, -1)) as string[];
  await admin.del(list);
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  const issued = new Set([...outcomes.map((o) => o.id), ...undecided.flatMap((ids) => ids ?? [])]);
  for (const [item, count] of counts) {
    expect(count, `pushed ${count} times: ${item}`).toBe(1);
    expect(issued.has(item), `never issued: ${item}`).toBe(true);
  }
  for (const { id, state } of outcomes) {
    if (state === 'ok') expect(counts.get(id), `acknowledged but missing: ${id}`).toBe(1);
    if (state === 'not-written')
      expect(counts.has(id), `ran though rejected as not written: ${id}`).toBe(false);
  }
  for (const ids of undecided) {
    if (ids === undefined) continue;
    const ran = ids.filter((id) => counts.has(id)).length;
    expect([0, ids.length], `a transaction ran in part: ${ran} of ${ids.length}`).toContain(ran);
  }
}

async function pingOnceLinkIsBack(client: Client): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const r = await track(client.withOptions({ timeout: 5_000 }).ping());
    if (r.status === 'fulfilled' || attempt === 3) return r.status === 'fulfilled' ? r.value : r.reason;
    writtenOf(r.reason);
  }
}

/** Applies the wave's fault after its commands were issued; `settle` waits for all issued so far. */
async function injectFault(proxy: FaultProxy, wave: Wave, settle: () => Promise<unknown>): Promise<void> {
  switch (wave.fault) {
    case 'none':
      await sleep(wave.hold);
      return;
    case 'reset':
      await sleep(wave.hold);
      proxy.resetAll();
      return;
    case 'swallow-then-reset':
    case 'blackhole-then-reset':
      proxy.setMode(wave.fault === 'swallow-then-reset' ? 'swallow-replies' : 'blackhole');
      await sleep(wave.hold);
      proxy.resetAll();
      proxy.setMode('pass');
      return;
    case 'split':
      proxy.setMode('split');
      await sleep(wave.hold);
      proxy.setMode('pass');
      return;
    case 'garbage':
      // Only between replies: a byte injected inside a bulk string would be data, not an error.
      await settle();
      proxy.injectToClients(Buffer.from([0x01, 0x0d, 0x0a]));
      await sleep(wave.hold);
      return;
  }
}
