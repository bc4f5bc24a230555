import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import { afterAll, beforeAll, describe, it } from 'vitest';
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
