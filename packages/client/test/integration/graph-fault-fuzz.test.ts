import {
  type FaultProxy,
  findServers,
  type RedisServer,
  startFaultProxy,
  startRedis,
} from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient, GraphError } from '../../src/index.js';
import { clientKeeper, WRITTEN_SAYERS } from '../support/fault-fuzz.js';
import { anyFaultArb, type Fault, injectFault } from '../support/inject-fault.js';
import { settleAll, track } from '../support/settle.js';

// FalkorDB behind a fault proxy: `client.graph()` reads its compact replies as frame bytes (a
// path of its own in both decoders), then resolves names through the schema cache (more
// queries). Under random waves of read queries, plain GETs and CREATE writes between them and a
// fault after each wave, every query must resolve with exactly its rows or reject with a typed
// error; no reply may reach another command; each write runs at most once (exactly once when
// acknowledged, never when refused unsent); and the client serves afterwards.

const falkordb = (await findServers()).falkordbModule;
const { base: RUNS, runs } = fastCheckRuns(8);
const NODES = 2_000;
const clients = clientKeeper();
let server: RedisServer;
let proxy: FaultProxy;
let admin: Client;
let graphName: string;

beforeAll(async () => {
  if (falkordb === undefined) throw new Error('the FalkorDB module is missing: run the setup');
  server = await startRedis({ module: falkordb });
  proxy = await startFaultProxy({ host: server.host, port: server.port });
  admin = createClient({ host: server.host, port: server.port });
  graphName = `gfuzz:${process.pid}`;
  await admin
    .graph(graphName)
    .query(`UNWIND range(0, ${NODES - 1}) AS i CREATE (:N {i: i, s: 'node-' + toString(i), f: i / 4.0})`);
  await admin.set('gfuzz:probe', 'probe');
}, 60_000);

afterAll(async () => {
  await clients.closeAll();
  await admin?.graph(graphName).delete();
  await admin?.quit();
  await proxy?.close();
  await server?.stop();
});

interface Wave {
  /** Each query returns the nodes with `i` below its limit. */
  readonly limits: readonly number[];
  readonly reads: number;
  /** Writes: each CREATEs one `:W` node with an id of its own. */
  readonly writes: number;
  readonly fault: Fault;
  readonly hold: number;
}

const scenarioArb: fc.Arbitrary<{
  readonly protocol: 2 | 3;
  readonly commandTimeout: number;
  readonly waves: readonly Wave[];
}> = fc.record({
  protocol: fc.constantFrom(2 as const, 3 as const),
  commandTimeout: fc.constantFrom(3_000, 30),
  waves: fc.array(
    fc.record({
      limits: fc.array(fc.integer({ min: 0, max: NODES }), { minLength: 1, maxLength: 6 }),
      reads: fc.integer({ min: 0, max: 10 }),
      writes: fc.integer({ min: 0, max: 5 }),
      fault: anyFaultArb,
      hold: fc.integer({ min: 0, max: 30 }),
    }),
    { minLength: 2, maxLength: 6 },
  ),
});

/** A typed failure: a lost or broken link, or a GraphError whose cause is one. */
function expectTyped(reason: unknown): void {
  const cause = reason instanceof GraphError ? reason.cause : reason;
  const typed =
    WRITTEN_SAYERS.some((type) => cause instanceof type) ||
    (cause instanceof Error && cause.name === 'RespProtocolError');
  expect(typed, `untyped rejection: ${String(reason)} (cause ${String(cause)})`).toBe(true);
}

