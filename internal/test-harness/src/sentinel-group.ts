import { connect } from 'node:net';
import { encodeCommand } from '@fusedis/resp';
import { type RedisServer, startRedis, withFreshPort } from './redis-server.js';
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
  /**
   * The data nodes' password: `requirepass` and `masterauth` on master and replicas, and
   * `sentinel auth-pass` for the sentinels. The harness authenticates its own commands.
   */
  readonly dataPassword?: string;
  /** The sentinels' own password (`requirepass` in sentinel.conf; sentinels use it with each other too). */
  readonly sentinelPassword?: string;
  /**
   * The sentinels also listen with TLS on a `tls-port` each (listed in `sentinelTlsAddresses`),
   * `tls-auth-clients no`. Their plaintext port stays open for the harness and for the sentinels'
   * own links; the data nodes stay plaintext. Needs a `redisServer` built with TLS.
   */
  readonly sentinelTls?: { readonly certFile: string; readonly keyFile: string; readonly caFile: string };
  /**
   * The `redis-server` to run, for every server of the group.
   * @default (await findServers()).redisServer
   */
  readonly redisServer?: string;
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
  /** The sentinels' TLS addresses, when started with `sentinelTls` (else empty). */
  readonly sentinelTlsAddresses: readonly { readonly host: string; readonly port: number }[];
  /**
   * Runs a simple command on one of the group's servers (by plaintext port), authenticating with
   * the data or sentinel password as that server needs; resolves with the reply text.
   */
  command(port: number, ...args: (string | number)[]): Promise<string>;
  /** The master address the sentinels currently report (`SENTINEL GET-MASTER-ADDR-BY-NAME`, via INFO). */
  currentMasterPort(): Promise<number>;
  /**
   * Demotes the master behind the sentinels' back, as an operator's `REPLICAOF` (or a healed
   * partition) does: the replica at `replicaPort` becomes master and the old master its replica.
   * No failover, so no sentinel closes anyone's connections, and the sentinels still name the old
   * master until `pointSentinelsAt`.
   */
  swapRoles(replicaPort: number): Promise<void>;
  /** Makes every sentinel monitor the master at `port` instead (`SENTINEL REMOVE`, then `MONITOR`). */
  pointSentinelsAt(port: number): Promise<void>;
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
  const dataPassword = options.dataPassword;
  const sentinelPorts = new Set<number>();
  const command = (port: number, ...args: (string | number)[]): Promise<string> =>
    authCommand(port, sentinelPorts.has(port) ? options.sentinelPassword : dataPassword, args);
  const server = options.redisServer === undefined ? {} : { redisServer: options.redisServer };
  const auth =
    dataPassword === undefined ? [] : ['--requirepass', dataPassword, '--masterauth', dataPassword];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((server) => server.stop()));
  };
  try {
    const master = await startRedis({ args: auth, ...server });
    started.push(master);
    const replicas = await Promise.all(
      Array.from({ length: options.replicas ?? 1 }, async () => {
        const replica = await startRedis({
          args: ['--replicaof', '127.0.0.1', String(master.port), ...auth],
          ...server,
        });
        started.push(replica);
        return replica;
      }),
    );
    for (const replica of replicas) {
      await waitFor(`replica ${replica.port} in sync`, async () =>
        (await command(replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
      );
    }
    const config = [
      `sentinel monitor ${masterName} 127.0.0.1 ${master.port} ${options.quorum ?? 2}`,
      `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 1_000}`,
      `sentinel failover-timeout ${masterName} ${options.failoverTimeoutMs ?? 5_000}`,
      `sentinel parallel-syncs ${masterName} 1`,
      ...(dataPassword === undefined ? [] : [`sentinel auth-pass ${masterName} ${dataPassword}`]),
      ...(options.sentinelPassword === undefined ? [] : [`requirepass ${options.sentinelPassword}`]),
      '',
    ].join('\n');
    const tls = options.sentinelTls;
    const tlsPorts: number[] = [];
    const sentinelCount = options.sentinels ?? 3;
    const sentinels = await Promise.all(
      Array.from({ length: sentinelCount }, async (_, index) => {
        const sentinel =
          tls === undefined
            ? await startRedis({ sentinelConfig: config, ...server })
            : await withFreshPort(async (tlsPort) => {
                const tlsArgs = ['--tls-port', String(tlsPort), '--tls-cert-file', tls.certFile];
                tlsArgs.push('--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile);
                tlsArgs.push('--tls-auth-clients', 'no');
                const started = await startRedis({ sentinelConfig: config, args: tlsArgs, ...server });
                tlsPorts[index] = tlsPort; // in the order of `sentinels`, whichever starts first
                return started;
              });
        sentinelPorts.add(sentinel.port);
        started.push(sentinel);
        return sentinel;
      }),
    );
    const wanted = `slaves=${replicas.length},sentinels=${sentinelCount}`;
    for (const sentinel of sentinels) {
      await waitFor(`sentinel ${sentinel.port} to see ${wanted}`, async () =>
        (await command(sentinel.port, 'INFO', 'sentinel')).includes(wanted),
      );
    }
    let stopped: Promise<void> | undefined;
    return {
      masterName,
      master,
      replicas,
      sentinels,
      sentinelAddresses: sentinels.map((sentinel) => ({ host: sentinel.host, port: sentinel.port })),
      sentinelTlsAddresses: tlsPorts.map((port) => ({ host: '127.0.0.1', port })),
      command,
      currentMasterPort: async () => {
        for (const sentinel of sentinels) {
          if (sentinel.stopped) continue;
          const info = await command(sentinel.port, 'INFO', 'sentinel');
          const match = new RegExp(`name=${masterName},status=\\w+,address=[^:]+:(\\d+)`).exec(info);
          if (match?.[1] !== undefined) return Number(match[1]);
        }
        throw new Error(`no sentinel reports a master for ${masterName}`);
      },
      swapRoles: async (replicaPort) => {
        await command(replicaPort, 'REPLICAOF', 'NO', 'ONE');
        await command(master.port, 'REPLICAOF', '127.0.0.1', replicaPort);
      },
      pointSentinelsAt: async (port) => {
        for (const sentinel of sentinels) {
          await command(sentinel.port, 'SENTINEL', 'REMOVE', masterName);
          await command(
            sentinel.port,
            'SENTINEL',
            'MONITOR',
            masterName,
            '127.0.0.1',
            port,
            options.quorum ?? 2,
          );
        }
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

/**
 * `serverCommand`, after `AUTH password` on the same connection when a password is given. Reads
 * the two replies (AUTH's, then the command's: a status, error, integer or bulk string).
 */
function authCommand(port: number, password: string | undefined, args: (string | number)[]): Promise<string> {
  if (password === undefined) return serverCommand(port, ...args);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const finish = (err: Error | undefined, text?: string): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err !== undefined) reject(err);
      else resolve(text ?? '');
    };
    const timer = setTimeout(() => finish(new Error(`no reply from port ${port} within 5000 ms`)), 5_000);
    socket.once('connect', () =>
      socket.write(Buffer.concat([encodeCommand(['AUTH', password]), encodeCommand(args)])),
    );
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const authEnd = received.indexOf('\r\n');
      if (authEnd === -1) return;
      const authLine = received.toString('latin1', 0, authEnd);
      if (authLine !== '+OK') return finish(new Error(`AUTH on port ${port}: ${authLine.slice(1)}`));
      const rest = received.subarray(authEnd + 2);
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd === -1) return;
      const type = String.fromCharCode(rest[0] ?? 0);
      const line = rest.toString('utf8', 1, lineEnd);
      if (type === '-') return finish(new Error(`${args.join(' ')} on port ${port}: ${line}`));
      if (type !== '$') return finish(undefined, line);
      const length = Number(line);
      if (length < 0) return finish(undefined, '');
      if (rest.length >= lineEnd + 2 + length + 2)
        finish(undefined, rest.toString('utf8', lineEnd + 2, lineEnd + 2 + length));
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error(`port ${port} closed the connection before replying`)));
  });
}
