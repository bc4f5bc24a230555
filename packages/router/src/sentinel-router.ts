import { setTimeout as sleep } from 'node:timers/promises';
import {
  Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  InvalidOptionError,
  isPermanentFailure,
  PoolClosedError,
  TimeoutError,
  type Transport,
  tcp,
} from '@fusedis/pool';
import type { Command, CommandArg } from '@fusedis/resp';
import { checkedNatMap, checkedRetryDelay } from './checked-callbacks.js';
import type { NodeAddress } from './cluster-topology.js';
import { MasterDemotedError, RedirectionLimitError, TopologyDiscoveryError } from './errors.js';
import { addressKey, NodeLink, type NodePoolOptions, sameAddress } from './node-link.js';
import type { DedicatedWork, DispatchOptions, NodeRole, Router, RouterNode } from './router.js';
import { checkSentinelRouterOptions } from './router-options.js';
import { parseAddress, SENTINEL_CHANNELS, sentinelEvent } from './sentinel-events.js';
import { StandaloneRouter } from './standalone-router.js';
import { isReadOnlyRefusal, refusedAsReplica } from './transaction-refusal.js';
import { abortable } from './until-aborted.js';

/** Options for {@link SentinelRouter}. Durations are in milliseconds. */
export interface SentinelRouterOptions {
  /** Sentinels to ask; the first that answers is used, and moved to the front. */
  readonly sentinels: readonly NodeAddress[];
  /** The monitored master's name (`sentinel monitor <name> …`). */
  readonly masterName: string;
  /**
   * Adds the sentinels that the one answering knows (`SENTINEL SENTINELS`) to those asked and
   * watched, so the router still finds and follows the master when the sentinels it was given are
   * down. Their reported addresses go through `natMap`; `false` when they are not reachable from
   * here and no map says how. @default true
   */
  readonly updateSentinels?: boolean;
  /** Connection options for the data nodes (auth, protocol, timeouts, decoder…). */
  readonly connection?: Omit<ConnectionOptions, 'transport'>;
  /** Connection options for the sentinels themselves: their own auth and TLS. */
  readonly sentinelConnection?: Omit<ConnectionOptions, 'transport'>;
  /**
   * Maps an address the sentinels report — a data node's, or another sentinel's that this router
   * learns (`updateSentinels`) — to one this process can reach (NAT, containers); `transport` and
   * `sentinelTransport` are then built for the mapped address. The sentinels given are used as
   * given. @default identity
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
 * from the moment their leader announces the replica it promotes (`+selected-slave`: new commands
 * wait for it to become master) or a sentinel announces `+switch-master`, and rediscovers the master when its link
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
  readonly #natMap: (address: NodeAddress) => NodeAddress;
  #master: NodeLink | undefined;
  #replicas: NodeLink[] = [];
  #replicaTurn = 0;
  #discovering: Promise<NodeLink> | undefined;
  /** One subscription per sentinel (undefined while it connects), by `host:port`. */
  readonly #watchers = new Map<string, Connection | undefined>();
  /** Failed subscription attempts in a row, per sentinel: a sentinel that stays away is asked less often. */
  readonly #watchFailures = new Map<string, number>();
  /** The replica a failover's leader is promoting (`+selected-slave`), until the wait ends. */
  #promoting: { readonly replica: NodeAddress; readonly until: number } | undefined;
  #closed = false;
  /** Set by `destroy()`: no data link may be made after it, and discovery ends with it. */
  #destroyed: Error | undefined;
  /** Aborts the connections to sentinels still opening when `destroy()` comes. */
  readonly #stopAsking = new AbortController();

  constructor(options: SentinelRouterOptions) {
    checkSentinelRouterOptions(options);
    this.#options = options;
    this.#sentinels = [...options.sentinels];
    this.#maxRetries = options.maxRetries ?? 20;
    // Only the caller's function is checked: the default's results need no check.
    this.#retryDelay =
      options.retryDelay === undefined
        ? (n) => Math.min(100 * 2 ** (n - 1), 1_000)
        : checkedRetryDelay(options.retryDelay, 'SentinelRouter');
    this.#natMap = checkedNatMap(options.natMap, 'SentinelRouter');
  }