describe('client.graph() under random faults (fast-check, through a fault proxy)', () => {
  it(
    `resolves each query with exactly its rows or a typed error (${RUNS} schedules)`,
    async () => {
      let failures = 0;
      let run = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          proxy.setMode('pass');
          const client = clients.open({
            port: proxy.port,
            protocol: scenario.protocol,
            commandTimeout: scenario.commandTimeout,
            retryStrategy: () => 5,
            connectTimeout: 1_000,
          });
          client.on('error', () => {});
          const graph = client.graph(graphName);
          const checks: Promise<unknown>[] = [];
          const problems: unknown[] = [];
          /** Each write's id and outcome: 'ok', 'not-written' (did not run) or 'unknown'. */
          const writes = new Map<string, 'ok' | 'not-written' | 'unknown'>();
          const tag = `w${++run}`;
          const check = (promise: Promise<unknown>, verify: (value: unknown) => void): void => {
            checks.push(
              track(promise)
                .then((r) => {
                  if (r.status === 'fulfilled') verify(r.value);
                  else {
                    failures++;
                    expectTyped(r.reason);
                  }
                })
                .catch((err: unknown) => problems.push(err)),
            );
          };
          for (const wave of scenario.waves) {
            for (const limit of wave.limits)
              check(
                graph.roQuery<{ i: number; s: string; f: number }>(
                  'MATCH (n:N) WHERE n.i < $limit RETURN n.i AS i, n.s AS s, n.f AS f ORDER BY i',
                  { params: { limit } },
                ),
                (value) => {
                  const rows = (value as { rows: { i: number; s: string; f: number }[] }).rows;
                  expect(rows).toHaveLength(limit);
                  rows.forEach((row, i) => {
                    if (row.i !== i || row.s !== `node-${i}` || row.f !== i / 4)
                      expect(row).toEqual({ i, s: `node-${i}`, f: i / 4 });
                  });
                },
              );
            for (let r = 0; r < wave.reads; r++)
              check(client.get('gfuzz:probe'), (value) => expect(value).toBe('probe'));
            for (let w = 0; w < wave.writes; w++) {
              const id = `${tag}-${writes.size}`;
              writes.set(id, 'unknown');
              checks.push(
                track(graph.query('CREATE (:W {id: $id})', { params: { id } }))
                  .then((r) => {
                    if (r.status === 'fulfilled') writes.set(id, 'ok');
                    else {
                      failures++;
                      expectTyped(r.reason);
                      const cause = r.reason instanceof GraphError ? r.reason.cause : r.reason;
                      if ((cause as { written?: unknown }).written === false) writes.set(id, 'not-written');
                    }
                  })
                  .catch((err: unknown) => problems.push(err)),
              );
            }
            await injectFault([proxy], wave.fault, wave.hold, {
              quiet: () => settleAll(checks, 30_000),
              stall: (ms) => admin.call('DEBUG', 'SLEEP', String(ms / 1000)),
            });
          }
          proxy.setMode('pass');
          await settleAll(checks, 30_000);
          if (problems.length > 0) throw problems[0];
          // Still serving, and the graph reads right after it all (a query written just before
          // the last reset may fail: not replayed, it is no idempotent command).
          let count: unknown;
          for (let attempt = 1; attempt <= 3 && count === undefined; attempt++) {
            const r = await track(graph.roQuery<{ n: number }>('MATCH (n:N) RETURN count(n) AS n'));
            if (r.status === 'fulfilled') count = r.value.rows;
            else expectTyped(r.reason);
          }
          expect(count).toEqual([{ n: NODES }]);
          await client.quit();
          // Each write ran at most once: exactly once when acknowledged, never when refused unsent.
          const { rows: created } = await admin
            .graph(graphName)
            .roQuery<{ id: string; n: number }>(
              'MATCH (w:W) WHERE w.id STARTS WITH $tag RETURN w.id AS id, count(w) AS n',
              { params: { tag: `${tag}-` } },
            );
          const times = new Map(created.map((row) => [row.id, row.n]));
          for (const [id, n] of times) expect(n, `${id} created ${n} times`).toBe(1);
          for (const [id, state] of writes) {
            if (state === 'ok') expect(times.get(id), `acknowledged but missing: ${id}`).toBe(1);
            if (state === 'not-written')
              expect(times.has(id), `ran though refused unsent: ${id}`).toBe(false);
          }
        }),
        { ...runs(RUNS), endOnFailure: true },
      );
      expect(failures).toBeGreaterThan(0); // the faults reached the queries
    },
    Math.max(60_000, RUNS * 5_000),
  );
});
