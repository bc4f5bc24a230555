import { type FaultProxy, startFaultProxy } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
import { clientKeeper } from '../support/fault-fuzz.js';
import {
  PROBE_KEY,
  PROBE_VALUE,
  PUBSUB_STATS,
  pubSubScenarioArb,
  runPubSubScenario,
} from '../support/pubsub-fuzz.js';

// One server behind one fault proxy; the schedules and what they must keep: support/pubsub-fuzz.ts.

const server = inject('servers').standalone;
const { base: RUNS, runs } = fastCheckRuns(10);
const clients = clientKeeper();
let reconnects = 0;

describe('pub/sub under random faults (fast-check, through a fault proxy)', () => {
  let proxy: FaultProxy;
  let publisher: Client;
  beforeAll(async () => {
    proxy = await startFaultProxy({ host: server.host, port: server.port });
    publisher = createClient({ host: server.host, port: server.port });
    await publisher.set(PROBE_KEY, PROBE_VALUE);
  });
  afterAll(async () => {
    await clients.closeAll();
    await publisher.del(PROBE_KEY);
    await publisher.quit();
    await proxy.close();
  });

  it(
    `delivers each message at most once, in order, to its own listeners, and resumes (${RUNS} schedules)`,
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(pubSubScenarioArb(1, [2, 3]), async (scenario) => {
          const subscriber = clients.open({
            port: proxy.port,
            protocol: scenario.protocol,
            retryStrategy: () => 5,
            commandTimeout: 2_000,
            connectTimeout: 1_000,
          });
          subscriber.on('reconnecting', () => reconnects++);
          await runPubSubScenario(scenario, [proxy], publisher, subscriber, `psfuzz:${process.pid}:${++run}`);
        }),
        { ...runs(RUNS), endOnFailure: true },
      );
      // The faults broke links (the reads, idempotent, are replayed, so they seldom reject), and
      // messages got through.
      expect(reconnects).toBeGreaterThan(0);
      expect(PUBSUB_STATS.delivered).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 3_000),
  );
});