  /** The master currently in use, once discovered. */
  get master(): NodeAddress | undefined {
    return this.#master?.address;
  }

  /**
   * The sentinels it asks, in the order it asks them: those given, the one that answered last
   * first, then those learned (`updateSentinels`).
   */
  get sentinels(): readonly NodeAddress[] {
    return [...this.#sentinels];
  }

  /** Discovers the master and starts watching for failovers. */
  async connect(): Promise<void> {
    await this.#ensureMaster();
  }

  /**
   * The master the sentinels name (found first if need be) and its replicas (asked of the
   * sentinels when reads do not already go to them), each with a router that sends to it alone
   * over this router's link to it (a replica's in READONLY mode). After a failover the old
   * master's link is closed: its router's commands reject; ask again.
   */
  async nodes(role?: NodeRole): Promise<readonly RouterNode[]> {
    if (this.#closed) throw new ConnectionClosedError('the sentinel router is closed', false);
    const master = await this.#ensureMaster();
    if (role !== 'master' && !this.#readsReplicas()) await this.#listReplicas();
    if (this.#closed) throw new ConnectionClosedError('the sentinel router is closed', false);
    const node = (link: NodeLink, nodeRole: NodeRole): RouterNode => ({
      address: this.#natMap(link.address),
      role: nodeRole,
      router: new StandaloneRouter({ link, retryDelay: this.#retryDelay }),
    });
    return [
      ...(role === 'replica' ? [] : [node(master, 'master')]),
      ...(role === 'master' ? [] : this.#replicas.map((link) => node(link, 'replica'))),
    ];
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
    fn: DedicatedWork<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const link = this.#master ?? (await this.#ensureMaster());
      try {
        return await link.withDedicated(fn, signal);
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
   * Sends a transaction's batch (`MULTI` … `EXEC`) in one write on the shared connection to the
   * master (never split, so no other caller's command lands inside it). A master demoted behind
   * the sentinels' back refuses it with READONLY (then EXECABORT): none of it ran, so it goes
   * again, whole, to the master found next; so does a batch whose link was lost before it was
   * written. Any other outcome is returned as the replies.
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
        link = this.#master ?? (await this.#ensureMaster());
        replies = await link.sendMany(cmds, signal);
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
        link = this.#master ?? (await this.#ensureMaster());
        const replies = await link.sendMany(cmds, options?.signal);
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
    // Calls made before close() that wait for a discovery in flight go on to the master it finds
    // first, whose link then closes gracefully (their replies still come); closing before it
    // ends left that link open for good.
    await this.#discovering?.then(
      () => {},
      () => {},
    );
    await new Promise((resolve) => setImmediate(resolve));
    for (const watcher of this.#watchers.values()) watcher?.destroy();
    const links = [this.#master, ...this.#replicas].filter((link) => link !== undefined);
    await Promise.allSettled(links.map((link) => link.close('serve')));
  }

  /** Closes at once: the data links' connections are destroyed, pending commands reject. */
  async destroy(reason: Error): Promise<void> {
    this.#closed = true;
    this.#destroyed = reason;
    this.#stopAsking.abort(reason);
    for (const watcher of this.#watchers.values()) watcher?.destroy();
    const links = [this.#master, ...this.#replicas].filter((link) => link !== undefined);
    await Promise.allSettled(links.map((link) => link.destroy(reason)));
  }

  async #send(cmd: Command, options: DispatchOptions | undefined, attempt: number): Promise<unknown> {
    let link: NodeLink | undefined;
    try {
      // The master known: no await, so a close() right after this call finds it on its link.
      link = this.#readLink(cmd) ?? this.#master ?? (await this.#ensureMaster());
      if (cmd.blocking === true) return await link.sendBlocking(cmd, options?.signal);
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
    const promoted = await this.#awaitPromotion();
    if (promoted !== undefined) return promoted;
    if (this.#closed) throw new ConnectionClosedError('the sentinel router is closed', false);
    let lastError: unknown;
    for (let i = 0; i < this.#sentinels.length; i++) {
      const sentinel = this.#sentinels[i] as NodeAddress;
      try {
        const { master, replicas, sentinels } = await this.#askSentinel(sentinel);
        this.#checkMapped([master, ...replicas, ...sentinels]);
        const link = this.#dataLink(master, false);
        const connection = await link.connection();
        const role = (await connection.send({ args: ['ROLE'] })) as unknown[];
        if (this.#destroyed !== undefined) {
          // destroy() came while this asked: the link is not the master's yet, so it missed it.
          await link.destroy(this.#destroyed);
          throw this.#destroyed;
        }
        if (role[0] !== 'master') {
          await link.close();
          throw new TopologyDiscoveryError(
            `sentinel ${addressKey(sentinel)} named ${addressKey(master)}, which is not a master`,
          );
        }
        const promoting = this.#promoting;
        if (promoting !== undefined && !sameAddress(master, promoting.replica)) {
          // A failover began while this asked (`+selected-slave`): its replica, not the old master.
          await link.close();
          return await this.#discover();
        }
        // The sentinel that answered goes first next time.
        this.#sentinels.splice(i, 1);
        this.#sentinels.unshift(sentinel);
        this.#master = link;
        this.#setReplicas(replicas);
        for (const found of sentinels) this.#learnSentinel(found);
        this.#watch();
        return link;
      } catch (err) {
        // The user's natMap is wrong: no other sentinel would make it right.
        if (err instanceof InvalidOptionError) throw err;
        if (this.#destroyed !== undefined) throw this.#destroyed;
        lastError = err;
      }
    }
    throw new TopologyDiscoveryError(`no sentinel knows a master named ${this.#options.masterName}`, {
      cause: lastError,
    });
  }

  async #askSentinel(
    sentinel: NodeAddress,
  ): Promise<{ master: NodeAddress; replicas: NodeAddress[]; sentinels: NodeAddress[] }> {
    const connection = await Connection.open(this.#sentinelOptions(sentinel), this.#stopAsking.signal);
    try {
      const name = this.#options.masterName;
      const address = (await connection.send({ args: ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name] })) as
        | [string, string]
        | null;
      if (address === null)
        throw new TopologyDiscoveryError(`sentinel ${addressKey(sentinel)} does not monitor ${name}`);
      const master = { host: address[0], port: Number(address[1]) };
      const replicas = this.#readsReplicas() ? await replicasOf(connection, name) : [];
      const sentinels: NodeAddress[] = [];
      if (this.#options.updateSentinels !== false) {
        try {
          const listed = (await connection.send({ args: ['SENTINEL', 'SENTINELS', name] })) as unknown[];
          // All of them, flags aside: a sentinel's view of another (`disconnected` while its link is
          // being made, `s_down`) says nothing of whether this process reaches it, and the list
          // is only tried in order. Filtering on `disconnected` (as ioredis does) learned none in
          // 2 of 5 runs of this package's test file, right after the group started.
          for (const entry of listed) {
            const sentinel = listedAddress(entry);
            if (sentinel !== undefined) sentinels.push(sentinel);
          }
        } catch {
          // An ACL may refuse it: the sentinels given still serve.
        }
      }
      return { master, replicas, sentinels };
    } finally {
      await connection.close().catch(() => {});
    }
  }

  /** Whether read-only commands may go to replicas (then every discovery lists them). */
  #readsReplicas(): boolean {
    return this.#options.readFrom !== undefined && this.#options.readFrom !== 'master';
  }

  /**
   * The replicas the sentinels list now, for `nodes()` when discovery does not list them (reads
   * go to the master): kept as the router's replica links until the next discovery.
   */
  async #listReplicas(): Promise<void> {
    let lastError: unknown;
    for (const sentinel of this.#sentinels) {
      let connection: Connection | undefined;
      try {
        connection = await Connection.open(this.#sentinelOptions(sentinel), this.#stopAsking.signal);
        const replicas = await replicasOf(connection, this.#options.masterName);
        this.#checkMapped(replicas);
        if (!this.#closed) this.#setReplicas(replicas); // else nodes() reports the close
        return;
      } catch (err) {
        // The user's natMap is wrong: no other sentinel would make it right.
        if (err instanceof InvalidOptionError) throw err;
        lastError = err;
      } finally {
        await connection?.close().catch(() => {});
      }
    }
    throw new TopologyDiscoveryError(`no sentinel lists the replicas of ${this.#options.masterName}`, {
      cause: lastError,
    });
  }

  /** Keeps the links to replicas still listed (their connections, and routers `nodes()` gave), closes the rest. */
  /** Every address through natMap before any link is made: a result it refuses throws first, leaving nothing half set up. */
  #checkMapped(addresses: readonly NodeAddress[]): void {
    for (const address of addresses) this.#natMap(address);
  }

  #setReplicas(replicas: readonly NodeAddress[]): void {
    const old = new Map(this.#replicas.map((link) => [link.key, link]));
    this.#replicas = replicas.map((address) => {
      const kept = old.get(addressKey(address));
      old.delete(addressKey(address));
      return kept !== undefined && !kept.closed ? kept : this.#dataLink(address, true);
    });
    for (const link of old.values()) link.close().catch(() => {});
  }

  /**
   * While a failover's leader promotes a replica, waits for that replica to say it is master
   * (`ROLE`, every 10 ms, for up to 2 s) and uses it at once: the sentinels name it only about a
   * second later, and the old master, which keeps taking writes until then, loses them when it is
   * turned into a replica. Undefined when no promotion is under way or the wait ran out.
   */
  async #awaitPromotion(): Promise<NodeLink | undefined> {
    const promoting = this.#promoting;
    if (promoting === undefined) return undefined;
    const link = this.#dataLink(promoting.replica, false);
    while (this.#promoting === promoting && !this.#closed) {
      const left = promoting.until - Date.now();
      if (left <= 0) break;
      try {
        const signal = AbortSignal.timeout(left);
        const connection = await link.connection(signal);
        const role = (await connection.send({ args: ['ROLE'] }, signal)) as unknown[];
        if (role[0] === 'master' && !this.#closed) {
          this.#master = link;
          this.#watch();
          return link;
        }
      } catch {
        // Not reachable, or not promoted yet: ask again until the wait runs out.
      }
      await sleep(PROMOTION_POLL_MS);
    }
    if (this.#promoting === promoting) this.#promoting = undefined;
    await link.close().catch(() => {});
    return undefined;
  }

  /**
   * Keeps a subscription to `+switch-master`, `+selected-slave` and `+sentinel` on every sentinel
   * it knows: only the failover's leader, which may be any of them, announces the replica it
   * promotes.
   */
  #watch(): void {
    for (const sentinel of this.#sentinels) this.#watchSentinel(sentinel);
  }

  #watchSentinel(sentinel: NodeAddress): void {
    const key = addressKey(sentinel);
    if (this.#closed || this.#watchers.has(key)) return;
    this.#watchers.set(key, undefined);
    this.#subscribe(sentinel).then(
      (connection) => {
        if (this.#closed) {
          connection.destroy();
          return;
        }
        this.#watchers.set(key, connection);
        this.#watchFailures.delete(key);
        const renew = (): void => this.#watchAgain(sentinel, 100);
        if (connection.closed) renew();
        else connection.on('close', renew);
      },
      () => {
        // 1 s, doubling to 30 s: a sentinel that is gone for good (`SENTINEL SENTINELS` lists them
        // until a reset) costs a connection attempt every 30 s, not every second.
        const failures = (this.#watchFailures.get(key) ?? 0) + 1;
        this.#watchFailures.set(key, failures);
        this.#watchAgain(sentinel, Math.min(1_000 * 2 ** (failures - 1), 30_000));
      },
    );
  }

  /** A sentinel's subscription dropped or could not be made: tries again after `delayMs`. */
  #watchAgain(sentinel: NodeAddress, delayMs: number): void {
    this.#watchers.delete(addressKey(sentinel));
    if (!this.#closed) setTimeout(() => this.#watchSentinel(sentinel), delayMs).unref();
  }

  async #subscribe(sentinel: NodeAddress): Promise<Connection> {
    const connection = await Connection.open({
      ...this.#sentinelOptions(sentinel),
      protocol: 3,
      commandTimeout: 0,
      onPush: (push) => this.#onSentinelEvent(push),
    });
    try {
      await connection.send({ args: ['SUBSCRIBE', ...SENTINEL_CHANNELS] });
    } catch (err) {
      connection.destroy();
      throw err;
    }
    return connection;
  }

  /**
   * Adds a sentinel another one reported to those asked, unless known already. Its reported
   * address goes through `natMap`, as ioredis does: sentinels behind NAT report addresses that
   * only the map knows how to reach. Returns the address it is reached at.
   */
  #learnSentinel(reported: NodeAddress): NodeAddress {
    const sentinel = this.#natMap(reported);
    if (!this.#sentinels.some((known) => sameAddress(known, sentinel))) this.#sentinels.push(sentinel);
    return sentinel;
  }

  #onSentinelEvent(push: unknown[]): void {
    const event = sentinelEvent(push, this.#options.masterName);
    if (event === undefined) return;
    if (event.kind === 'sentinel-added') {
      if (this.#options.updateSentinels === false) return;
      let learned: NodeAddress;
      try {
        learned = this.#learnSentinel(event.sentinel);
      } catch {
        // natMap refused its address (a push has no caller to reject): not added. The same map
        // meets the next discovery's addresses, whose command reports it.
        return;
      }
      this.#watchSentinel(learned);
      return;
    }
    const current = this.#master;
    if (event.kind === 'selected-replica') {
      if (this.#promoting !== undefined && sameAddress(this.#promoting.replica, event.replica)) return;
      this.#promoting = { replica: event.replica, until: Date.now() + PROMOTION_WAIT_MS };
      // From now on the old master's writes would be lost with it: new commands wait for the
      // replica to become master (`#awaitPromotion`); in-flight ones settle on the old link.
      if (current !== undefined && !sameAddress(current.address, event.replica)) this.#forget(current);
      return;
    }
    this.#promoting = undefined;
    if (current === undefined || sameAddress(current.address, event.master)) return;
    // Drop the old master: in-flight commands settle on it; new ones rediscover (and verify) the new one.
    this.#forget(current);
  }

  /** A link to a data node, known by its reported `address` (failovers name it so), reached through natMap. */
  #dataLink(address: NodeAddress, replica: boolean): NodeLink {
    // A discovery in flight when destroy() came: its link would never be closed.
    if (this.#destroyed !== undefined) throw this.#destroyed;
    const reach = this.#natMap(address);
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

/** How long commands wait for a replica being promoted to say it is master, before asking the sentinels again. */
const PROMOTION_WAIT_MS = 2_000;
const PROMOTION_POLL_MS = 10;

/** The address of an entry of `SENTINEL REPLICAS` / `SENTINEL SENTINELS`; undefined if unreadable. */
function listedAddress(entry: unknown): NodeAddress | undefined {
  const host = field(entry, 'ip');
  const port = field(entry, 'port');
  return parseAddress(
    host === undefined ? undefined : String(host),
    port === undefined ? undefined : String(port),
  );
}

function field(entry: unknown, name: string): unknown {
  if (Array.isArray(entry)) {
    for (let i = 0; i + 1 < entry.length; i += 2) if (entry[i] === name) return entry[i + 1];
    return undefined;
  }
  if (entry instanceof Map) return entry.get(name);
  return typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)[name] : undefined;
}

/** The replicas a sentinel lists for `name`, but those it sees down or disconnected. */
async function replicasOf(connection: Connection, name: string): Promise<NodeAddress[]> {
  const listed = (await connection.send({ args: ['SENTINEL', 'REPLICAS', name] })) as unknown[];
  const replicas: NodeAddress[] = [];
  for (const entry of listed) {
    const flags = String(field(entry, 'flags') ?? '');
    if (flags.includes('s_down') || flags.includes('o_down') || flags.includes('disconnected')) continue;
    const replica = listedAddress(entry);
    if (replica !== undefined) replicas.push(replica);
  }
  return replicas;
}
