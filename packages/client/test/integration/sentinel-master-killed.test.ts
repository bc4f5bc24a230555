import { type SentinelGroup, startSentinelGroup, waitFor } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';

/**
 * The master killed outright, not failed over by `SENTINEL FAILOVER` (sentinel.test.ts): the
 * sentinels notice after `down-after-milliseconds` (1 s here) and promote the replica. It leaves
 * the group without its first master, so the group is this file's own.
 */
let group: SentinelGroup;
let client: Client;
const errors: Error[] = [];

beforeAll(async () => {
  group = await startSentinelGroup();
  const [first] = group.sentinelAddresses;
  // One sentinel given: the client learns the others, and that one is killed too.
  client = createClient({
    sentinel: { sentinels: [first as { host: string; port: number }], masterName: group.masterName },
  });
  client.on('error', (err) => errors.push(err));
}, 60_000);

afterAll(async () => {
  await client?.quit();
  await group?.stop();
});

describe('the sentinel master killed outright', () => {
  it('writes and subscriptions resume on the promoted replica, also without the sentinel the client was given', async () => {
    const heard: string[] = [];
    await client.subscribe('killed:sentinel', (message) => heard.push(message));
    expect(await client.incr('killed:counter')).toBe(1);
    const given = group.sentinels.find((s) => s.port === group.sentinelAddresses[0]?.port);
    await given?.stop();
    const before = group.master.port;
    await group.master.stop();

    // Commands meanwhile wait for the new master rather than fail (the first waits out the failover).
    const started = performance.now();
    const value = await client.withOptions({ timeout: 15_000 }).incr('killed:counter');
    expect(value === 1 || value === 2).toBe(true); // the first increment may not have replicated
    expect(performance.now() - started).toBeLessThan(15_000);
    // The client follows the failover leader's choice (+selected-slave); the sentinels name the
    // new master a little later (+switch-master).
    await waitFor(
      'the sentinels to name the new master',
      async () => (await group.currentMasterPort()) !== before,
    );
    await waitFor(
      'a message after the failover',
      async () => {
        await client.publish('killed:sentinel', 'after').catch(() => 0);
        return heard.includes('after');
      },
      15_000,
      200,
    );
    expect(errors).toEqual([]);
  }, 60_000);
});
