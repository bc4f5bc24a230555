import { type RedisCluster, serverCommand, startCluster, waitFor } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';

let cluster: RedisCluster;
let client: Client;

beforeAll(async () => {
  cluster = await startCluster();
  client = createClient({ cluster: { seeds: cluster.seeds, refreshInterval: 1_000 } });
}, 120_000);

afterAll(async () => {
  await client?.quit();
  await cluster?.stop();
});

describe('sharded pub/sub across a cluster failover', () => {
  it('subscribes shard channels again on their new master after CLUSTER FAILOVER', async () => {
    const channels = Array.from({ length: 30 }, (_, i) => `failover:ch:${i}`);
    const got = new Map<string, string[]>();
    const errors: Error[] = [];
    client.on('error', (err) => errors.push(err));
    await client.ssubscribe(channels, (message, channel) => {
      got.set(channel, [...(got.get(channel) ?? []), message]);
    });
    for (const channel of channels) expect(await client.spublish(channel, 'before')).toBe(1);
    await waitFor('the first messages', async () => channels.every((c) => got.get(c)?.length === 1), 5_000);

    const replica = cluster.replicas[0];
    if (replica === undefined) throw new Error('no replica');
    await serverCommand(replica.port, 'CLUSTER', 'FAILOVER');
    await waitFor('the replica to become master', async () =>
      (await serverCommand(replica.port, 'INFO', 'replication')).includes('role:master'),
    );
    // Every channel is listened to again, wherever its slot now lives: SPUBLISH reaches one subscriber.
    await waitFor(
      'every channel to have a subscriber again',
      async () => {
        for (const channel of channels) if ((await client.spublish(channel, 'probe')) !== 1) return false;
        return true;
      },
      15_000,
      200,
    );
    for (const channel of channels) expect(await client.spublish(channel, 'after')).toBe(1);
    await waitFor(
      'the messages after the failover',
      async () => channels.every((c) => got.get(c)?.includes('after')),
      5_000,
    );
    expect(errors).toEqual([]);
    await client.sunsubscribe(channels);
    // A restore still in flight (held by the router's retries) is undone when it lands.
    await waitFor(
      'no subscriber left',
      async () => {
        for (const channel of channels) if ((await client.spublish(channel, 'gone')) !== 0) return false;
        return true;
      },
      10_000,
      200,
    );
  }, 60_000);
});
