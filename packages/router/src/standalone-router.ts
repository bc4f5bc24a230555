import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConnectionClosedError,
  type ConnectionOptions,
  isPermanentFailure,
  TimeoutError,
  type Transport,
  tcp,
} from '@fusedis/pool';
import type { Command, CommandArg } from '@fusedis/resp';
import { checkedRetryDelay } from './checked-callbacks.js';
import type { NodeAddress } from './cluster-topology.js';
import { RedirectionLimitError } from './errors.js';
import { NodeLink, type NodePoolOptions } from './node-link.js';
import type { DedicatedWork, DispatchOptions, Router } from './router.js';
import { checkStandaloneRouterOptions } from './router-options.js';

/** Options for {@link StandaloneRouter}. Durations are in milliseconds. */
export interface StandaloneRouterOptions {
  /** The server. Ignored when `transport` is given (a Unix socket, TLS, any Duplex). */
  readonly address?: NodeAddress;
  /** How to reach the server. @default tcp(address) */
  readonly transport?: Transport;
  /** Connection options (auth, protocol, timeouts, decoder…), without the transport. */
  readonly connection?: Omit<ConnectionOptions, 'transport'>;
  /** Reconnect attempts for a command whose link failed before it was written. @default 10 */
  readonly maxRetries?: number;
  /** Delay before retry `n` (1-based). @default min(50·2^n, 1000) */
  readonly retryDelay?: (attempt: number) => number;
  /** Pool of dedicated connections, for blocking commands. */
  readonly pool?: NodePoolOptions;
  /**
   * A link another router keeps to the server, to share instead of opening one (`address`,
   * `transport`, `connection` and `pool` are then its own): `close()` leaves it open, and once its
   * owner closes it, commands reject at once. How `ClusterRouter#nodes()` makes a node's router.
   */
  readonly link?: NodeLink;
}

/**
 * One server: a shared multiplexed connection (reopened when it drops), blocking commands on a
 * pool. Commands that never reached the socket are retried after a reconnect; written ones are
 * not (at most once) unless marked `idempotent`. The building block of custom routers (see the
 * README's client-side sharding example); `@fusedis/client` has its own standalone core with an
 * offline queue and events on top of the same `Connection`.
 */
export class StandaloneRouter implements Router {
  readonly #link: NodeLink;
  /** False for a `link` given in the options: its owner closes it. */
  readonly #ownsLink: boolean;
  readonly #maxRetries: number;
  readonly #retryDelay: (attempt: number) => number;
  #closed = false;

  constructor(options: StandaloneRouterOptions) {
    checkStandaloneRouterOptions(options);
    this.#ownsLink = options.link === undefined;
    if (options.link !== undefined) {
      this.#link = options.link;
    } else {
      const address = options.address ?? { host: '127.0.0.1', port: 6379 };
      const transport = options.transport ?? tcp({ host: address.host, port: address.port });
      this.#link = new NodeLink(address, { ...options.connection, transport }, options.pool);
    }
    this.#maxRetries = options.maxRetries ?? 10;
    // Only the caller's function is checked: the default's results need no check.
    this.#retryDelay =
      options.retryDelay === undefined
        ? (n) => Math.min(50 * 2 ** n, 1_000)
        : checkedRetryDelay(options.retryDelay, 'StandaloneRouter');
  }

  /** The server this router talks to. */
  get address(): NodeAddress {
    return this.#link.address;
  }

  dispatch(cmd: Command, options?: DispatchOptions): Promise<unknown> {
    if (this.#closed) return Promise.reject(closedError());
    const ready = cmd.blocking === true ? undefined : this.#link.ready;
    if (ready !== undefined) {
      return ready
        .send(cmd, options?.signal)
        .catch((err: unknown) => this.#retry(err, [cmd], options, () => this.#once(cmd, options)));
    }
    return this.#run([cmd], options, () => this.#once(cmd, options));
  }

  /** Runs `fn` on a dedicated connection from the pool (`watch()` scopes, blocking commands). */
  withDedicated<R>(_keys: readonly CommandArg[], fn: DedicatedWork<R>, signal?: AbortSignal): Promise<R> {
    return this.#link.withDedicated(fn, signal);
  }

  /**
   * A transaction's batch (`MULTI` … `EXEC`) as any batch: one write on the shared connection,
   * never split, so no other caller's command lands inside it; sent again only when unwritten.
   */
  transaction(
    _keys: readonly CommandArg[],
    cmds: readonly Command[],
    signal?: AbortSignal,
  ): Promise<unknown[]> {
    return this.dispatchMany(cmds, signal === undefined ? undefined : { signal });
  }

  dispatchMany(cmds: readonly Command[], options?: DispatchOptions): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(closedError());
    return this.#run(cmds, options, () => this.#link.sendMany(cmds, options?.signal));
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#ownsLink) await this.#link.close('serve');
  }

  /** Closes at once: pending commands reject (a link given in the options is left to its owner). */
  async destroy(reason: Error): Promise<void> {
    this.#closed = true;
    if (this.#ownsLink) await this.#link.destroy(reason);
  }

  async #once(cmd: Command, options?: DispatchOptions): Promise<unknown> {
    if (cmd.blocking === true) return this.#link.sendBlocking(cmd, options?.signal);
    const connection = await this.#link.connection(options?.signal);
    return connection.send(cmd, options?.signal);
  }

  async #run<T>(
    cmds: readonly Command[],
    options: DispatchOptions | undefined,
    attempt: () => Promise<T>,
  ): Promise<T> {
    try {
      return await attempt();
    } catch (err) {
      return this.#retry(err, cmds, options, attempt);
    }
  }

  /**
   * A shared link its owner closed (the node left the topology, a failover retired it, or the
   * owner closed): what to do about it, with the failure itself as `cause` (its `written` kept).
   */
  #linkGone(err: unknown): unknown {
    if (!(err instanceof ConnectionClosedError)) return err;
    return new ConnectionClosedError(
      `${this.#link.key}: the router that lists this node closed its link (the node left the topology, a failover retired it, or that router closed); ask for its nodes again`,
      err.written,
      { cause: err },
    );
  }

  /** Retries `attempt` while the failure left the commands unsent, with backoff, up to `maxRetries`. */
  async #retry<T>(
    err: unknown,
    cmds: readonly Command[],
    options: DispatchOptions | undefined,
    attempt: () => Promise<T>,
  ): Promise<T> {
    let last = err;
    for (let n = 1; ; n++) {
      if (this.#link.closed && !this.#ownsLink) throw this.#linkGone(last);
      if (this.#closed || this.#link.closed || options?.signal?.aborted === true || !retryable(last, cmds))
        throw last;
      if (n > this.#maxRetries) throw new RedirectionLimitError(n - 1, { cause: last });
      await sleep(this.#retryDelay(n));
      try {
        return await attempt();
      } catch (next) {
        last = next;
      }
    }
  }
}

/** A shared link stays open after this router closes: its own refusal, then. */
function closedError(): ConnectionClosedError {
  return new ConnectionClosedError('the router is closed', false);
}

function retryable(err: unknown, cmds: readonly Command[]): boolean {
  if (isPermanentFailure(err)) return false; // a refused certificate or password stays refused
  const idempotent = cmds.every((cmd) => cmd.idempotent === true);
  if (err instanceof ConnectionClosedError) return !err.written || idempotent;
  if (err instanceof TimeoutError) return err.phase === 'connect';
  return err instanceof Error && 'code' in err && /^E(CONNREFUSED|CONNRESET|PIPE)$/.test(String(err.code));
}
