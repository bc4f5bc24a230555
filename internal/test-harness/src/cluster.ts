import { freePort } from './free-port.js';
import { type RedisServer, startRedis, withFreshPort } from './redis-server.js';
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
  /**
   * The `redis-server` to run (e.g. one built with TLS, for {@link StartClusterOptions.tls}).
   * @default (await findServers()).redisServer
   */
  readonly redisServer?: string;
  /**
   * Also listen with TLS on a `tlsPort` per node, with `tls-cluster` and `tls-replication` (the
   * cluster bus and replication run over TLS, so the nodes meet on their TLS ports) and
   * `tls-auth-clients no`. The plaintext `port` stays open for the harness's own set-up and
   * inspection commands; `seeds` then lists the TLS ports, for clients.
   */
  readonly tls?: ClusterTlsOptions;
}

/** Certificate files for a TLS cluster (see `makeTestCertificates()`). */
export interface ClusterTlsOptions {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/** One node of a running test cluster. */
export interface ClusterNode {
  readonly server: RedisServer;
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The TLS port, for a cluster started with `tls`. */
  readonly tlsPort: number | undefined;
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
  const tlsPorts = new Map<RedisServer, number>();
  const nodeArgs = [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-node-timeout',
    String(options.nodeTimeoutMs ?? 2_000),
    ...(options.args ?? []),
  ];
  const tls = options.tls;
  const started = await Promise.allSettled(
    Array.from({ length: total }, async () => {
      if (tls === undefined) return startRedis({ args: nodeArgs, ...redisServerOf(options) });
      // The TLS port (and the bus, 10,000 above it) may be the port that is taken: then another.
      return withFreshPort(async (tlsPort) => {
        const tlsArgs = [
          ...['--tls-port', String(tlsPort), '--tls-cluster', 'yes', '--tls-replication', 'yes'],
          ...['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile],
          ...['--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no'],
        ];
        const server = await startRedis({ args: [...nodeArgs, ...tlsArgs], ...redisServerOf(options) });
        tlsPorts.set(server, tlsPort);
        return server;
      }, busSafePort);
    }),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    const cluster = await form(servers, tlsPorts, masterCount, replicasPerMaster, stop);
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

/** `redisServer` only when given: `exactOptionalPropertyTypes` forbids passing `undefined`. */
function redisServerOf(options: StartClusterOptions): { redisServer?: string } {
  return options.redisServer === undefined ? {} : { redisServer: options.redisServer };
}

/** A free port whose cluster bus port (port + 10,000) is a valid port too. */
async function busSafePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 <= 65_535) return port;
  }
}

async function form(
  servers: readonly RedisServer[],
  tlsPorts: ReadonlyMap<RedisServer, number>,
  masterCount: number,
  replicasPerMaster: number,
  stop: () => Promise<void>,
): Promise<RedisCluster> {
  const ids = await Promise.all(servers.map((server) => serverCommand(server.port, 'CLUSTER', 'MYID')));
  const nodes: ClusterNode[] = servers.map((server, i) => ({
    server,
    host: '127.0.0.1',
    port: server.port,
    tlsPort: tlsPorts.get(server),
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
  // With tls-cluster the bus listens on tls-port + 10,000, so nodes meet on their TLS ports.
  for (const node of others)
    await serverCommand(first.port, 'CLUSTER', 'MEET', node.host, node.tlsPort ?? node.port);
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
    seeds: masters.map((node) => ({ host: node.host, port: node.tlsPort ?? node.port })),
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
