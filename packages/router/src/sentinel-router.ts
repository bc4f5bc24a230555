import { setTimeout as sleep } from 'node:timers/promises';
import {
  Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  PoolClosedError,
  TimeoutError,
  type Transport,
  tcp,
} from '@fusedis/pool';
import type { Command, CommandArg } from '@fusedis/resp';
import type { NodeAddress } from './cluster-topology.js';
import { MasterDemotedError, RedirectionLimitError, TopologyDiscoveryError } from './errors.js';
import { addressKey, NodeLink, type NodePoolOptions } from './node-link.js';
import { isPermanentFailure } from './permanent-failure.js';
import type { DispatchOptions, Router } from './router.js';
import { isReadOnlyRefusal, refusedAsReplica } from './transaction-refusal.js';
import { abortable } from './until-aborted.js';

/** Options for {@link SentinelRouter}. Durations are in milliseconds. */
export interface SentinelRouterOptions {
  /** Sentinels to ask; the first that answers is used, and moved to the front. */
  readonly sentinels: readonly NodeAddress[];
  /** The monitored master's name (`sentinel monitor <name> …`). */
  readonly masterName: string;
  /** Connection options for the data nodes (auth, protocol, timeouts, decoder…). */
  readonly connection?: Omit<ConnectionOptions, 'transport'>;
  /** Connection options for the sentinels themselves: their own auth and TLS. */
  readonly sentinelConnection?: Omit<ConnectionOptions, 'transport'>;
  /**
   * Maps a data node's address as the sentinels report it to one this process can reach (NAT,
   * containers); `transport` is then built for the mapped address. @default identity
   */
  readonly natMap?: (address: NodeAddress) => NodeAddress;
  /** Transport to a data node. @default tcp(address) */
  readonly transport?: (address: NodeAddress) => Transport;
  /** Transport to a sentinel. @default tcp(address) */
  readonly sentinelTransport?: (address: NodeAddress) => Transport;
  /** Where read-only commands go. @default 'master' */
  readonly readFrom?: 'master' | 'replica' | 'preferReplica';
  /** Retries of a command whose link failed before it was written, or that hit a demoted master. @default 20 */
  readonly maxRetries?: number;
  /** Delay before retry `n` (1-based). @default min(100·2^(n-1), 1000) */
  readonly retryDelay?: (attempt: number) => number;
  /** Pool of dedicated connections, for blocking commands. */
  readonly pool?: NodePoolOptions;
}

/**
 * Routes commands to the master that Sentinel reports (verified with `ROLE`), follows failovers
 * as soon as a sentinel announces `+switch-master`, and rediscovers the master when its link
 * fails or it answers `READONLY` (it was demoted). Read-only commands may go to replicas.
 *
 * At most once: a command written to a master whose link then failed is not re-sent (it rejects
 * with `written: true`) unless it is marked `idempotent`.
 */
export class SentinelRouter implements Router {
  readonly #options: SentinelRouterOptions;
  readonly #sentinels: NodeAddress[];
  readonly #maxRetries: number;
  readonly #retryDelay: (attempt: number) => number;
  #master: NodeLink | undefined;
  #replicas: NodeLink[] = [];
  #replicaTurn = 0;
  #discovering: Promise<NodeLink> | undefined;
  #watcher: Connection | undefined;
  #watching: Promise<void> | undefined;
  #closed = false;

  constructor(options: SentinelRouterOptions) {
    if (options.sentinels.length === 0) throw new TypeError('SentinelRouter needs at least one sentinel');
    this.#options = options;
    this.#sentinels = [...options.sentinels];
    this.#maxRetries = options.maxRetries ?? 20;
    this.#retryDelay = options.retryDelay ?? ((n) => Math.min(100 * 2 ** (n - 1), 1_000));
  }

  /** The master currently in use, once discovered. */
  get master(): NodeAddress | undefined {
    return this.#master?.address;
  }

  /** Discovers the master and starts watching for failovers. */
  async connect(): Promise<void> {
    await this.#ensureMaster();
  }

