import { type FaultProxy, type RedisCluster, startCluster, startFaultProxy } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
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
const opened: Client[] = [];
let cluster: RedisCluster;
const proxies: FaultProxy[] = [];
const proxyOf = new Map<number, FaultProxy>();
let publisher: Client;

beforeAll(async () => {
  cluster = await startCluster({ masters: 3, replicasPerMaster: 0 });
  for (const node of cluster.nodes) {
    const proxy = await startFaultProxy({ host: node.host, port: node.port });
    proxies.push(proxy);
    proxyOf.set(node.port, proxy);
  }
  publisher = createClient({ cluster: { seeds: cluster.seeds.map((s) => `redis://${s.host}:${s.port}`) } });
  await publisher.set(PROBE_KEY, PROBE_VALUE);
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.map((client) => client.disconnect()));
  await publisher?.quit();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await cluster?.stop();
});

describe('cluster pub/sub under random faults (fast-check, a fault proxy per node)', () => {
  it(
    `delivers each message at most once, in order, to its own listeners, and resumes (${RUNS} schedules)`,
    async () => {
      let run = 0;
      const viaProxy = (address: { host: string; port: number }) => {
        const proxy = proxyOf.get(address.port);
        return proxy === undefined ? address : { host: proxy.host, port: proxy.port };
      };
      const seed = viaProxy(cluster.seeds[0] as { host: string; port: number });
      const acceptedBefore = proxies.reduce((sum, p) => sum + p.accepted, 0);
      await fc.assert(
        fc.asyncProperty(pubSubScenarioArb(proxies.length, [3]), async (scenario) => {
          const subscriber = createClient({
            cluster: { seeds: [seed], natMap: viaProxy },
            protocol: scenario.protocol,
            commandTimeout: 2_000,
            connectTimeout: 1_000,
          });
          opened.push(subscriber);
          await runPubSubScenario(
            scenario,
            proxies,
            publisher,
            subscriber,
            `cpsfuzz:${process.pid}:${++run}`,
          );
        }),
        { ...runs(RUNS), endOnFailure: true },
      );
      // Links were broken and opened again (more connections than schedules), and messages got through.
      expect(proxies.reduce((sum, p) => sum + p.accepted, 0) - acceptedBefore).toBeGreaterThan(RUNS);
      expect(PUBSUB_STATS.delivered).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 5_000),
  );
});
