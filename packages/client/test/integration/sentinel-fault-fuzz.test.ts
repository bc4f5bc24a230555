import {
  type FaultProxy,
  type SentinelGroup,
  startFaultProxy,
  startSentinelGroup,
} from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient, type NodeAddress } from '../../src/index.js';
import { checkFaultSchedules, clientKeeper } from '../support/fault-fuzz.js';
import { checkPubSubSchedules } from '../support/pubsub-fuzz.js';

// The random schedules of client-fault-fuzz and pubsub-fault-fuzz against a sentinel client: a
// master, a replica and 3 sentinels, a fault proxy in front of each data node (reached through
// `sentinel.natMap`), each fault on one node's links or both. The sentinels are not behind
// proxies, so no failover happens: this is about the client's links. What must hold:
// support/fault-fuzz.ts and support/pubsub-fuzz.ts.

const { base: RUNS, runs } = fastCheckRuns(8);
const viaProxy = (address: NodeAddress): NodeAddress => {
  const proxy = proxyOf.get(address.port);
  return proxy === undefined ? address : { host: proxy.host, port: proxy.port };
};
const clients = clientKeeper();
let group: SentinelGroup;
const proxies: FaultProxy[] = [];
const proxyOf = new Map<number, FaultProxy>();
let admin: Client;

beforeAll(async () => {
  group = await startSentinelGroup({ replicas: 1 });
  for (const node of [group.master, ...group.replicas]) {
    const proxy = await startFaultProxy({ host: node.host, port: node.port });
    proxies.push(proxy);
    proxyOf.set(node.port, proxy);
  }
  admin = createClient({ host: group.master.host, port: group.master.port });
}, 120_000);

afterAll(async () => {
  await clients.closeAll();
  await admin.quit();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await group?.stop();
});

describe('sentinel client under random faults (fast-check, a fault proxy per data node)', () => {
  it(
    `keeps every promise, never doubles a write, never misdelivers a reply (${RUNS} schedules)`,
    async () => {
      await checkFaultSchedules(proxies, admin, runs(RUNS), (options) =>
        clients.open({
          sentinel: { sentinels: group.sentinelAddresses, masterName: group.masterName, natMap: viaProxy },
          ...options,
        }),
      );
      // Every data link went through a proxy (natMap was used).
      expect(proxyOf.get(group.master.port)?.accepted).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 3_000),
  );

  it(
    `delivers each message at most once, in order, to its own listeners, and resumes (${RUNS} schedules)`,
    async () => {
      await checkPubSubSchedules(proxies, admin, runs(RUNS), {
        protocols: [3],
        name: 'spsfuzz',
        connect: (protocol) =>
          clients.open({
            sentinel: { sentinels: group.sentinelAddresses, masterName: group.masterName, natMap: viaProxy },
            protocol,
            commandTimeout: 2_000,
            connectTimeout: 1_000,
          }),
      });
    },
    Math.max(60_000, RUNS * 5_000),
  );
});
