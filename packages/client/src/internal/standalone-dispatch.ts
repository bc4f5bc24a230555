import type { WireDecoderFactory } from '@fusedis/graph';
import {
  Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  hasBlockingCommand,
  InvalidOptionError,
  isPermanentFailure,
  type Lease,
  leftInStep,
  Pool,
  PoolClosedError,
  type PoolStats,
  sendCancellable,
  sendManyCancellable,
  TimeoutError,
  UNBLOCK_WAIT_MS,
  type UnsettledHook,
  whenAborted,
} from '@fusedis/pool';
import { type Command, ReplyError } from '@fusedis/resp';
import type { DedicatedWork } from '@fusedis/router';
import type { ClientEmitter } from '../client-events.js';
import type { ReconnectOnError } from '../client-options.js';
import { batchChannel, commandChannel, commandMessage, connectChannel } from '../diagnostics.js';
import { NativeCodecUnavailableError } from '../errors.js';
import { type DecoderInfo, decoderInfoOf, type ResolvedDecoder, resolveDecoder } from '../resolve-decoder.js';
import { asError } from './as-error.js';
import { connectionSettings, type Writable } from './connection-settings.js';
import { DispatchListeners } from './dispatch-listeners.js';
import { OfflineQueue } from './offline-queue.js';
import { askReconnectOnError, type ReconnectDecision } from './reconnect-on-error.js';
import type { ResolvedOptions } from './resolve-options.js';

/**
 * Where a client stands:
 *
 *   wait ──first command / connect()──► connecting ──► ready ──socket lost──► reconnecting
 *                                          ▲  │ fails                            │ retryStrategy → ms
 *                                          │  └──────► reconnecting ◄───────────┘
 *                                          └────────────────┘ (after the delay)
 *   any ──quit()/disconnect()──► closing ──► end        reconnecting ──retryStrategy → null──► end
 */
export type ClientStatus = 'wait' | 'connecting' | 'ready' | 'reconnecting' | 'closing' | 'end';

/** Resolves after `ms`, or `false` at once when `signal` aborts. The timer keeps the process up. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `reconnectOnError`'s `'resend'` sends a command again only with at least this much of its
 * timeout left: enough for a reconnect and a reply, so that it rarely ends in a `TimeoutError`
 * instead of the error reply that made it wait.
 */
const MIN_RESEND_MS = 50;

/** A `sendMany` batch, as `onUnsettled` hands it over (a single command otherwise). */
function isBatch(command: Command | readonly Command[]): command is readonly Command[] {
  return Array.isArray(command);
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
}

