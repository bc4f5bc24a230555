import { type RedisServer, startRedis } from './redis-server.js';
import { serverCommand, waitFor } from './server-command.js';

/** Options for {@link startSentinelGroup}. */
export interface StartSentinelGroupOptions {
  /** @default 'mymaster' */
  readonly masterName?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default 3 */
  readonly sentinels?: number;
  /** Sentinels that must agree the master is down. @default 2 */
  readonly quorum?: number;
  /** `down-after-milliseconds`. @default 1_000 */
  readonly downAfterMs?: number;
  /** `failover-timeout` in milliseconds. @default 5_000 */
  readonly failoverTimeoutMs?: number;
}

/** A master, its replicas and the Sentinels watching them, all on loopback. */
export interface SentinelGroup {
  readonly masterName: string;
  /** The master it was created with; after a failover another server is master. */
  readonly master: RedisServer;
  readonly replicas: readonly RedisServer[];
  readonly sentinels: readonly RedisServer[];
  /** Sentinel addresses a client can start from. */
  readonly sentinelAddresses: readonly { readonly host: string; readonly port: number }[];
  /** The master address the sentinels currently report (`SENTINEL GET-MASTER-ADDR-BY-NAME`, via INFO). */
  currentMasterPort(): Promise<number>;
  /** Stops every server. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a master, `replicas` replicas (`--replicaof`) and `sentinels` Sentinels monitoring them,
 * and waits until the replicas are in sync and every Sentinel sees all replicas and the other
 * Sentinels. Any failure stops what was started.
 */
export async function startSentinelGroup(options: StartSentinelGroupOptions = {}): Promise<SentinelGroup> {
  const masterName = options.masterName ?? 'mymaster';
  const started: RedisServer[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((server) => server.stop()));
  };
  try {
    const master = await startRedis();
    started.push(master);
    const replicas = await Promise.all(
      Array.from({ length: options.replicas ?? 1 }, async () => {
        const replica = await startRedis({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
        started.push(replica);
        return replica;
      }),
    );
    for (const replica of replicas) {
      await waitFor(`replica ${replica.port} in sync`, async () =>
        (await serverCommand(replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
      );
    }
    const config = [
      `sentinel monitor ${masterName} 127.0.0.1 ${master.port} ${options.quorum ?? 2}`,
      `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 1_000}`,
      `sentinel failover-timeout ${masterName} ${options.failoverTimeoutMs ?? 5_000}`,
      `sentinel parallel-syncs ${masterName} 1`,
      '',
    ].join('\n');
    const sentinelCount = options.sentinels ?? 3;
    const sentinels = await Promise.all(
      Array.from({ length: sentinelCount }, async () => {
        const sentinel = await startRedis({ sentinelConfig: config });
        started.push(sentinel);
        return sentinel;
      }),
    );
    const wanted = `slaves=${replicas.length},sentinels=${sentinelCount}`;
    for (const sentinel of sentinels) {
      await waitFor(`sentinel ${sentinel.port} to see ${wanted}`, async () =>
        (await serverCommand(sentinel.port, 'INFO', 'sentinel')).includes(wanted),
      );
    }
    let stopped: Promise<void> | undefined;
    return {
      masterName,
      master,
      replicas,
      sentinels,
      sentinelAddresses: sentinels.map((sentinel) => ({ host: sentinel.host, port: sentinel.port })),
      currentMasterPort: async () => {
        for (const sentinel of sentinels) {
          if (sentinel.stopped) continue;
          const info = await serverCommand(sentinel.port, 'INFO', 'sentinel');
          const match = new RegExp(`name=${masterName},status=\\w+,address=[^:]+:(\\d+)`).exec(info);
          if (match?.[1] !== undefined) return Number(match[1]);
        }
        throw new Error(`no sentinel reports a master for ${masterName}`);
      },
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
