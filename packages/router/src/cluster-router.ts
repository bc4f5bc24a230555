import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  isPermanentFailure,
  PoolClosedError,
  TimeoutError,
  type Transport,
  tcp,
} from '@fusedis/pool';
import { type Command, type CommandArg, ReplyError } from '@fusedis/resp';
import { checkedNatMap, checkedRetryDelay } from './checked-callbacks.js';
import {
  clusterScanRefusal,
  commandName,
  commandSlot,
  fanOutReduce,
  isWait,
  joinParts,
  reduceReplies,
  splitBySlot,
  waitRefusal,
} from './cluster-commands.js';
import type { ClusterNodeInfo, ClusterShard, NodeAddress } from './cluster-topology.js';
import { ClusterTopology } from './cluster-topology-state.js';
import { CrossSlotError, RedirectionLimitError } from './errors.js';
import { addressKey, NodeLink, type NodePoolOptions } from './node-link.js';
import { parseRedirection } from './redirection.js';
import type { DedicatedWork, DispatchOptions, NodeRole, Router, RouterNode, ScanTarget } from './router.js';
import { checkClusterRouterOptions } from './router-options.js';
import { StandaloneRouter } from './standalone-router.js';
import { transactionRefusal } from './transaction-refusal.js';
import { abortable } from './until-aborted.js';

/** Options for {@link ClusterRouter}. Durations are in milliseconds. */
export interface ClusterRouterOptions {
  /** Nodes to discover the cluster from; any one that answers is enough. */
  readonly seeds: readonly NodeAddress[];
  /** Connection options for every node (auth, protocol, timeouts, decoder…), without the transport. */
  readonly connection?: Omit<ConnectionOptions, 'transport'>;
  /**
   * Builds the transport to a node: e.g. `(a) => tls({ ...a, servername: a.host, ca })` for TLS
   * with per-node server names. @default tcp(address)
   */
  readonly transport?: (address: NodeAddress) => Transport;
  /** Maps an address the cluster announces to one this client can reach (NAT, containers). */
  readonly natMap?: (address: NodeAddress) => NodeAddress;
  /**
   * Where read-only commands go: masters only, replicas only (masters when a shard has none),
   * or replicas when one is online. @default 'master'
   */
  readonly readFrom?: 'master' | 'replica' | 'preferReplica';
  /** Redirections (MOVED/ASK) and retries (TRYAGAIN, CLUSTERDOWN, LOADING, lost links) per command. @default 16 */
  readonly maxRedirections?: number;
  /** Delay before retry `n` (1-based) of a command the cluster asked to retry. @default min(50·2^n, 1000) */
  readonly retryDelay?: (attempt: number) => number;
  /** Topology refresh period; 0 = only on errors and redirections. @default 30_000 */
  readonly refreshInterval?: number;
  /** Pool of dedicated connections per node, for blocking commands. */
  readonly pool?: NodePoolOptions;
}

const ASKING: Command = { args: ['ASKING'] };
/** Redirections of one command followed without a pause; later ones wait `retryDelay` first. */
const MOVES_AT_ONCE = 2;
/** What `#target` routes by slot alone (a transaction, a dedicated connection). */
const NO_COMMAND: Command = { args: [] };
const RETRY_CODES = new Set(['TRYAGAIN', 'CLUSTERDOWN', 'LOADING', 'MASTERDOWN']);

/**
 * Routes commands over a Redis Cluster: by key slot to the shard's master (or a replica for reads),
 * following MOVED and ASK, retrying what the cluster asks to retry, splitting multi-key commands
 * and pipelines per node, and fanning keyless admin commands out to every master.
 *
 * At most once: a command that was written to a node whose link then failed is not sent again
 * (it rejects with `written: true`) unless it is marked `idempotent`.
 */
export class ClusterRouter implements Router {
  readonly #topology: ClusterTopology;
  readonly #links = new Map<string, NodeLink>();
  readonly #options: ClusterRouterOptions;
  readonly #maxAttempts: number;
  readonly #retryDelay: (attempt: number) => number;
  readonly #readFrom: 'master' | 'replica' | 'preferReplica';
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Set once `close()` closes the links: no link may be made after, it would never be closed. */
  #linksClosed = false;

