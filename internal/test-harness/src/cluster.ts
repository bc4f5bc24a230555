import { type RedisServer, startRedis } from './redis-server.js';
import { serverCommand, waitFor } from './server-command.js';

/** Options for {@link startCluster}. */
export interface StartClusterOptions {
  /** @default 3 */
  readonly masters?: number;
  /** @default 1 */
  readonly replicasPerMaster?: number;
  /**
   * `cluster-node-timeout` in milliseconds: how long a node may be unreachable before failover.
   * @default 2_000
   */
  readonly nodeTimeoutMs?: number;
  /** Extra `redis-server` arguments for every node. */
  readonly args?: readonly string[];
}

/** One node of a running test cluster. */
export interface ClusterNode {
  readonly server: RedisServer;
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The node id (`CLUSTER MYID`). */
  readonly id: string;
  /** The role it was created with; failovers may change it later. */
  readonly role: 'master' | 'replica';
}

/** A Redis Cluster on loopback, created by the harness without `redis-cli`. */
export interface RedisCluster {
  readonly nodes: readonly ClusterNode[];
  readonly masters: readonly ClusterNode[];
  readonly replicas: readonly ClusterNode[];
  /** Addresses a client can start from. */
  readonly seeds: readonly { readonly host: string; readonly port: number }[];
  /** Resolves once every live node says `cluster_state:ok` and knows every other live node. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Stops every node. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `masters × (1 + replicasPerMaster)` servers with `--cluster-enabled yes`, splits the
 * 16,384 slots evenly over the masters (CLUSTER ADDSLOTSRANGE), joins them (CLUSTER MEET),
 * attaches the replicas (CLUSTER REPLICATE) and waits until the cluster is healthy and every
 * replica is in sync. Any failure stops what was started.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<RedisCluster> {
  const masterCount = options.masters ?? 3;
  const replicasPerMaster = options.replicasPerMaster ?? 1;
  const total = masterCount * (1 + replicasPerMaster);
  const nodeArgs = [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-node-timeout',
    String(options.nodeTimeoutMs ?? 2_000),
    ...(options.args ?? []),
  ];
  const started = await Promise.allSettled(
    Array.from({ length: total }, () => startRedis({ args: nodeArgs })),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    const cluster = await form(servers, masterCount, replicasPerMaster, stop);
    await cluster.waitHealthy();
    await Promise.all(
      cluster.replicas.map((replica) =>
        waitFor(`replica ${replica.port} in sync`, async () =>
          (await serverCommand(replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
        ),
      ),
    );
    return cluster;
  } catch (err) {
    await stop();
    throw err;
  }
}

async function form(
  servers: readonly RedisServer[],
  masterCount: number,
  replicasPerMaster: number,
  stop: () => Promise<void>,
): Promise<RedisCluster> {
  const ids = await Promise.all(servers.map((server) => serverCommand(server.port, 'CLUSTER', 'MYID')));
  const nodes: ClusterNode[] = servers.map((server, i) => ({
    server,
    host: '127.0.0.1',
    port: server.port,
    id: ids[i] as string,
    role: i < masterCount ? 'master' : 'replica',
  }));
  const masters = nodes.slice(0, masterCount);
  const replicas = nodes.slice(masterCount);
  const SLOTS = 16_384;
  await Promise.all(
    masters.map((master, i) => {
      const first = Math.floor((i * SLOTS) / masterCount);
      const last = Math.floor(((i + 1) * SLOTS) / masterCount) - 1;
      return serverCommand(master.port, 'CLUSTER', 'ADDSLOTSRANGE', first, last);
    }),
  );
  const [first, ...others] = nodes;
  if (first === undefined) throw new Error('a cluster needs at least one node');
  for (const node of others) await serverCommand(first.port, 'CLUSTER', 'MEET', node.host, node.port);
  const knowsEveryone = async (node: ClusterNode): Promise<boolean> => {
    const table = await serverCommand(node.port, 'CLUSTER', 'NODES');
    const lines = table.trim().split('\n');
    return lines.length === nodes.length && !table.includes('handshake') && !table.includes('noaddr');
  };
  for (const node of nodes) await waitFor(`node ${node.port} to meet the others`, () => knowsEveryone(node));
  await Promise.all(
    replicas.map((replica, i) => {
      const master = masters[Math.floor(i / replicasPerMaster)] as ClusterNode;
      return serverCommand(replica.port, 'CLUSTER', 'REPLICATE', master.id);
    }),
  );
  let stopped: Promise<void> | undefined;
  return {
    nodes,
    masters,
    replicas,
    seeds: masters.map((node) => ({ host: node.host, port: node.port })),
    waitHealthy: (timeoutMs = 30_000) =>
      waitFor(
        'cluster_state:ok on every node',
        async () => {
          const states = await Promise.all(
            nodes
              .filter((node) => !node.server.stopped)
              .map((node) => serverCommand(node.port, 'CLUSTER', 'INFO')),
          );
          return states.every((info) => info.includes('cluster_state:ok'));
        },
        timeoutMs,
      ),
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}
