import { type FaultProxy, type RedisCluster, startCluster, startFaultProxy } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
import {
  deleteProbes,
  FAULT_STATS,
  faultScenarioArb,
  runFaultScenario,
  writeProbes,
} from '../support/fault-fuzz.js';

// The random schedules of client-fault-fuzz against a cluster client: a real 3-master cluster,
// one fault proxy in front of each node (the client reaches them through `natMap`), a fault
// hitting one node's links or all of them. What must hold: support/fault-fuzz.ts.

const { base: RUNS, runs } = fastCheckRuns(10);
const opened: Client[] = [];
let cluster: RedisCluster;
const proxies: FaultProxy[] = [];
let admin: Client;
/** A node's proxy, by the node's port. */
const proxyOf = new Map<number, FaultProxy>();

beforeAll(async () => {
  cluster = await startCluster({ masters: 3, replicasPerMaster: 0 });
  for (const node of cluster.nodes) {
    const proxy = await startFaultProxy({ host: node.host, port: node.port });
    proxies.push(proxy);
    proxyOf.set(node.port, proxy);
  }
  admin = createClient({ cluster: { seeds: cluster.seeds.map((s) => `redis://${s.host}:${s.port}`) } });
  await writeProbes(admin);
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.map((client) => client.disconnect()));
  await deleteProbes(admin);
  await admin.quit();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await cluster?.stop();
});

describe('cluster client under random faults (fast-check, a fault proxy per node)', () => {
  it(
    `keeps every promise, never doubles a write, never misdelivers a reply (${RUNS} schedules)`,
    async () => {
      let run = 0;
      const viaProxy = (address: { host: string; port: number }) => {
        const proxy = proxyOf.get(address.port);
        return proxy === undefined ? address : { host: proxy.host, port: proxy.port };
      };
      const seed = viaProxy(cluster.seeds[0] as { host: string; port: number });
      await fc.assert(
        fc.asyncProperty(faultScenarioArb(proxies.length), async (scenario) => {
          const client = createClient({
            cluster: { seeds: [seed], natMap: viaProxy },
            protocol: scenario.protocol,
            autoPipelining: scenario.autoPipelining,
            replayIdempotent: scenario.replayIdempotent,
            commandTimeout: scenario.commandTimeout,
            connectTimeout: 1_000,
          });
          opened.push(client);
          await runFaultScenario(scenario, proxies, admin, client, ++run);
        }),
        { ...runs(RUNS), endOnFailure: true },
      );
      expect(FAULT_STATS.rejected).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 2_000),
  );
});
