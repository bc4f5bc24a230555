import {
  type Command,
  Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  hasBlockingCommand,
  leftInStep,
  Pool,
  PoolClosedError,
  type PoolOptions,
  sendCancellable,
  sendManyCancellable,
  UNBLOCK_WAIT_MS,
} from '@fusedis/pool';
import type { NodeAddress } from './cluster-topology.js';
import type { DedicatedWork } from './router.js';
import { untilAborted } from './until-aborted.js';

/** Options for the pool of dedicated connections (blocking commands, transactions) per node. */
export type NodePoolOptions = Partial<Omit<PoolOptions<Connection>, 'create' | 'destroy'>>;

/**
 * Everything a router holds for one node: a shared multiplexed connection, opened on first use
 * and reopened after it closes (single-flight), and a lazily created pool of dedicated ones.
 * `prepare` runs on each new connection before it is used (e.g. `READONLY` on a replica).
 */
export class NodeLink {
  readonly address: NodeAddress;
  readonly key: string;
  readonly #options: ConnectionOptions;
  readonly #prepare: ((connection: Connection) => Promise<void>) | undefined;
  readonly #poolOptions: NodePoolOptions;
  #current: Connection | undefined;
  #opening: Promise<Connection> | undefined;
  #pool: Pool<Connection> | undefined;
  /** Dedicated connections lent out now: `destroy()` drops them too (a `BLPOP … 0` never comes back). */
  readonly #leased = new Set<Connection>();
  #closed = false;
  /** Set by `destroy()`: what calls waiting for a dedicated connection reject with. */
  #destroyed: Error | undefined;
  /** Aborts a shared connection still opening when `destroy()` comes (a node not answering). */
  readonly #stopOpening = new AbortController();

  constructor(
    address: NodeAddress,
    options: ConnectionOptions,
    poolOptions: NodePoolOptions = {},
    prepare?: (connection: Connection) => Promise<void>,
  ) {
    this.address = address;
    this.key = addressKey(address);
    this.#options = options;
    this.#poolOptions = poolOptions;
    this.#prepare = prepare;
  }

  /** The open shared connection, if there is one right now (the hot path skips a promise). */
  get ready(): Connection | undefined {
    const current = this.#current;
    return current !== undefined && !current.closed ? current : undefined;
  }

  /**
   * The shared connection, opening it if needed. `signal` gives up this caller's wait only: the
   * opening is shared by every caller waiting on it, so no one caller's signal may cancel it (its
   * connect timeout bounds it).
   */
  connection(signal?: AbortSignal): Promise<Connection> {
    const ready = this.ready;
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.#closed)
      return Promise.reject(new ConnectionClosedError(`the link to ${this.key} is closed`, false));
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    return signal === undefined ? this.#opening : untilAborted(this.#opening, signal);
  }

  async #open(): Promise<Connection> {
    const connection = await Connection.open(this.#options, this.#stopOpening.signal);
    try {
      await this.#prepare?.(connection);
    } catch (err) {
      connection.destroy(err instanceof Error ? err : undefined);
      throw err;
    }
    // Closed while connecting: the callers already waiting for it still send on it, and close()
    // then closes it gracefully, after their replies.
    this.#current = connection;
    return connection;
  }

  /** Closed by its owner: no connection opens again. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The node's pool of dedicated connections, created on first use. */
  pool(): Pool<Connection> {
    this.#pool ??= new Pool<Connection>({
      max: 10,
      ...this.#poolOptions,
      create: async (signal) => {
        const connection = await Connection.open({ ...this.#options, autoPipeline: false }, signal);
        await this.#prepare?.(connection);
        return connection;
      },
      destroy: (connection) => connection.close(),
      // The caller's own check too: replacing it would drop it silently.
      isUsable: (connection) => !connection.closed && this.#poolOptions.isUsable?.(connection) !== false,
    });
    return this.#pool;
  }

  /** `fn` on a dedicated connection, with this node's `CLIENT UNBLOCK` for what it blocks in. */
  withDedicated<R>(fn: DedicatedWork<R>, signal: AbortSignal | undefined): Promise<R> {
    return this.#lease((connection) => fn(connection, this.#unblock), signal);
  }