function deferred(): Deferred {
  let resolve: () => void = () => {};
  let reject: (err: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting: a rejection here must not surface as unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * The standalone dispatcher: one shared, auto-pipelined connection to one server, its offline
 * queue and reconnection, plus a pool of dedicated connections for blocking commands. Shaped like
 * a router (`dispatch`, `dispatchMany`, `close`) so a cluster or sentinel router can take its
 * place behind the same client.
 *
 * Delivery rule (at most once): commands that never reached a socket wait in the offline queue
 * and are sent after a reconnect; so are those the dying connection had not written yet. A
 * command that was written when the connection died rejects with `ConnectionClosedError`
 * (`written: true`), unless it is marked `idempotent` (and `replayIdempotent` is on), in which
 * case it is sent again. The connection's `onUnsettled` hook does this, so the hot path pays
 * nothing for it.
 */
export class StandaloneDispatch {
  readonly #o: ResolvedOptions;
  readonly #events: ClientEmitter;
  readonly #queue: OfflineQueue;
  readonly #label: string;
  /** The client's pub/sub listens here (`Dispatcher.listeners`). */
  readonly listeners = new DispatchListeners();
  /** The shared connection; set only while ready. */
  #conn: Connection | undefined;
  #status: ClientStatus = 'wait';
  #protocol: 2 | 3;
  #decoder: Promise<ResolvedDecoder> | undefined;
  #decoderInfo: DecoderInfo | undefined;
  #graphWireDecoder: WireDecoderFactory | undefined;
  /** Cancels connect attempts and backoff sleeps (disconnect, quit while reconnecting). */
  #abort = new AbortController();
  #looping = false;
  #closing = false;
  #quitting: Promise<void> | undefined;
  #ready: Deferred | undefined;
  #pool: Pool<Connection> | undefined;
  /** Written idempotent commands are replayed too (unwritten ones always are). */
  readonly #replayIdempotent: boolean;
  readonly #reconnectOnError: ReconnectOnError | undefined;
  /** Shared connections installed so far: which one answered a command (`reconnectOnError`). */
  #generation = 0;
  /** Connections to destroy on `disconnect()`: leased dedicated ones, and one closing gracefully. */
  readonly #leased = new Set<Connection>();
  /** Set by `disconnect()`: what calls still waiting for a dedicated connection reject with. */
  #disconnected: ConnectionClosedError | undefined;
  readonly #onPush = (push: unknown[]): void => {
    this.listeners.emitPush(push);
  };
  readonly #onClose = (err?: Error): void => this.#lost(err);
  readonly #onUnsettled: UnsettledHook = (command, written, err, signal) =>
    this.#replay(command, written, err, signal);

  constructor(options: ResolvedOptions, events: ClientEmitter) {
    this.#o = options;
    this.#events = events;
    this.#queue = new OfflineQueue(options.maxOfflineCommands, options.maxOfflineBytes);
    this.#label = options.transport.label;
    this.#protocol = options.protocol;
    this.#replayIdempotent = options.replayIdempotent;
    this.#reconnectOnError = options.reconnectOnError;
  }

  get status(): ClientStatus {
    return this.#status;
  }

  get protocol(): 2 | 3 {
    return this.#protocol;
  }

  /** One server: a MOVED it answers is final. */
  get followsSlots(): boolean {
    return false;
  }

  get label(): string {
    return this.#label;
  }

  get decoderInfo(): DecoderInfo | undefined {
    return this.#decoderInfo;
  }

  get graphWireDecoder(): WireDecoderFactory | undefined {
    return this.#graphWireDecoder;
  }

  /** Commands waiting in the offline queue, and their bytes. */
  get offline(): { readonly commands: number; readonly bytes: number } {
    return { commands: this.#queue.size, bytes: this.#queue.bytes };
  }

  /** The pool of dedicated connections' numbers (all zero before its first use). */
  poolStats(): PoolStats {
    return (
      this.#pool?.stats() ?? { open: 0, idle: 0, borrowed: 0, waiting: 0, creating: 0, max: this.#o.pool.max }
    );
  }

  /** Sends one command on the shared connection (or queues it while there is none). */
  dispatch(cmd: Command, signal?: AbortSignal): Promise<unknown> {
    if (commandChannel.hasSubscribers) commandChannel.publish(commandMessage(cmd, this.#label));
    if (this.#reconnectOnError !== undefined) return this.#sendWatched(cmd, signal);
    const conn = this.#conn;
    if (conn === undefined) return this.#offline(cmd, undefined, signal);
    return conn.send(cmd, signal);
  }

  /**
   * `dispatch` with `reconnectOnError` asked about an error reply: it may retire the connection
   * that answered (when it is still the shared one) and send the command again, which then waits
   * for the new connection, within what is left of the command's timeout. When that runs out
   * before it is sent again, it rejects with the error reply that made it wait (`refused`).
   */
  async #sendWatched(cmd: Command, signal: AbortSignal | undefined, refused?: ReplyError): Promise<unknown> {
    const conn = this.#conn;
    // A queued command goes out on the next connection installed.
    const generation = conn === undefined ? this.#generation + 1 : this.#generation;
    const limit = cmd.timeout ?? this.#o.commandTimeout;
    const started = performance.now();
    try {
      return await (conn === undefined ? this.#offline(cmd, undefined, signal) : conn.send(cmd, signal));
    } catch (err) {
      if (!(err instanceof ReplyError)) {
        if (refused !== undefined && err instanceof TimeoutError && !err.written) throw refused;
        throw err;
      }
      const decision = this.#askReconnect(err, generation);
      if (decision !== 'resend') throw err;
      const left = limit - (performance.now() - started);
      if (limit !== 0 && left < MIN_RESEND_MS) throw err;
      return this.#sendWatched(limit === 0 ? cmd : { ...cmd, timeout: Math.floor(left) }, signal, err);
    }
  }

  /** Asks `reconnectOnError` about `err`; retires the connection of `generation` if told to. */
  #askReconnect(err: ReplyError, generation: number): ReconnectDecision {
    const decision = askReconnectOnError(this.#reconnectOnError as ReconnectOnError, err, (thrown) =>
      this.#events.emit('error', thrown),
    );
    const conn = this.#conn;
    if (decision !== false && conn !== undefined && this.#generation === generation) this.#retire(conn, err);
    return decision;
  }

  /**
   * Replaces the shared connection (`reconnectOnError`): new commands wait for the next one,
   * while those already written on this one still get their replies before it closes.
   */
  #retire(conn: Connection, reason: Error): void {
    if (this.#closing || this.#conn !== conn) return;
    this.#conn = undefined;
    conn.off('close', this.#onClose);
    this.#leased.add(conn); // disconnect() meanwhile destroys it
    conn
      .close()
      .catch(() => {})
      .finally(() => this.#leased.delete(conn));
    this.#events.emit('close', reason);
    this.#status = 'reconnecting';
    this.#startLoop(reason);
  }

  /** Sends commands as one write; `ReplyError`s stay in place. */
  dispatchMany(cmds: readonly Command[], signal?: AbortSignal): Promise<unknown[]> {
    if (batchChannel.hasSubscribers) batchChannel.publish({ size: cmds.length, transport: this.#label });
    // A pipeline with a BLPOP in it would hold up every other caller for as long as it blocks;
    // cancelled, it is unblocked on the server as a lone blocking command is.
    if (hasBlockingCommand(cmds)) {
      const send = (conn: Connection) => sendManyCancellable(conn, cmds, signal, this.#unblock);
      return this.#dedicated(send, signal, 0, leftInStep);
    }
    return this.#sendShared(cmds, signal);
  }

  /** Commands as one write on the shared connection (or the offline queue); `ReplyError`s stay in place. */
  #sendShared(cmds: readonly Command[], signal: AbortSignal | undefined): Promise<unknown[]> {
    const conn = this.#conn;
    const sent =
      conn === undefined
        ? (this.#offline(undefined, cmds, signal) as Promise<unknown[]>)
        : conn.sendMany(cmds, signal);
    if (this.#reconnectOnError === undefined) return sent;
    // Error replies stay in place in a batch: they may retire the connection, never resend.
    const generation = conn === undefined ? this.#generation + 1 : this.#generation;
    return sent.then((replies) => {
      for (const reply of replies) {
        if (reply instanceof ReplyError && this.#askReconnect(reply, generation) !== false) break;
      }
      return replies;
    });
  }

  batchMaySplit(): boolean {
    return this.#conn !== undefined && !this.#closing && this.#o.maxInFlight === 0;
  }

  /**
   * Runs a blocking command on a dedicated pooled connection; no command timeout unless asked. An
   * abort or timeout unblocks it on the server over the shared connection (`sendCancellable`).
   */
  dispatchBlocking(cmd: Command, signal?: AbortSignal): Promise<unknown> {
    if (commandChannel.hasSubscribers) commandChannel.publish(commandMessage(cmd, this.#label));
    const timeout = cmd.timeout ?? 0;
    return this.#dedicated(
      (conn) => sendCancellable(conn, cmd, signal, timeout, this.#unblock),
      signal,
      timeout,
      leftInStep,
    );
  }

  readonly #unblock = (clientId: number): Promise<unknown> =>
    this.dispatch({ args: ['CLIENT', 'UNBLOCK', clientId], timeout: UNBLOCK_WAIT_MS });

  /**
   * A transaction's batch (`MULTI` … `EXEC`) in one write on the shared connection, as ioredis and
   * node-redis send it: the connection's commands run in order and a batch is never split, so no
   * other caller's command lands inside the transaction, and the server runs it whole at `EXEC`.
   * A pooled connection per transaction capped concurrent ones at the pool's size (benchmark b8,
   * 10,000 at once: 370 ms against node-redis's 343) and made them wait behind blocking commands
   * holding the pool.
   */
  transaction(cmds: readonly Command[], signal?: AbortSignal): Promise<unknown[]> {
    return this.#sendShared(cmds, signal);
  }

  /**
   * Leases a dedicated connection for `fn`, with `CLIENT UNBLOCK` over the shared connection;
   * destroyed afterwards if `fn` failed with a non-reply error.
   */
  withDedicated<R>(fn: DedicatedWork<R>, signal?: AbortSignal): Promise<R> {
    return this.#dedicated((conn) => fn(conn, this.#unblock), signal, this.#o.commandTimeout);
  }

  /**
   * `fn` on a leased connection. While the client (re)connects, the lease waits for it to be
   * ready, as commands in the offline queue do — at most `waitMs` (0: no limit; the signal and
   * the client's end still cut it short) — instead of failing at once against a server that is
   * away; so does a lease whose connection could not be opened, twice at most.
   */
  async #dedicated<R>(
    fn: (connection: Connection) => Promise<R>,
    signal: AbortSignal | undefined,
    waitMs: number,
    reusable?: (connection: Connection) => boolean,
  ): Promise<R> {
    if (this.#closing) throw this.#closedError();
    const pool = this.#getPool();
    const started = performance.now();
    let lease: Lease<Connection>;
    for (let attempt = 1; ; attempt++) {
      // A retry while closing gives up; the first try of a call made before quit() goes on.
      if (attempt > 1 && this.#closing) throw this.#closedError();
      if (this.#reconnecting()) await this.#untilReady(signal, waitMs, started);
      try {
        lease = await pool.acquire(signal);
        break;
      } catch (err) {
        // Drained by disconnect() or a retryStrategy that gave up: the client's error, not the pool's.
        if (err instanceof PoolClosedError) throw this.#disconnected ?? this.#closedError();
        const unopened = err instanceof ConnectionClosedError && !err.written;
        if (!unopened || attempt >= 3 || signal?.aborted === true) throw err;
        // The server is away. A client that never connected starts connecting now; a connected
        // one gets a beat to notice. Either way, the next round waits for it to be ready.
        if (this.#status === 'wait') this.connect().catch(() => {});
        else await new Promise((resolve) => setTimeout(resolve, 10));
        if (!this.#reconnecting()) throw err;
      }
    }
    // An idle connection is handed over a microtask later: disconnect() may have come meanwhile.
    if (this.#disconnected !== undefined) {
      pool.release(lease, this.#disconnected);
      throw this.#disconnected;
    }
    const conn = lease.resource;
    this.#leased.add(conn);
    try {
      const result = await fn(conn);
      this.#leased.delete(conn);
      pool.release(lease);
      return result;
    } catch (err) {
      this.#leased.delete(conn);
      const keep = err instanceof ReplyError || reusable?.(conn) === true;
      pool.release(lease, keep ? undefined : asError(err));
      throw err;
    }
  }

  /** Opens a connection the caller owns, with this client's settings. */
  openConnection(onPush: ((push: unknown[]) => void) | undefined, signal?: AbortSignal): Promise<Connection> {
    if (this.#closing) return Promise.reject(this.#closedError());
    return this.#open(onPush, signal);
  }

  /** Resolves once ready (connecting if needed, again after `end`); rejects if the client ends first. */
  connect(): Promise<void> {
    if (this.#status === 'ready') return Promise.resolve();
    if (this.#status === 'end') this.#reopen();
    if (this.#closing) return Promise.reject(this.#closedError());
    this.#ready ??= deferred();
    const promise = this.#ready.promise;
    if (!this.#looping) this.#startLoop(undefined);
    return promise;
  }

  /**
   * After `end` (`quit`, `disconnect`, `retryStrategy` giving up), `connect()` starts over, as
   * ioredis's and node-redis's do: a fresh abort signal and pool. Commands issued while ended
   * still reject: only `connect()` opens again.
   */
  #reopen(): void {
    this.#abort = new AbortController();
    this.#pool = undefined;
    this.#disconnected = undefined;
    this.#closing = false;
    this.#quitting = undefined;
    this.#status = 'wait';
  }

  /** The router-shaped name of `quit()`. */
  close(): Promise<void> {
    return this.quit();
  }

  /** Graceful: lets in-flight commands finish (and a connect in progress flush the queue), then closes. */
  quit(): Promise<void> {
    if (this.#quitting !== undefined) return this.#quitting;
    if (this.#status === 'end') return Promise.resolve();
    this.#quitting = this.#quit();
    return this.#quitting;
  }

  async #quit(): Promise<void> {
    this.#closing = true;
    // A backoff sleep is cut short; a connect in progress may finish and flush the queue.
    if (this.#status === 'reconnecting') this.#abort.abort(this.#closedError());
    while (this.#looping) await new Promise((resolve) => setImmediate(resolve));
    if (this.#status === 'end') return;
    this.#status = 'closing';
    this.#queue.rejectAll(this.#closedError());
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn !== undefined) {
      conn.off('close', this.#onClose);
      // disconnect() during a graceful close destroys it instead.
      this.#leased.add(conn);
      await conn.close();
      this.#leased.delete(conn);
      this.#events.emit('close');
    }
    // Calls made before quit() that wait for a dedicated connection still get one, as commands
    // queued for the shared connection are still sent.
    await this.#pool?.close();
    this.#finish(this.#closedError());
  }

  /** Immediate: every pending command rejects with `ConnectionClosedError`, sockets are destroyed. */
  async disconnect(): Promise<void> {
    if (this.#status === 'end') return;
    const err = new ConnectionClosedError('the client disconnected', false);
    this.#disconnected = err;
    this.#closing = true;
    this.#status = 'closing';
    this.#abort.abort(err);
    this.#queue.rejectAll(err);
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn !== undefined) {
      conn.off('close', this.#onClose);
      conn.destroy(err);
      this.#events.emit('close');
    }
    for (const leased of this.#leased) leased.destroy(err);
    await this.#pool?.drain();
    if (this.#quitting !== undefined) await this.#quitting.catch(() => {});
    this.#finish(err);
  }

  #finish(err: Error): void {
    if (this.#status === 'end') return;
    this.#status = 'end';
    this.#ready?.reject(err);
    this.#ready = undefined;
    this.#events.emit('end');
  }

  #reconnecting(): boolean {
    return this.#status === 'connecting' || this.#status === 'reconnecting';
  }

  /** Resolves when the shared connection is ready; rejects at `waitMs` after `started`, on abort, or at the end. */
  #untilReady(signal: AbortSignal | undefined, waitMs: number, started: number): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const ready = this.connect();
    const left = waitMs > 0 ? waitMs - (performance.now() - started) : Number.POSITIVE_INFINITY;
    if (left <= 0) return Promise.reject(new TimeoutError('acquire', waitMs, false));
    if (signal === undefined && left === Number.POSITIVE_INFINITY) return ready;
    return new Promise<void>((resolve, reject) => {
      const timer =
        left === Number.POSITIVE_INFINITY
          ? undefined
          : setTimeout(() => reject(new TimeoutError('acquire', waitMs, false)), left);
      const stopWaiting = signal === undefined ? undefined : whenAborted(signal, () => reject(signal.reason));
      ready.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        stopWaiting?.();
      });
    });
  }

  #closedError(): ConnectionClosedError {
    return new ConnectionClosedError(`the client to ${this.#label} is closed`, false);
  }

  #offline(
    cmd: Command | undefined,
    cmds: readonly Command[] | undefined,
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (this.#closing || this.#status === 'end') return Promise.reject(this.#closedError());
    // A batch waits as long as its most patient command (none, if one has no timeout).
    const fallback = this.#o.commandTimeout;
    let timeout = cmd !== undefined ? (cmd.timeout ?? fallback) : -1;
    for (const c of cmds ?? []) {
      const own = c.timeout ?? fallback;
      if (timeout === -1 || own === 0 || (timeout !== 0 && own > timeout)) timeout = own;
    }
    if (timeout === -1) timeout = fallback;
    const promise = this.#queue.push(cmd, cmds, timeout, signal);
    if (!this.#looping && this.#status === 'wait') this.#startLoop(undefined);
    return promise;
  }

  /**
   * The shared connection died with this command unanswered (its `onUnsettled` hook): queue it
   * offline, to go out after the reconnect with a fresh timeout, when it certainly did not run
   * (`written: false`) or may run twice safely (idempotent, or a batch of idempotent commands,
   * with `replayIdempotent` on). Otherwise, or when closing, it rejects. After a protocol error
   * only unwritten ones go again: a written command may be what the server answered wrongly, and
   * sending it again could break every new connection the same way.
   */
  #replay(
    command: Command | readonly Command[],
    written: boolean,
    err: Error,
    signal: AbortSignal | undefined,
  ): Promise<unknown> | undefined {
    if (this.#closing) return undefined;
    // A RespProtocolError: written, its reply in the stream that broke (unwritten ones get a
    // ConnectionClosedError).
    if (!(err instanceof ConnectionClosedError)) return undefined;
    if (isBatch(command)) {
      if (written && !(this.#replayIdempotent && command.every((c) => c.idempotent === true)))
        return undefined;
      return this.#offline(undefined, command, signal);
    }
    if (written && !(this.#replayIdempotent && command.idempotent === true)) return undefined;
    return this.#offline(command, undefined, signal);
  }

  #getPool(): Pool<Connection> {
    this.#pool ??= new Pool<Connection>({
      create: (signal) => this.#open(undefined, signal),
      destroy: (conn) => conn.close(),
      isUsable: (conn) => !conn.closed,
      max: this.#o.pool.max,
      min: this.#o.pool.min,
      idleTimeout: this.#o.pool.idleTimeout,
      acquireTimeout: this.#o.pool.acquireTimeout,
    });
    return this.#pool;
  }

  #resolveDecoder(): Promise<ResolvedDecoder> {
    this.#decoder ??= resolveDecoder(this.#o.decoder).then((resolved) => {
      this.#decoderInfo = decoderInfoOf(resolved);
      this.#graphWireDecoder = resolved.graphWireDecoder;
      return resolved;
    });
    return this.#decoder;
  }

  async #open(
    onPush: ((push: unknown[]) => void) | undefined,
    signal?: AbortSignal,
    onUnsettled?: UnsettledHook,
  ): Promise<Connection> {
    const decoder = await this.#resolveDecoder();
    const o = this.#o;
    const options: Writable<ConnectionOptions> = {
      transport: o.transport,
      db: o.db,
      ...connectionSettings(o, decoder),
    };
    if (onPush !== undefined) options.onPush = onPush;
    if (onUnsettled !== undefined) options.onUnsettled = onUnsettled;
    return Connection.open(options, signal);
  }

  #startLoop(err: Error | undefined): void {
    this.#looping = true;
    void this.#run(err);
  }

  /** Connects, retrying per `retryStrategy`; `err` set means "after a lost connection". Never rejects. */
  async #run(err: Error | undefined): Promise<void> {
    const signal = this.#abort.signal;
    let attempt = 0;
    try {
      for (;;) {
        if (err !== undefined) {
          if (this.#closing) return;
          attempt++;
          let delay: number | null;
          try {
            delay = this.#o.retryStrategy(attempt, err);
          } catch (thrown) {
            err = asError(thrown);
            delay = null;
          }
          if (typeof delay !== 'number' || !(delay >= 0)) {
            this.#giveUp(err);
            return;
          }
          this.#status = 'reconnecting';
          this.#events.emit('reconnecting', { attempt, delay });
          if (!(await sleep(delay, signal))) return;
        }
        if (this.#closing) return;
        this.#status = 'connecting';
        try {
          const conn = await this.#open(this.#onPush, signal, this.#onUnsettled);
          if (signal.aborted) {
            conn.destroy();
            return;
          }
          this.#install(conn, attempt);
          return;
        } catch (thrown) {
          if (signal.aborted) return;
          err = asError(thrown);
          if (connectChannel.hasSubscribers) {
            connectChannel.publish({ transport: this.#label, attempt, ok: false, error: err });
          }
          this.#events.emit('error', err);
          if (
            err instanceof NativeCodecUnavailableError ||
            err instanceof InvalidOptionError ||
            this.#closing
          ) {
            this.#giveUp(err);
            return;
          }
          if (isPermanentFailure(err)) this.#refuseWaiting(err);
        }
      }
    } finally {
      this.#looping = false;
    }
  }

  #install(conn: Connection, attempt: number): void {
    this.#conn = conn;
    this.#generation++;
    this.#protocol = conn.protocol;
    this.#status = 'ready';
    conn.on('close', this.#onClose);
    if (connectChannel.hasSubscribers) {
      connectChannel.publish({ transport: this.#label, attempt, ok: true, protocol: conn.protocol });
    }
    // Never-written commands go out first, in order, in this tick's single write.
    const now = performance.now();
    for (const entry of this.#queue.takeAll()) {
      if (entry.cmd !== undefined) {
        let cmd = entry.cmd;
        if (entry.deadline !== Number.POSITIVE_INFINITY) {
          cmd = { ...cmd, timeout: Math.max(1, Math.ceil(entry.deadline - now)) };
        }
        conn.send(cmd, entry.signal).then(entry.resolve, entry.reject);
      } else if (entry.cmds !== undefined) {
        conn.sendMany(entry.cmds, entry.signal).then(entry.resolve, entry.reject);
      }
    }
    this.#events.emit('connect');
    this.#events.emit('ready');
    this.listeners.emitReady();
    this.#ready?.resolve();
    this.#ready = undefined;
  }

  /** The shared connection closed without being asked: reconnect. */
  #lost(err: Error | undefined): void {
    this.#conn = undefined;
    this.#events.emit('close', err);
    if (err !== undefined) this.#events.emit('error', err);
    if (this.#closing) return;
    this.#status = 'reconnecting';
    this.#startLoop(err ?? new ConnectionClosedError(`connection to ${this.#label} closed`, true));
  }

  /**
   * The server refused the handshake (a password, a certificate): retrying as usual may yet
   * succeed (the password set back, the certificate renewed), but what waits now is told why at
   * once, rather than a `TimeoutError` after `commandTimeout` and a `connect()` that never settles.
   */
  #refuseWaiting(err: Error): void {
    const refused = new ConnectionClosedError(
      `${this.#label} refused the connection: ${err.message}`,
      false,
      {
        cause: err,
      },
    );
    this.#queue.rejectAll(refused);
    this.#ready?.reject(refused);
    this.#ready = undefined;
  }

  #giveUp(err: Error): void {
    this.#closing = true;
    const final =
      err instanceof NativeCodecUnavailableError || err instanceof InvalidOptionError
        ? err
        : new ConnectionClosedError(`gave up connecting to ${this.#label}: ${err.message}`, false, {
            cause: err,
          });
    this.#queue.rejectAll(final);
    this.#pool?.drain().catch(() => {});
    this.#finish(final);
  }
}