  dispatch(cmd: Command, options?: DispatchOptions): Promise<unknown> {
    return this.#send(cmd, options, 0);
  }

  /**
   * Runs `fn` on a dedicated connection to the current master (transactions, blocking commands).
   * `fn` rejecting with READONLY means that node was demoted: it is dropped, and this rejects with
   * `MasterDemotedError`.
   */
  async withDedicated<R>(
    _keys: readonly CommandArg[],
    fn: (connection: Connection) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const link = await this.#ensureMaster();
      try {
        return await link.pool().use(fn, signal);
      } catch (err) {
        if (isReadOnlyRefusal(err)) {
          this.#forget(link);
          throw new MasterDemotedError({ cause: err });
        }
        // The master's link was dropped while this waited for a connection (`fn` never ran): go
        // on with the master found next.
        if (!(err instanceof PoolClosedError) || this.#closed || attempt >= this.#maxRetries) throw err;
      }
    }
  }

  /**
   * Sends a transaction's batch (`MULTI` … `EXEC`) in one write on a dedicated connection to the
   * master. A master demoted behind the sentinels' back refuses it with READONLY (then EXECABORT):
   * none of it ran, so it goes again, whole, to the master found next; so does a batch whose
   * link was lost before it was written. Any other outcome is returned as the replies.
   */
  async transaction(
    _keys: readonly CommandArg[],
    cmds: readonly Command[],
    signal?: AbortSignal,
  ): Promise<unknown[]> {
    for (let attempt = 0; ; attempt++) {
      let link: NodeLink | undefined;
      let replies: unknown[];
      try {
        link = await this.#ensureMaster();
        replies = await link.pool().use((connection) => connection.sendMany(cmds, signal), signal);
      } catch (err) {
        // No master known yet, or unwritten (a lost link, a pool closed by a failover): nothing ran.
        if (!this.#retryable(err, cmds, attempt, signal === undefined ? undefined : { signal })) throw err;
        if (link !== undefined) this.#forget(link);
        await sleep(this.#retryDelay(attempt + 1));
        continue;
      }
      if (!refusedAsReplica(replies) || attempt >= this.#maxRetries || signal?.aborted === true)
        return replies;
      this.#forget(link);
      await sleep(this.#retryDelay(attempt + 1));
    }
  }

  /** Aborted (`options.signal`), rejects with the signal's reason at once, even while a master is sought. */
  dispatchMany(cmds: readonly Command[], options?: DispatchOptions): Promise<unknown[]> {
    return abortable(options?.signal, () => this.#dispatchManyToMaster(cmds, options));
  }

  async #dispatchManyToMaster(
    cmds: readonly Command[],
    options: DispatchOptions | undefined,
  ): Promise<unknown[]> {
    for (let attempt = 0; ; attempt++) {
      let link: NodeLink | undefined;
      try {
        link = await this.#ensureMaster();
        const connection = link.ready ?? (await link.connection(options?.signal));
        const replies = await connection.sendMany(cmds, options?.signal);
        if (!replies.some(isReadOnlyRefusal)) return replies;
        // Demoted mid-batch: only the refused commands go again, to the new master.
        this.#forget(link);
        return await Promise.all(
          replies.map((reply, i) =>
            isReadOnlyRefusal(reply)
              ? this.#send(cmds[i] as Command, options, attempt + 1).catch((err: unknown) => err)
              : reply,
          ),
        );
      } catch (err) {
        if (!this.#retryable(err, cmds, attempt, options)) throw err;
        if (link !== undefined) this.#forget(link);
        await sleep(this.#retryDelay(attempt + 1));
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher?.destroy();
    const links = [this.#master, ...this.#replicas].filter((link) => link !== undefined);
    await Promise.allSettled(links.map((link) => link.close()));
  }

  async #send(cmd: Command, options: DispatchOptions | undefined, attempt: number): Promise<unknown> {
    let link: NodeLink | undefined;
    try {
      link = this.#readLink(cmd) ?? (await this.#ensureMaster());
      if (cmd.blocking === true)
        return await link.pool().use((c) => c.send(cmd, options?.signal), options?.signal);
      const connection = link.ready ?? (await link.connection(options?.signal));
      return await connection.send(cmd, options?.signal);
    } catch (err) {
      const demoted = isReadOnlyRefusal(err) && link === this.#master;
      if (!demoted && !this.#retryable(err, [cmd], attempt, options)) throw err;
      if (attempt + 1 > this.#maxRetries) throw new RedirectionLimitError(attempt + 1, { cause: err });
      if (link !== undefined) this.#forget(link);
      await sleep(this.#retryDelay(attempt + 1));
      return this.#send(cmd, options, attempt + 1);
    }
  }

  /** A failure that left every command unsent (or harmless to resend). */
  #retryable(err: unknown, cmds: readonly Command[], attempt: number, options?: DispatchOptions): boolean {
    if (this.#closed || options?.signal?.aborted === true || attempt >= this.#maxRetries) return false;
    if (isPermanentFailure(err)) return false; // a refused certificate or password stays refused
    // The master's link was dropped (a lost link, a failover) while it waited for a pooled
    // connection: it was not written.
    if (err instanceof PoolClosedError) return true;
    const idempotent = cmds.every((cmd) => cmd.idempotent === true);
    if (err instanceof ConnectionClosedError) return !err.written || idempotent;
    if (err instanceof TimeoutError) return err.phase === 'connect' || idempotent;
    if (err instanceof TopologyDiscoveryError) return true;
    return (
      err instanceof Error &&
      'code' in err &&
      /^E(CONNREFUSED|CONNRESET|PIPE|HOSTUNREACH)$/.test(String(err.code))
    );
  }

  /** Drops a link that failed so the next command rediscovers the master. */
  #forget(link: NodeLink): void {
    if (link === this.#master) {
      this.#master = undefined;
      link.close().catch(() => {});
    }
  }

  #readLink(cmd: Command): NodeLink | undefined {
    if (cmd.readOnly !== true || this.#options.readFrom === undefined || this.#options.readFrom === 'master')
      return undefined;
    const replicas = this.#replicas.filter((link) => link.ready !== undefined || this.#master !== undefined);
    if (replicas.length === 0) return undefined;
    this.#replicaTurn = (this.#replicaTurn + 1) % replicas.length;
    return replicas[this.#replicaTurn];
  }

  #ensureMaster(): Promise<NodeLink> {
    if (this.#master !== undefined) return Promise.resolve(this.#master);
    if (this.#closed)
      return Promise.reject(new ConnectionClosedError('the sentinel router is closed', false));
    this.#discovering ??= this.#discover().finally(() => {
      this.#discovering = undefined;
    });
    return this.#discovering;
  }

  async #discover(): Promise<NodeLink> {
    let lastError: unknown;
    for (let i = 0; i < this.#sentinels.length; i++) {
      const sentinel = this.#sentinels[i] as NodeAddress;
      try {
        const { master, replicas } = await this.#askSentinel(sentinel);
        const link = this.#dataLink(master, false);
        const connection = await link.connection();
        const role = (await connection.send({ args: ['ROLE'] })) as unknown[];
        if (role[0] !== 'master') {
          await link.close();
          throw new TopologyDiscoveryError(
            `sentinel ${addressKey(sentinel)} named ${addressKey(master)}, which is not a master`,
          );
        }
        // The sentinel that answered goes first next time.
        this.#sentinels.splice(i, 1);
        this.#sentinels.unshift(sentinel);
        this.#master = link;
        this.#setReplicas(replicas);
        this.#watch();
        return link;
      } catch (err) {
        lastError = err;
      }
    }
    throw new TopologyDiscoveryError(`no sentinel knows a master named ${this.#options.masterName}`, {
      cause: lastError,
    });
  }

  async #askSentinel(sentinel: NodeAddress): Promise<{ master: NodeAddress; replicas: NodeAddress[] }> {
    const connection = await Connection.open(this.#sentinelOptions(sentinel));
    try {
      const name = this.#options.masterName;
      const address = (await connection.send({ args: ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name] })) as
        | [string, string]
        | null;
      if (address === null)
        throw new TopologyDiscoveryError(`sentinel ${addressKey(sentinel)} does not monitor ${name}`);
      const master = { host: address[0], port: Number(address[1]) };
      const replicas: NodeAddress[] = [];
      if (this.#options.readFrom !== undefined && this.#options.readFrom !== 'master') {
        const listed = (await connection.send({ args: ['SENTINEL', 'REPLICAS', name] })) as unknown[];
        for (const entry of listed) {
          const flags = String(field(entry, 'flags') ?? '');
          if (flags.includes('s_down') || flags.includes('o_down') || flags.includes('disconnected'))
            continue;
          replicas.push({ host: String(field(entry, 'ip')), port: Number(field(entry, 'port')) });
        }
      }
      return { master, replicas };
    } finally {
      await connection.close().catch(() => {});
    }
  }

  #setReplicas(replicas: readonly NodeAddress[]): void {
    const old = this.#replicas;
    this.#replicas = replicas.map((address) => this.#dataLink(address, true));
    for (const link of old) link.close().catch(() => {});
  }

  /** Keeps one subscription to `+switch-master` on a sentinel, moving on to the next when it drops. */
  #watch(): void {
    if (this.#watching !== undefined || this.#closed) return;
    this.#watching = this.#subscribe().finally(() => {
      this.#watching = undefined;
    });
  }

  async #subscribe(): Promise<void> {
    for (const sentinel of this.#sentinels) {
      try {
        const connection = await Connection.open({
          ...this.#sentinelOptions(sentinel),
          protocol: 3,
          commandTimeout: 0,
          onPush: (push) => this.#onSentinelEvent(push),
        });
        connection.on('close', () => {
          this.#watcher = undefined;
          if (!this.#closed) setTimeout(() => this.#watch(), 100).unref();
        });
        await connection.send({ args: ['SUBSCRIBE', '+switch-master'] });
        this.#watcher = connection;
        return;
      } catch {
        // Try the next sentinel.
      }
    }
    if (!this.#closed) setTimeout(() => this.#watch(), 1_000).unref();
  }

  #onSentinelEvent(push: unknown[]): void {
    if (push[0] !== 'message' || push[1] !== '+switch-master') return;
    const [name, , , host, port] = String(push[2]).split(' ');
    if (name !== this.#options.masterName || host === undefined || port === undefined) return;
    const current = this.#master;
    if (current !== undefined && current.address.host === host && current.address.port === Number(port))
      return;
    // Drop the old master: in-flight commands settle on it; new ones rediscover (and verify) the new one.
    if (current !== undefined) this.#forget(current);
  }

  /** A link to a data node, known by its reported `address` (failovers name it so), reached through natMap. */
  #dataLink(address: NodeAddress, replica: boolean): NodeLink {
    const reach = this.#options.natMap?.(address) ?? address;
    const transport = this.#options.transport?.(reach) ?? tcp({ host: reach.host, port: reach.port });
    return new NodeLink(
      address,
      { ...this.#options.connection, transport },
      this.#options.pool,
      replica
        ? async (connection) => void (await connection.send({ args: ['READONLY'] }).catch(() => {}))
        : undefined,
    );
  }

  #sentinelOptions(sentinel: NodeAddress): ConnectionOptions {
    const transport =
      this.#options.sentinelTransport?.(sentinel) ?? tcp({ host: sentinel.host, port: sentinel.port });
    return { connectTimeout: 2_000, ...this.#options.sentinelConnection, transport };
  }
}

function field(entry: unknown, name: string): unknown {
  if (Array.isArray(entry)) {
    for (let i = 0; i + 1 < entry.length; i += 2) if (entry[i] === name) return entry[i + 1];
    return undefined;
  }
  if (entry instanceof Map) return entry.get(name);
  return typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)[name] : undefined;
}
