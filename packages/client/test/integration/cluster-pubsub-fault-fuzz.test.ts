import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
import { clientKeeper } from '../support/fault-fuzz.js';
import { type ProxiedCluster, startProxiedCluster } from '../support/proxied-cluster.js';
import {
  PROBE_KEY,
  PROBE_VALUE,
  PUBSUB_STATS,
  pubSubScenarioArb,
  runPubSubScenario,
} from '../support/pubsub-fuzz.js';

// The random pub/sub schedules against a cluster subscriber (RESP3: a cluster client's pub/sub
// needs it): a real 3-master cluster, a fault proxy per node reached through `natMap`, each fault
// on one node's links or all; channels, a pattern and shard channels on every shard.

const { base: RUNS, runs } = fastCheckRuns(8);
const clients = clientKeeper();
let proxied: ProxiedCluster;
let publisher: Client;

beforeAll(async () => {
  proxied = await startProxiedCluster();
  publisher = createClient({ cluster: { seeds: proxied.directSeeds } });
  await publisher.set(PROBE_KEY, PROBE_VALUE);
}, 120_000);

afterAll(async () => {
  await clients.closeAll();
  await publisher?.quit();
  await proxied?.stop();
});

describe('cluster pub/sub under random faults (fast-check, a fault proxy per node)', () => {
  it(
    `delivers each message at most once, in order, to its own listeners, and resumes (${RUNS} schedules)`,
    async () => {
      let run = 0;
      const accepted = (): number => proxied.proxies.reduce((sum, p) => sum + p.accepted, 0);
      const acceptedBefore = accepted();
      await fc.assert(
        fc.asyncProperty(pubSubScenarioArb(proxied.proxies.length, [3]), async (scenario) => {
          const subscriber = clients.open({
            cluster: { seeds: [proxied.seed], natMap: proxied.viaProxy },
            protocol: scenario.protocol,
            commandTimeout: 2_000,
            connectTimeout: 1_000,
          });
          await runPubSubScenario(
            scenario,
            proxied.proxies,
            publisher,
            subscriber,
            `cpsfuzz:${process.pid}:${++run}`,
          );
        }),
        { ...runs(RUNS), endOnFailure: true },
      );
      // Links were broken and opened again (more connections than schedules), and messages got through.
      expect(accepted() - acceptedBefore).toBeGreaterThan(RUNS);
      expect(PUBSUB_STATS.delivered).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 5_000),
  );
});
