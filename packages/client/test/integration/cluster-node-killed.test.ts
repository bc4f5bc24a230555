import { keySlot } from '@fusedis/router';
import {
  type ClusterNode,
  type RedisCluster,
  serverCommand,
  startCluster,
  waitFor,
} from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';

/**
 * Nodes killed outright (not a graceful `CLUSTER FAILOVER`): the cluster promotes a replica after
 * `cluster-node-timeout` (Redis's default, 15 s, here), and the client must follow it. Each test
 * leaves a node down, so the cluster is this file's own.
 */
let cluster: RedisCluster;
let client: Client;
const errors: Error[] = [];
const killed = new Set<ClusterNode>();

beforeAll(async () => {
  cluster = await startCluster({ nodeTimeoutMs: 15_000 });
  client = createClient({ cluster: { seeds: cluster.seeds, refreshInterval: 1_000 } });
  client.on('error', (err) => errors.push(err));
}, 120_000);

afterAll(async () => {
  await client?.quit();
  await cluster?.stop();
});

async function kill(node: ClusterNode): Promise<void> {
  killed.add(node);
  await node.server.stop();
}

/** Connections on `node` subscribed to a channel (CLIENT LIST's `sub=`): this client's. */
async function subscribersOn(node: ClusterNode): Promise<number> {
  const list = await serverCommand(node.port, 'CLIENT', 'LIST');
  return list.split('\n').filter((line) => / sub=[1-9]/.test(line)).length;
}

/** A name starting with `prefix` whose slot `node` serves now (its own CLUSTER NODES line). */
async function nameServedBy(node: ClusterNode, prefix: string): Promise<string> {
  const myself = (await serverCommand(node.port, 'CLUSTER', 'NODES'))
    .split('\n')
    .find((l) => l.includes('myself'));
  const ranges = (myself ?? '')
    .split(' ')
    .slice(8)
    .map((range) => range.split('-').map(Number));
  for (let i = 0; i < 100_000; i++) {
    const slot = keySlot(`${prefix}${i}`);
    if (ranges.some(([first = -1, last = first]) => slot >= first && slot <= last)) return `${prefix}${i}`;
  }
  throw new Error(`no name served by ${node.port}`);
}

/** Resolves once `node` is a master and the cluster serves every slot again. */
async function tookOver(node: ClusterNode): Promise<void> {
  await waitFor(
    `${node.port} to become a master`,
    async () => (await serverCommand(node.port, 'INFO', 'replication')).includes('role:master'),
    40_000,
  );
  await cluster.waitHealthy();
}

/** Publishes `message` until the listener has it (PUBLISH fails until the channel's slot has a master again). */
async function publishUntilHeard(channel: string, message: string, heard: string[]): Promise<void> {
  await waitFor(
    `"${message}" heard on ${channel}`,
    async () => {
      await client.publish(channel, message).catch(() => 0);
      return heard.includes(message);
    },
    30_000,
    200,
  );
}

describe('a cluster node killed', () => {
  it('the node the client subscribed on: subscriptions go to another master at once, its shard channels once it is replaced', async () => {
    const heard: string[] = [];
    await client.subscribe('killed:pinned', (message) => heard.push(message));
    const counts = await Promise.all(cluster.nodes.map(subscribersOn));
    const pinned = cluster.nodes.filter((_, i) => counts[i] === 1);
    expect(pinned).toHaveLength(1);
    const [node] = pinned as [ClusterNode];
    expect(node.role).toBe('master');
    const successor = cluster.replicas[cluster.masters.indexOf(node)] as ClusterNode;
    const others = cluster.nodes.filter((other) => other !== node);
    // A channel published through a master that stays, and a shard channel of the one killed.
    const channel = await nameServedBy(
      others.find((other) => other.role === 'master') as ClusterNode,
      'killed:ch:',
    );
    const shardChannel = await nameServedBy(node, 'killed:shard:');
    await client.subscribe(channel, (message) => heard.push(message));
    await client.ssubscribe(shardChannel, (message) => heard.push(`shard ${message}`));
    await publishUntilHeard(channel, 'before', heard);

    await kill(node);
    await waitFor(
      'the subscriptions on another node',
      async () => (await Promise.all(others.map(subscribersOn))).some((count) => count === 1),
      10_000,
      100,
    );
    // Before its replica is promoted: before, the restore went back to the first master listed,
    // the dead one, until then (and gave up after ten tries, ~13 s, short of the 15 s timeout).
    expect(await serverCommand(successor.port, 'INFO', 'replication')).toContain('role:slave');
    await publishUntilHeard(channel, 'after', heard);
    expect(heard[0]).toBe('before');

    // The shard channel can only be served by the killed node's successor: restored once it is
    // promoted (the router holds the restore's SSUBSCRIBE through its own retries meanwhile).
    await tookOver(successor);
    await waitFor(
      'the shard channel heard again',
      async () => {
        await client.spublish(shardChannel, 'after').catch(() => 0);
        return heard.includes('shard after');
      },
      20_000,
      200,
    );
    await client.unsubscribe();
    await client.sunsubscribe(shardChannel);
    errors.length = 0;
  }, 120_000);

  it('a master a manual failover promoted: its old master takes the slots back, and commands follow', async () => {
    // A shard the first test left whole.
    const shard = cluster.masters.findIndex(
      (m, i) => !killed.has(m) && !killed.has(cluster.replicas[i] as ClusterNode),
    );
    const [master, replica] = [cluster.masters[shard], cluster.replicas[shard]] as [ClusterNode, ClusterNode];
    const key = await nameServedBy(master, 'killed:key:');
    const channel = await nameServedBy(master, 'killed:channel:');
    await serverCommand(replica.port, 'CLUSTER', 'FAILOVER');
    await waitFor('the manual failover', async () =>
      (await serverCommand(replica.port, 'INFO', 'replication')).includes('role:master'),
    );
    // At once: MOVED to the new master, whose link a refresh from a node that still calls it a
    // replica closed while it opened. Before, the command rejected (`closed while connecting`).
    expect(await client.set(key, 'before')).toBe('OK');
    await tookOver(replica);
    const heard: string[] = [];
    await client.subscribe(channel, (message) => heard.push(message));

    await kill(replica);
    // The shard lists the dead node as a master beside its successor: before, the client took it
    // and sent every command of these slots there, for as long as it stayed down.
    await waitFor(
      'a write to the killed master’s slots',
      async () => (await client.set(key, 'after').catch(() => undefined)) === 'OK',
      30_000,
      200,
    );
    await tookOver(master);
    expect(await client.get(key)).toBe('after');
    await publishUntilHeard(channel, 'after', heard);
    expect(errors).toEqual([]);
    await client.unsubscribe(channel);
    await client.del(key);
  }, 90_000);
});