  /** `pool().use`, with the connection known as lent while `fn` runs. */
  #lease<R>(
    fn: (connection: Connection) => Promise<R>,
    signal: AbortSignal | undefined,
    reusable?: (connection: Connection) => boolean,
  ): Promise<R> {
    const lent = this.pool().use(
      async (connection) => {
        // An idle connection is handed over a microtask later: destroy() may have come meanwhile.
        if (this.#destroyed !== undefined) throw this.#destroyed;
        this.#leased.add(connection);
        try {
          return await fn(connection);
        } finally {
          this.#leased.delete(connection);
        }
      },
      signal,
      reusable,
    );
    // Drained by destroy(): the caller hears why, not that a pool closed.
    return lent.catch((err: unknown) => {
      throw err instanceof PoolClosedError && this.#destroyed !== undefined ? this.#destroyed : err;
    });
  }

  /**
   * Sends a blocking command on a dedicated connection (after `before`, e.g. ASKING, on the same
   * one). An abort or a timeout (`cmd.timeout`) unblocks it on this node over the shared
   * connection, so it takes nothing for a caller that has gone (`sendCancellable`).
   */
  sendBlocking(cmd: Command, signal: AbortSignal | undefined, before?: Command): Promise<unknown> {
    // Unblocked and answered (or refused by the server): in step, so the connection is lent again.
    return this.#lease(
      (connection) => {
        // No await between the two: nothing else can queue between them. Its failure reaches `cmd` too.
        if (before !== undefined) connection.send(before, signal).catch(() => {});
        return sendCancellable(connection, cmd, signal, cmd.timeout ?? 0, this.#unblock);
      },
      signal,
      leftInStep,
    );
  }

  /**
   * Sends a batch in one write on the shared connection, or on a dedicated one when it holds a
   * blocking command, which would otherwise hold up every other caller's replies while it blocks;
   * cancelled, that one is unblocked as `sendBlocking`'s is (`sendManyCancellable`).
   */
  async sendMany(cmds: readonly Command[], signal: AbortSignal | undefined): Promise<unknown[]> {
    if (hasBlockingCommand(cmds)) {
      return this.#lease(
        (connection) => sendManyCancellable(connection, cmds, signal, this.#unblock),
        signal,
        leftInStep,
      );
    }
    return (this.ready ?? (await this.connection(signal))).sendMany(cmds, signal);
  }

  /** `CLIENT UNBLOCK` on this node: client ids are the server's own, so never on another node. */
  readonly #unblock = async (clientId: number): Promise<unknown> =>
    (await this.connection()).send({ args: ['CLIENT', 'UNBLOCK', clientId], timeout: UNBLOCK_WAIT_MS });

  /**
   * Closes the shared connection gracefully (replies already due still come) and the pool: calls
   * still waiting for one of its connections reject with `PoolClosedError` (`'reject'`: the node
   * is dropped, they go elsewhere), or are served first (`'serve'`: the router closes).
   */
  async close(waiting: 'serve' | 'reject' = 'reject'): Promise<void> {
    this.#closed = true;
    const opening = this.#opening;
    const closing: Promise<unknown>[] = [];
    if (this.#current !== undefined) closing.push(this.#current.close());
    if (opening !== undefined) closing.push(opening.then((c) => c.close()).catch(() => {}));
    if (this.#pool !== undefined) closing.push(waiting === 'serve' ? this.#pool.close() : this.#pool.drain());
    await Promise.allSettled(closing);
  }

  /**
   * Closes at once: the shared connection and every dedicated one lent out are destroyed (their
   * pending commands reject with `ConnectionClosedError`, `written` saying whether each may have
   * run), callers waiting for the pool reject with `reason`. No connection opens again.
   */
  async destroy(reason: Error): Promise<void> {
    this.#closed = true;
    this.#destroyed ??= reason;
    this.#stopOpening.abort(reason);
    this.#current?.destroy(reason);
    this.#opening?.then(
      (connection) => connection.destroy(reason),
      () => {},
    );
    for (const connection of this.#leased) connection.destroy(reason);
    await this.#pool?.drain();
  }
}

/** Whether two addresses name the same node. */
export function sameAddress(a: NodeAddress, b: NodeAddress): boolean {
  return a.host === b.host && a.port === b.port;
}

/** `host:port`, the key routers use for nodes. */
export function addressKey(address: NodeAddress): string {
  return `${address.host}:${address.port}`;
}
