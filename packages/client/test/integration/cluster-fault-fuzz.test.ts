import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
import { checkFaultSchedules, clientKeeper } from '../support/fault-fuzz.js';
import { type ProxiedCluster, startProxiedCluster } from '../support/proxied-cluster.js';

// The random schedules of client-fault-fuzz against a cluster client: a real 3-master cluster,
// one fault proxy in front of each node (the client reaches them through `natMap`), a fault
// hitting one node's links or all of them. What must hold: support/fault-fuzz.ts.

const { base: RUNS, runs } = fastCheckRuns(10);
const clients = clientKeeper();
let proxied: ProxiedCluster;
let admin: Client;

beforeAll(async () => {
  proxied = await startProxiedCluster();
  admin = createClient({ cluster: { seeds: proxied.directSeeds } });
}, 120_000);

afterAll(async () => {
  await clients.closeAll();
  await admin.quit();
  await proxied?.stop();
});

describe("cluster client with ioredis's natMap table", () => {
  it("reaches every node through the address the table gives for it ('host:port' → { host, port })", async () => {
    const table = Object.fromEntries(
      proxied.cluster.nodes.map((node) => [`${node.host}:${node.port}`, proxied.viaProxy(node)]),
    );
    const before = proxied.proxies.map((proxy) => proxy.accepted);
    const client = clients.open({ cluster: { seeds: proxied.directSeeds, natMap: table } });
    const keys = Array.from({ length: 30 }, (_, i) => `nat-table:${i}`);
    await Promise.all(keys.map((key) => client.set(key, key)));
    expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys);
    // Every node (30 keys cover the 3 masters' slots) was reached through its proxy.
    expect(proxied.proxies.map((proxy, i) => proxy.accepted > (before[i] as number))).toEqual(
      proxied.proxies.map(() => true),
    );
  });
});

describe('cluster client under random faults (fast-check, a fault proxy per node)', () => {
  it(
    `keeps every promise, never doubles a write, never misdelivers a reply (${RUNS} schedules)`,
    async () => {
      await checkFaultSchedules(proxied.proxies, admin, runs(RUNS), (options) =>
        clients.open({ cluster: { seeds: [proxied.seed], natMap: proxied.viaProxy }, ...options }),
      );
    },
    Math.max(60_000, RUNS * 2_000),
  );
});
