import { waitFor } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
import { clientKeeper } from '../support/fault-fuzz.js';
import { type ProxiedCluster, startProxiedCluster } from '../support/proxied-cluster.js';
import { checkPubSubSchedules } from '../support/pubsub-fuzz.js';

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
      const accepted = (): number => proxied.proxies.reduce((sum, p) => sum + p.accepted, 0);
      const acceptedBefore = accepted();
      await checkPubSubSchedules(proxied.proxies, publisher, runs(RUNS), {
        protocols: [3],
        name: 'cpsfuzz',
        connect: (protocol) =>
          clients.open({
            cluster: { seeds: [proxied.seed], natMap: proxied.viaProxy },
            protocol,
            commandTimeout: 2_000,
            connectTimeout: 1_000,
          }),
      });
      // Links were broken and opened again (more connections than schedules).
      expect(accepted() - acceptedBefore).toBeGreaterThan(RUNS);
    },
    Math.max(60_000, RUNS * 5_000),
  );

  it('restores its subscriptions after every node refused it for longer than ten restore attempts', async () => {
    const client = clients.open({
      cluster: { seeds: [proxied.seed], natMap: proxied.viaProxy },
      commandTimeout: 2_000,
      connectTimeout: 1_000,
    });
    const errors: Error[] = [];
    client.on('error', (err) => errors.push(err));
    const heard: string[] = [];
    await client.subscribe('outage:ch', (message) => heard.push(message));
    await publishUntilHeard('before', heard);

    for (const proxy of proxied.proxies) {
      proxy.setMode('refuse');
      proxy.resetAll();
    }
    // Ten attempts, backing off to 2 s, take ~13 s: the outage outlasts them.
    await new Promise((resolve) => setTimeout(resolve, 17_000));
    expect(errors.length).toBeGreaterThan(0); // the listeners were told, once the ten were spent
    for (const proxy of proxied.proxies) proxy.setMode('pass');
    // Before, the restore had given up: nothing was subscribed again, nothing heard.
    await publishUntilHeard('after', heard);
  }, 60_000);
});

/** Publishes `message` (directly, no proxy) until the listener has it. */
async function publishUntilHeard(message: string, heard: string[]): Promise<void> {
  await waitFor(
    `"${message}" heard`,
    async () => {
      await publisher.publish('outage:ch', message);
      return heard.includes(message);
    },
    10_000,
    200,
  );
}