  constructor(options: ClusterRouterOptions) {
    checkClusterRouterOptions(options);
    this.#options = options;
    this.#maxAttempts = options.maxRedirections ?? 16;
    // Only the caller's function is checked: the default's results need no check.
    this.#retryDelay =
      options.retryDelay === undefined
        ? (n) => Math.min(50 * 2 ** n, 1_000)
        : checkedRetryDelay(options.retryDelay, 'ClusterRouter');
    this.#readFrom = options.readFrom ?? 'master';
    this.#topology = new ClusterTopology(
      options.seeds,
      (address) => this.#link(address),
      checkedNatMap(options.natMap, 'ClusterRouter'),
      (shards) => this.#retire(shards),
    );
    const interval = options.refreshInterval ?? 30_000;
    if (interval > 0) {
      this.#timer = setInterval(() => {
        this.#topology.refresh().catch(() => {});
      }, interval);
      this.#timer.unref();
    }
  }

  /** Resolves once the topology is known (it is also discovered lazily by the first command). */
  async connect(): Promise<void> {
    await this.#topology.ensure();
  }

  /** The shards as last discovered. */
  get shards(): readonly ClusterShard[] {
    return this.#topology.shards;
  }

  /** The master nodes as last discovered (for cluster-wide SCAN and fan-outs). */
  async masters(): Promise<readonly NodeAddress[]> {
    await this.#topology.ensure();
    return this.#topology.shards.map((shard) => shard.master);
  }

  /** Sends `cmd` to one node (a master, for cluster-wide iteration). */
  async dispatchTo(address: NodeAddress, cmd: Command, options?: DispatchOptions): Promise<unknown> {
    const connection = await this.#link(address).connection(options?.signal);
    return connection.send(cmd, options?.signal);
  }

  async withDedicated<R>(
    keys: readonly CommandArg[],
    fn: DedicatedWork<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    await this.#topology.ensure();
    try {
      return await this.#target(NO_COMMAND, slotOfKeys(keys)).withDedicated(fn, signal);
    } catch (err) {
      // A key moved (a WATCH met MOVED): learn where, for the next try.
      if (err instanceof ReplyError && err.code === 'MOVED') this.#topology.refresh().catch(() => {});
      throw err;
    }
  }

  /**
   * Runs a transaction's batch on the shared connection to the slot's master (in one write, never
   * split, so no other caller's command lands inside it), and again where the cluster sends it
   * when it refused it for the slot's sake (it ran none of it then): MOVED to
   * the new owner; ASK to the importing node, `ASKING` right before `MULTI` (the flag holds
   * through the queued commands to `EXEC`); TRYAGAIN/CLUSTERDOWN a little later; a link lost
   * before the batch was written, to the slot's owner after a topology refresh. Past
   * `maxRedirections` the last replies come back as they are (`exec()` reports the EXECABORT).
   */
  async transaction(
    keys: readonly CommandArg[],
    cmds: readonly Command[],
    signal?: AbortSignal,
  ): Promise<unknown[]> {
    await this.#topology.ensure();
    const slot = slotOfKeys(keys);
    let link = this.#target(NO_COMMAND, slot);
    let askingAt = -1;
    for (let attempt = 1; ; attempt++) {
      const wire = askingAt === -1 ? cmds : [...cmds.slice(0, askingAt), ASKING, ...cmds.slice(askingAt)];
      let sent: unknown[];
      try {
        sent = await link.sendMany(wire, signal);
      } catch (err) {
        // A link lost before the batch was written (a node down, failing over): as a command.
        if (!canRetry(err, NO_COMMAND) || signal?.aborted === true || attempt >= this.#maxAttempts) throw err;
        await sleep(this.#retryDelay(attempt));
        await this.#topology.refresh().catch(() => {});
        link = this.#target(NO_COMMAND, slot);
        askingAt = -1;
        continue;
      }
      const replies = askingAt === -1 ? sent : sent.filter((_, i) => i !== askingAt);
      const refusal = transactionRefusal(replies);
      if (refusal === undefined || attempt >= this.#maxAttempts || signal?.aborted === true) return replies;
      const next = await this.#whereNext(refusal, link, attempt);
      if (next === 'surface') return replies;
      link = next === 'later' ? this.#target(NO_COMMAND, slot) : next.link;
      askingAt = next !== 'later' && next.asking ? multiIndex(cmds) : -1;
    }
  }

  async scanTargets(): Promise<readonly ScanTarget[]> {
    const masters = await this.masters();
    return masters.map((master) => ({
      label: addressKey(master),
      send: (cmd: Command, options?: DispatchOptions) => this.dispatchTo(master, cmd, options),
    }));
  }

  /**
   * The nodes as last discovered, of one role or all, except those the cluster reports failed:
   * each with a router that sends to it alone over this router's own link to it (a replica's in
   * READONLY mode), so no redirection is followed (ioredis's `cluster.nodes()`). A node the
   * topology drops later has its link closed: its router's commands then reject.
   */
  async nodes(role?: NodeRole): Promise<readonly RouterNode[]> {
    await this.#topology.ensure();
    // Closed meanwhile: a link made now would never be closed.
    if (this.#closed) throw new ConnectionClosedError('the cluster router is closed', false);
    const nodes: RouterNode[] = [];
    const add = (node: ClusterNodeInfo): void => {
      if (node.health === 'failed' || (role !== undefined && node.role !== role)) return;
      const link = this.#link(node, node.role === 'replica');
      const router = new StandaloneRouter({ link, retryDelay: this.#retryDelay });
      nodes.push({ address: { host: node.host, port: node.port }, role: node.role, router });
    };
    for (const shard of this.#topology.shards) {
      add(shard.master);
      for (const replica of shard.replicas) add(replica);
    }
    return nodes;
  }

  dispatch(cmd: Command, options?: DispatchOptions): Promise<unknown> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError('the cluster router is closed', false));
    let slot: number;
    try {
      slot = commandSlot(cmd);
    } catch (err) {
      return Promise.reject(err); // a key that is not one: the promise rejects, the call never throws
    }
    if (slot === -2) return this.#dispatchCrossSlot(cmd, options);
    if (slot === -1) {
      const refused = clusterScanRefusal(cmd) ?? (isWait(cmd) ? waitRefusal(cmd) : undefined);
      if (refused !== undefined) return Promise.reject(refused);
      const reduce = fanOutReduce(cmd.args);
      if (reduce !== undefined) return this.#fanOut(cmd, reduce, options);
    }
    return this.#send(cmd, slot, options, 0);
  }

  /**
   * One batch per node, results in order with errors in place. Aborted (`options.signal`), the
   * whole call rejects with the signal's reason, as `dispatch` does: the per-node batches fail
   * with it too, and their places must not read as the commands' own outcomes.
   */
  dispatchMany(cmds: readonly Command[], options?: DispatchOptions): Promise<unknown[]> {
    return abortable(options?.signal, () => this.#dispatchManyInPlace(cmds, options));
  }

  async #dispatchManyInPlace(
    cmds: readonly Command[],
    options: DispatchOptions | undefined,
  ): Promise<unknown[]> {
    await this.#topology.ensure();
    const results = new Array<unknown>(cmds.length);
    const groups = new Map<NodeLink, { cmds: Command[]; at: number[] }>();
    const addTo = (link: NodeLink, cmd: Command, at: number): void => {
      let group = groups.get(link);
      if (group === undefined) {
        group = { cmds: [], at: [] };
        groups.set(link, group);
      }
      group.cmds.push(cmd);
      group.at.push(at);
    };
    /** The master of the last keyed write grouped so far: where a WAIT after it goes. */
    let lastWrite: NodeLink | undefined;
    const alone: Promise<void>[] = [];
    for (let i = 0; i < cmds.length; i++) {
      const cmd = cmds[i] as Command;
      let slot: number;
      try {
        slot = commandSlot(cmd);
      } catch (err) {
        results[i] = err; // this command's own failure, in its place
        continue;
      }
      const refused = slot === -1 ? clusterScanRefusal(cmd) : undefined;
      if (refused !== undefined) {
        results[i] = refused; // in its place, as any command's own failure
        continue;
      }
      if (slot === -1 && isWait(cmd)) {
        // After the writes it waits for, on their master's connection: WAIT counts that one's writes.
        if (lastWrite === undefined) results[i] = waitRefusal(cmd);
        else addTo(lastWrite, cmd, i);
        continue;
      }
      if (slot === -2 || cmd.blocking === true || (slot === -1 && fanOutReduce(cmd.args) !== undefined)) {
        if (cmd.readOnly !== true) lastWrite = undefined; // a WAIT after it could not tell where it went
        alone.push(this.#settleInPlace(this.dispatch(cmd, options), results, i));
        continue;
      }
      const link = this.#target(cmd, slot);
      if (slot >= 0 && cmd.readOnly !== true) lastWrite = link;
      addTo(link, cmd, i);
    }
    const sent = [...groups].map(async ([link, group]) => {
      let replies: unknown[];
      try {
        const connection = await link.connection(options?.signal);
        replies = await connection.sendMany(group.cmds, options?.signal);
      } catch (err) {
        // The whole batch to this node failed: retry what was never written, report the rest in place.
        await Promise.all(
          group.cmds.map((cmd, j) => {
            const at = group.at[j] as number;
            if (canRetry(err, cmd)) return this.#settleInPlace(this.dispatch(cmd, options), results, at);
            results[at] = err;
            return undefined;
          }),
        );
        return;
      }
      const retries: Promise<void>[] = [];
      for (let j = 0; j < replies.length; j++) {
        const reply = replies[j];
        const at = group.at[j] as number;
        if (reply instanceof ReplyError && isRedirectOrRetry(reply)) {
          retries.push(
            this.#settleInPlace(
              this.#recover(group.cmds[j] as Command, reply, link, options, 1),
              results,
              at,
            ),
          );
        } else {
          results[at] = reply;
        }
      }
      await Promise.all(retries);
    });
    await Promise.all([...sent, ...alone]);
    return results;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    // Calls made before close() that wait for a discovery in flight go on to their nodes first,
    // whose links then close gracefully (their replies still come).
    await this.#topology.settled();
    await new Promise((resolve) => setImmediate(resolve));
    this.#linksClosed = true;
    await Promise.allSettled([...this.#links.values()].map((link) => link.close('serve')));
    this.#links.clear();
  }

  /** Closes at once: every link's connections are destroyed, pending commands reject. */
  async destroy(reason: Error): Promise<void> {
    this.#closed = true;
    this.#linksClosed = true;
    this.#topology.stop(reason);
    if (this.#timer !== undefined) clearInterval(this.#timer);
    const links = [...this.#links.values()];
    this.#links.clear();
    await Promise.allSettled(links.map((link) => link.destroy(reason)));
  }

  #settleInPlace(promise: Promise<unknown>, results: unknown[], at: number): Promise<void> {
    return promise.then(
      (value) => {
        results[at] = value;
      },
      (err: unknown) => {
        results[at] = err;
      },
    );
  }

  /** Sends to the owner of `slot` (-1: any master) and recovers from redirections and retries. */
  async #send(
    cmd: Command,
    slot: number,
    options: DispatchOptions | undefined,
    attempt: number,
  ): Promise<unknown> {
    if (!this.#topology.known) await this.#topology.ensure();
    const link = this.#target(cmd, slot);
    try {
      if (cmd.blocking === true) return await link.sendBlocking(cmd, options?.signal);
      const connection = link.ready ?? (await link.connection(options?.signal));
      return await connection.send(cmd, options?.signal);
    } catch (err) {
      if (err instanceof ReplyError && isRedirectOrRetry(err))
        return this.#recover(cmd, err, link, options, attempt + 1);
      if (canRetry(err, cmd) && options?.signal?.aborted !== true)
        return this.#sendLater(cmd, err, options, attempt);
      throw err;
    }
  }

  /** Sends `cmd` again after a pause and a topology refresh: it failed before it left (`canRetry`). */
  async #sendLater(
    cmd: Command,
    err: unknown,
    options: DispatchOptions | undefined,
    attempt: number,
  ): Promise<unknown> {
    if (this.#closed) throw err; // no node is reached again
    if (attempt + 1 >= this.#maxAttempts) throw new RedirectionLimitError(attempt + 1, { cause: err });
    await sleep(this.#retryDelay(attempt + 1));
    await this.#topology.refresh().catch(() => {});
    return this.#send(cmd, commandSlot(cmd), options, attempt + 1);
  }

  /** Follows one MOVED/ASK, or waits and retries after TRYAGAIN/CLUSTERDOWN/LOADING/MASTERDOWN. */
  async #recover(
    cmd: Command,
    err: ReplyError,
    from: NodeLink,
    options: DispatchOptions | undefined,
    attempt: number,
  ): Promise<unknown> {
    if (attempt >= this.#maxAttempts) throw new RedirectionLimitError(attempt, { cause: err });
    const next = await this.#whereNext(err, from, attempt);
    if (next === 'surface') throw err;
    if (next === 'later') return this.#send(cmd, commandSlot(cmd), options, attempt);
    try {
      return await this.#sendOn(next.link, cmd, next.asking, options);
    } catch (again) {
      if (again instanceof ReplyError && isRedirectOrRetry(again))
        return this.#recover(cmd, again, next.link, options, attempt + 1);
      // The node it was sent to failed before the command left (its link closed by a topology
      // refresh while opening, the node down): as when the slot's owner did.
      if (canRetry(again, cmd) && options?.signal?.aborted !== true)
        return this.#sendLater(cmd, again, options, attempt);
      throw again;
    }
  }

  /**
   * Where a command (or transaction) that `from` refused with `err` goes next: a node (after
   * `ASKING` for ASK; MOVED also updates the slot map); `'later'`, after a pause, to whichever
   * node then owns the slot (TRYAGAIN and the like, or a target no refresh confirms yet); or
   * `'surface'`: give the caller `err` (a malformed redirection, or no attempts left).
   */
  async #whereNext(
    err: ReplyError,
    from: NodeLink,
    attempt: number,
  ): Promise<{ link: NodeLink; asking: boolean } | 'later' | 'surface'> {
    const redirection = parseRedirection(err.message, from.address.host);
    if (redirection === undefined) {
      if (!RETRY_CODES.has(err.code)) return 'surface'; // MOVED/ASK that failed validation.
      await sleep(this.#retryDelay(attempt));
      return 'later';
    }
    const target = this.#topology.map(redirection);
    if (!this.#topology.knowsNode(target)) {
      // An address the topology never listed: follow it only if a refresh from known nodes confirms it.
      await this.#topology.refresh();
      if (!this.#topology.knowsNode(target)) {
        // Not confirmed, or not yet: mid-failover a node's view of a shard may lag (no master
        // listed). MOVED means not executed, so send it again later to the owner we know.
        if (attempt + 1 >= this.#maxAttempts) return 'surface';
        await sleep(this.#retryDelay(attempt));
        return 'later';
      }
    }
    if (redirection.kind === 'moved') {
      this.#topology.moveSlot(redirection.slot, target);
      this.#topology.refresh().catch(() => {});
    }
    // Redirected again and again: the nodes disagree for a moment about the slot (its new owner
    // not yet known to all, mid-resharding). Following at once would spend every attempt in a
    // few milliseconds; a pause lets the cluster settle (never executed: MOVED and ASK say so).
    if (attempt > MOVES_AT_ONCE) await sleep(this.#retryDelay(attempt - MOVES_AT_ONCE));
    // MOVED: again, to the new owner. ASK: one-shot, after ASKING, the topology unchanged.
    return { link: this.#link(target), asking: redirection.kind === 'ask' };
  }

  /**
   * Sends `cmd` to `link` (after `ASKING` when `asking`): a blocking command on a pooled
   * connection of its own, as `#send` sends it first, so a redirected BLPOP never holds up the
   * node's shared connection. One `send` each, never `sendMany`: a redirected SSUBSCRIBE or
   * SUNSUBSCRIBE must go too, and `sendMany` refuses the subscribe family.
   */
  async #sendOn(
    link: NodeLink,
    cmd: Command,
    asking: boolean,
    options: DispatchOptions | undefined,
  ): Promise<unknown> {
    const signal = options?.signal;
    const send = (connection: Connection): Promise<unknown> => {
      if (!asking) return connection.send(cmd, signal);
      // No await between the two: nothing else can queue between ASKING and its command.
      connection.send(ASKING, signal).catch(() => {}); // its failure reaches the command too
      return connection.send(cmd, signal);
    };
    if (cmd.blocking === true) return link.sendBlocking(cmd, signal, asking ? ASKING : undefined);
    return send(link.ready ?? (await link.connection(signal)));
  }

  async #dispatchCrossSlot(cmd: Command, options?: DispatchOptions): Promise<unknown> {
    const split = splitBySlot(cmd);
    if (split === undefined) throw new CrossSlotError(commandName(cmd.args));
    const replies = await Promise.all(
      split.parts.map((part) => this.#send(part.command, part.slot, options, 0)),
    );
    return joinParts(split, replies);
  }

  async #fanOut(
    cmd: Command,
    reduce: Parameters<typeof reduceReplies>[0],
    options?: DispatchOptions,
  ): Promise<unknown> {
    const masters = await this.masters();
    const replies = await Promise.all(masters.map((master) => this.dispatchTo(master, cmd, options)));
    return reduceReplies(reduce, replies);
  }

  /** The node a command goes to: the slot's master, a replica for reads when asked, any master for -1. */
  #target(cmd: Command, slot: number): NodeLink {
    const shard = slot < 0 ? this.#topology.anyShard() : this.#topology.shardOf(slot);
    if (shard === undefined) return this.#link(this.#topology.anySeed());
    if (cmd.readOnly === true && this.#readFrom !== 'master') {
      const replica = this.#topology.pickReplica(shard);
      if (replica !== undefined) return this.#link(replica, true);
    }
    return this.#link(shard.master);
  }

  #link(address: NodeAddress, replica = false): NodeLink {
    const key = replica ? `${addressKey(address)}/ro` : addressKey(address);
    let link = this.#links.get(key);
    if (link === undefined) {
      if (this.#linksClosed) throw new ConnectionClosedError('the cluster router is closed', false);
      const transport = this.#options.transport?.(address) ?? tcp({ host: address.host, port: address.port });
      link = new NodeLink(
        address,
        { ...this.#options.connection, transport },
        this.#options.pool,
        replica ? readOnlyConnection : undefined,
      );
      this.#links.set(key, link);
    }
    return link;
  }

  /** Closes links to nodes the new topology no longer lists. */
  #retire(shards: readonly ClusterShard[]): void {
    const live = new Set<string>();
    for (const shard of shards) {
      live.add(addressKey(shard.master));
      for (const replica of shard.replicas) live.add(`${addressKey(replica)}/ro`);
    }
    for (const [key, link] of this.#links) {
      if (!live.has(key) && !this.#topology.isSeed(link.address)) {
        this.#links.delete(key);
        link.close().catch(() => {});
      }
    }
  }
}

async function readOnlyConnection(connection: Connection): Promise<void> {
  await connection.send({ args: ['READONLY'] });
}

/** The one slot of a transaction's keys (-1: none, any master); keys in several: `CrossSlotError`. */
function slotOfKeys(keys: readonly CommandArg[]): number {
  const slot = commandSlot({ args: ['', ...keys], keyIndexes: keys.map((_, i) => i + 1) });
  if (slot === -2) throw new CrossSlotError('a transaction');
  return slot;
}

/** Where `ASKING` goes in a transaction's batch: right before `MULTI` (first, if there is none). */
function multiIndex(cmds: readonly Command[]): number {
  const at = cmds.findIndex((cmd) => commandName(cmd.args) === 'MULTI');
  return at === -1 ? 0 : at;
}

function isRedirectOrRetry(err: ReplyError): boolean {
  return err.code === 'MOVED' || err.code === 'ASK' || RETRY_CODES.has(err.code);
}

/** A failure that left the command unsent (or harmless to resend): safe to retry elsewhere. */
function canRetry(err: unknown, cmd: Command): boolean {
  if (isPermanentFailure(err)) return false; // a refused certificate or password stays refused
  // A retired node's pool closed while the command waited for a connection: it was not written.
  if (err instanceof PoolClosedError) return true;
  if (err instanceof ConnectionClosedError || err instanceof TimeoutError) {
    if (err instanceof TimeoutError && err.phase === 'command' && cmd.idempotent !== true) return false;
    return !err.written || cmd.idempotent === true;
  }
  // Refused or reset while connecting: nothing was written.
  return (
    err instanceof Error &&
    'code' in err &&
    typeof err.code === 'string' &&
    /^E(CONNREFUSED|CONNRESET|PIPE|HOSTUNREACH)$/.test(err.code)
  );
}
