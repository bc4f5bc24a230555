import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import {
  type Command,
  type CommandArg,
  checkPipeline,
  encodeCommand,
  encodePipeline,
  type ReplyDecoder,
  ReplyError,
  type ReplyMode,
  RespProtocolError,
  type StringMode,
} from '@fusedis/resp';
import type { CloseListener, ConnectionOptions, UnsettledHook } from './connection-options.js';
import { ConnectionClosedError, InvalidOptionError, QueueFullError, TimeoutError } from './errors.js';
import { type ConnectionSettings, resolveConnectionSettings } from './internal/connection-settings.js';
import { DeadlineTimer } from './internal/deadlines.js';
import { handshake, waitWhileLoading } from './internal/handshake.js';
import { MANY, Pending, PendingExtra, SINGLE, SUBSCRIBE } from './internal/pending.js';
import { confirms, frameKind, isConfirmation, SubscriberState, subscribeKindOf } from './internal/pubsub.js';
import { Ring } from './internal/ring.js';
import { SignalGroups } from './internal/signal-groups.js';
import { StallWatch } from './internal/stall-watch.js';
import { whenAborted } from './when-aborted.js';

/** Batch arrays up to this length are kept for the next flush. */
const SPARE_LIMIT = 1024;
/**
 * A batch of more commands than this is written in parts of this many, each as soon as it is
 * encoded, and auto-pipelined sends write their batch once it holds this many rather than at the
 * end of the tick: the server starts on the first commands while the rest are still being made
 * and encoded, instead of waiting for the whole burst (client benchmark, full runs before and
 * after: 100,000 pipelined SETs 156 → 128 ms, 100,000 concurrent GETs 248 → 156 ms).
 */
export const PART_COMMANDS = 1024;

/** Handed to the constructor by `open()` only. */
const OPENING = Symbol('Connection.open');

/**
 * One socket to one server: handshake, auto-pipelined writes, a FIFO reply queue, timeouts and
 * cancellation, pushes routed apart. Open it with {@link Connection.open}.
 *
 * Guarantees: replies go to commands in order, never to the wrong one (a command that timed out
 * or was aborted after it was written keeps its place and its late reply is dropped); a command
 * aborted before it was written is never sent; every promise settles, and a connection failure
 * tells each command whether it was `written`.
 */
export class Connection {
  /**
   * Connects with `options.transport` and runs the handshake (HELLO, AUTH, SELECT, SETNAME,
   * SETINFO) within `connectTimeout`. Rejects with `InvalidOptionError` (bad options, before
   * connecting), `TimeoutError` (phase `connect`), `ConnectionClosedError`, the server's
   * `ReplyError` (e.g. WRONGPASS), or `signal.reason`.
   */
  static async open(options: ConnectionOptions, signal?: AbortSignal): Promise<Connection> {
    const settings = resolveConnectionSettings(options);
    signal?.throwIfAborted();
    const limit = settings.connectTimeout;
    const controller = new AbortController();
    const stopWaiting =
      signal === undefined ? undefined : whenAborted(signal, () => controller.abort(signal.reason));
    const timer =
      limit > 0
        ? setTimeout(() => controller.abort(new TimeoutError('connect', limit, false)), limit).unref()
        : undefined;
    let connection: Connection | undefined;
    try {
      const stream = await settings.transport.connect(controller.signal);
      connection = new Connection(OPENING, stream, settings);
      const result = await handshake(
        connection,
        { ...settings.handshake, password: options.password },
        controller.signal,
      );
      if (result.loading) {
        // The server is up and reading its data: no connect timeout for that, only `signal`.
        clearTimeout(timer);
        await waitWhileLoading(connection, controller.signal);
      }
      connection.#protocol = result.protocol;
      connection.#serverVersion = result.serverVersion;
      connection.#clientId = result.clientId;
      // Only now: the handshake's own commands are never handed over.
      connection.#onUnsettled = settings.onUnsettled;
      connection.#stall.enable();
      return connection;
    } catch (err) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : err;
      connection?.destroy(reason instanceof Error ? reason : undefined);
      throw reason;
    } finally {
      clearTimeout(timer);
      stopWaiting?.();
    }
  }

  readonly #stream: Duplex;
  readonly #decoder: ReplyDecoder;
  readonly #label: string;
  readonly #strings: StringMode;
  readonly #pushStrings: StringMode;
  readonly #commandTimeout: number;
  readonly #autoPipeline: boolean;
  readonly #maxInFlight: number;
  readonly #onPushListener: ((push: unknown[]) => void) | undefined;
  /** Written commands awaiting replies, oldest first (subscribe-family ones included). */
  readonly #ring = new Ring<Pending>(64);
  /** Commands of this tick not written yet, and their arguments (a MANY entry has `count` of them). */
  #batch: Pending[] = [];
  #batchArgs: (readonly CommandArg[])[] = [];
  #batchAborted = 0;
  #spareBatch: Pending[] = [];
  #spareArgs: (readonly CommandArg[])[] = [];
  #flushScheduled = false;
  /** Commands awaiting replies (a sendMany counts each of its commands). */
  #commands = 0;
  #protocol: 2 | 3;
  #serverVersion: string | undefined;
  #clientId: number | undefined;
  readonly #pubsub = new SubscriberState();
  readonly #deadlines = new DeadlineTimer(this.#ring);
  readonly #stall: StallWatch;
  #onUnsettled: UnsettledHook | undefined;
  /** Where the lines of a `MONITOR` stream go; set by `monitor()`. */
  #monitorListener: ((line: unknown) => void) | undefined;
  /** `MONITOR` is on its way or on: commands are refused (their replies would mix with its lines). */
  #monitoring = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  readonly #closeListeners = new Set<CloseListener>();
  readonly #signals = new SignalGroups((pending) => this.#abort(pending));
  readonly #flushTick = (): void => this.#flush();

  private constructor(token: typeof OPENING, stream: Duplex, settings: ConnectionSettings) {
    if (token !== OPENING) throw new InvalidOptionError('use Connection.open()');
    this.#stream = stream;
    this.#label = settings.transport.label;
    this.#strings = settings.strings;
    this.#pushStrings = settings.pushStrings;
    this.#commandTimeout = settings.commandTimeout;
    this.#autoPipeline = settings.autoPipeline;
    this.#maxInFlight = settings.maxInFlight;
    this.#onPushListener = settings.onPush;
    this.#protocol = settings.handshake.protocol;
    this.#stall = new StallWatch(this.#ring, settings.commandTimeout, (silence) =>
      this.#declareDead(silence),
    );
    this.#decoder = settings.decoder(
      {
        reply: (value) => this.#onReply(value),
        push: (value) => this.#onPush(value),
        error: (err) => this.destroy(err),
        // `replyMode` may answer 'frame' (a command's reply as its RESP bytes); a decoder that
        // only knows `stringMode` decodes such a reply as text instead.
        replyMode: (kind) => this.#modeOf(kind),
        stringMode: (kind) => {
          const mode = this.#modeOf(kind);
          return mode === 'frame' ? this.#strings : mode;
        },
      },
      settings.decodeOptions,
    );
    stream.on('data', (chunk: Buffer) => {
      if (this.#closed) return;
      this.#stall.lastByte = performance.now();
      try {
        this.#decoder.feed(chunk);
      } catch (err) {
        this.destroy(err instanceof Error ? err : undefined);
      }
    });
    stream.on('error', (err: Error) => this.destroy(err));
    stream.on('end', () => this.destroy());
    stream.on('close', () => this.destroy());
  }

  /** The negotiated RESP version. */
  get protocol(): 2 | 3 {
    return this.#protocol;
  }

  /** Closed or closing: `send()` rejects. */
  get closed(): boolean {
    return this.#closed || this.#closing !== undefined;
  }

  /** Commands sent or queued, awaiting replies. */
  get inFlight(): number {
    return this.#commands;
  }

  /** The deadline of a command sent without its own `timeout`, in ms (0: none). */
  get commandTimeout(): number {
    return this.#commandTimeout;
  }

  /** The server's version, from HELLO (absent when the server does not know HELLO). */
  get serverVersion(): string | undefined {
    return this.#serverVersion;
  }

  /** The server's id for this connection (`CLIENT ID`), from HELLO. */
  get clientId(): number | undefined {
    return this.#clientId;
  }

  /** The transport's label, e.g. `tcp://127.0.0.1:6379`. */
  get label(): string {
    return this.#label;
  }

  /**
   * Sends one command; resolves with its reply, rejects with its `ReplyError`, a `TimeoutError`,
   * a `ConnectionClosedError`, a `RespProtocolError`, a `QueueFullError` or `signal.reason`.
   * Subscribe-family commands resolve with their first confirmation.
   */
  send(cmd: Command, signal?: AbortSignal): Promise<unknown> {
    if (this.#closed || this.#closing !== undefined || this.#monitoring)
      return Promise.reject(this.#refusal());
    if (this.#maxInFlight !== 0 && this.#commands >= this.#maxInFlight) return Promise.reject(this.#full());
    if (signal?.aborted) return Promise.reject(signal.reason);
    const args = cmd.args;
    const timeout = cmd.timeout ?? this.#commandTimeout;
    const kind = subscribeKindOf(args);
    // Confirmations must be read as values: a subscribe-family command is never in frame mode.
    const mode =
      cmd.stringMode === undefined || (cmd.stringMode === 'frame' && kind !== '')
        ? this.#strings
        : cmd.stringMode;
    const pending =
      kind === ''
        ? new Pending(SINGLE, mode, 1, timeout, undefined, cmd)
        : new Pending(
            SUBSCRIBE,
            mode,
            Math.max(args.length - 1, 0),
            timeout,
            subscribeExtra(kind, args),
            cmd,
          );
    if (signal !== undefined) pending.watch(signal, this.#signals);
    this.#commands++;
    if (this.#autoPipeline) {
      this.#batch.push(pending);
      this.#batchArgs.push(args);
      this.#flushSoon();
    } else {
      let bytes: Buffer;
      try {
        bytes = encodeCommand(args);
      } catch (err) {
        this.#commands--;
        pending.fail(err);
        return pending.promise;
      }
      this.#written(pending, performance.now());
      this.#stream.write(bytes);
    }
    return pending.promise;
  }

  /**
   * Sends commands as one batch, in one buffer with the other commands of this tick: written at
   * the end of the tick as `send()`'s are (auto-pipelining; at once with it off, or once the tick's
   * batch reaches 1,024 commands), so many small batches of one tick share one write.
   * Resolves with every reply in order, `ReplyError`s in place; other failures reject the whole.
   * The batch's timeout is the longest of its commands' (none if any has none). Subscribe-family
   * commands are refused here (`InvalidOptionError`): use `send()`.
   */
  sendMany(cmds: readonly Command[], signal?: AbortSignal): Promise<unknown[]> {
    if (this.#closed || this.#closing !== undefined || this.#monitoring)
      return Promise.reject(this.#refusal());
    const count = cmds.length;
    if (count === 0) return Promise.resolve([]);
    if (this.#maxInFlight !== 0 && this.#commands + count > this.#maxInFlight) {
      return Promise.reject(this.#full());
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const first = cmds[0] as Command;
    const mode = first.stringMode ?? this.#strings;
    let modes: ReplyMode[] | undefined;
    let timeout = first.timeout ?? this.#commandTimeout;
    // Nothing else queued this tick: the arguments go into an array of the exact size, gathered
    // in this pass (not pushed one by one into the tick's batch afterwards).
    const argsList =
      this.#batchArgs.length === 0 && count > SPARE_LIMIT
        ? new Array<readonly CommandArg[]>(count)
        : undefined;
    for (let i = 0; i < count; i++) {
      const cmd = cmds[i] as Command;
      if (argsList !== undefined) argsList[i] = cmd.args;
      if (subscribeKindOf(cmd.args) !== '') {
        return Promise.reject(new InvalidOptionError('sendMany() cannot carry subscribe-family commands'));
      }
      const own = cmd.stringMode ?? this.#strings;
      if (own !== mode) modes ??= cmds.map((c) => c.stringMode ?? this.#strings);
      const limit = cmd.timeout ?? this.#commandTimeout;
      if (timeout !== 0 && (limit === 0 || limit > timeout)) timeout = limit;
    }
    const extra = new PendingExtra();
    extra.modes = modes;
    extra.results = new Array(count);
    const pending = new Pending(MANY, mode, count, timeout, extra, cmds);
    if (signal !== undefined) pending.watch(signal, this.#signals);
    this.#commands += count;
    this.#batch.push(pending);
    if (argsList !== undefined) this.#batchArgs = argsList;
    else for (let i = 0; i < count; i++) this.#batchArgs.push((cmds[i] as Command).args);
    // As `send()`: 20,000 concurrent 3-command pipelines were 20,000 writes when each went at once.
    if (this.#autoPipeline) this.#flushSoon();
    else this.#flush();
    return pending.promise as Promise<unknown[]>;
  }

  /** Writes the tick's batch at the end of the tick, or now once it holds `PART_COMMANDS`. */
  #flushSoon(): void {
    if (this.#batchArgs.length >= PART_COMMANDS) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flushTick);
    }
  }

  /**
   * Turns this connection into a `MONITOR` stream: resolves once the server confirmed, and from
   * then on every line the server reports (each command it runs, a string, or a Buffer in buffer
   * mode) goes to `listener`. The connection only listens afterwards: `send()` and `sendMany()`
   * reject (`InvalidOptionError`); `close()` stops it. Refused while commands are in flight.
   */
  async monitor(listener: (line: string | Buffer) => void): Promise<void> {
    if (this.#monitoring) throw new InvalidOptionError(`${this.#label}: already monitoring`);
    if (this.#commands > 0) {
      throw new InvalidOptionError(`${this.#label}: MONITOR needs a connection with no command in flight`);
    }
    const sent = this.send({ args: ['MONITOR'], timeout: this.#commandTimeout });
    this.#monitoring = true;
    this.#monitorListener = listener as (line: unknown) => void;
    try {
      await sent;
    } catch (err) {
      this.#monitoring = false;
      this.#monitorListener = undefined;
      throw err;
    }
  }

  /**
   * Graceful close: refuses new commands, writes what is queued, waits until every pending
   * command has settled (replied or timed out), then ends the stream. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    if (this.#closed) return Promise.resolve();
    this.#closing = this.#closeGracefully();
    return this.#closing;
  }

  async #closeGracefully(): Promise<void> {
    this.#flush();
    const waits: Promise<unknown>[] = [];
    for (let i = 0; i < this.#ring.length; i++) {
      const pending = this.#ring.at(i) as Pending;
      if (!pending.done) waits.push(pending.promise);
    }
    await Promise.allSettled(waits);
    if (this.#closed) return;
    const closed = new Promise<void>((resolve) => this.#closeListeners.add(() => resolve()));
    // Once our FIN is out nothing more is awaited: destroy rather than wait for the peer's FIN.
    this.#stream.end(() => this.destroy());
    await closed;
  }

  /**
   * Closes at once. Every pending command rejects (unless `onUnsettled` takes it over): a written
   * one with `err` itself when it is a `RespProtocolError` (its reply was in the stream that
   * broke), every other with a `ConnectionClosedError` saying whether that command was `written`
   * (cause: `err`). So a `RespProtocolError` always means written. Idempotent; `close` listeners
   * run once.
   */
  destroy(err?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#deadlines.stop();
    this.#stall.stop();
    const hook = this.#onUnsettled;
    this.#stream.destroy();
    const protocolError = err instanceof RespProtocolError ? err : undefined;
    const detail = err === undefined ? '' : `: ${err.message}`;
    const options = err === undefined ? undefined : { cause: err };
    let written: Error | undefined;
    let unwritten: Error | undefined;
    for (const pending of this.#ring.drain()) {
      if (pending.done) continue;
      written ??=
        protocolError ??
        new ConnectionClosedError(`connection to ${this.#label} closed${detail}`, true, options);
      if (hook === undefined || !handOver(hook, pending, true, written)) pending.fail(written);
    }
    const batch = this.#batch;
    this.#batch = [];
    this.#batchArgs = [];
    for (const pending of batch) {
      if (pending.done) continue;
      unwritten ??= new ConnectionClosedError(`connection to ${this.#label} closed${detail}`, false, options);
      if (hook === undefined || !handOver(hook, pending, false, unwritten)) pending.fail(unwritten);
    }
    this.#commands = 0;
    const listeners = [...this.#closeListeners];
    this.#closeListeners.clear();
    for (const listener of listeners) {
      try {
        listener(err);
      } catch (thrown) {
        rethrowLater(thrown);
      }
    }
  }

  /** Adds a listener for the one `close` event (emitted once, whatever closed the connection). */
  on(event: 'close', listener: CloseListener): this {
    if (event !== 'close')
      throw new InvalidOptionError(`Connection emits only 'close', not '${String(event)}'`);
    if (this.#closed) queueMicrotask(() => listener());
    else this.#closeListeners.add(listener);
    return this;
  }

  /** Removes a `close` listener. */
  off(event: 'close', listener: CloseListener): this {
    if (event === 'close') this.#closeListeners.delete(listener);
    return this;
  }

  /** Writes this tick's commands: as one buffer, or in parts when there are many (`PART_COMMANDS`). */
  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#batch;
    if (batch.length === 0) return;
    const queuedArgs = this.#batchArgs;
    // Swap in the spare pair: a flush per command (sequential sends) allocates no arrays.
    this.#batch = this.#spareBatch;
    this.#batchArgs = this.#spareArgs;
    const argsList = this.#batchAborted === 0 ? queuedArgs : this.#dropAborted(batch, queuedArgs);
    if (argsList.length > PART_COMMANDS) this.#writeInParts(batch, argsList);
    else this.#writeWhole(batch, argsList);
    // Keep small arrays for reuse (emptied, so they hold nothing); let big ones go.
    if (batch.length <= SPARE_LIMIT) {
      batch.length = 0;
      queuedArgs.length = 0;
      this.#spareBatch = batch;
      this.#spareArgs = queuedArgs;
    } else {
      this.#spareBatch = [];
      this.#spareArgs = [];
    }
  }

  /** Encodes the batch as one buffer and writes it. */
  #writeWhole(batch: Pending[], argsList: (readonly CommandArg[])[]): void {
    let bytes: Buffer;
    try {
      // One command (sequential awaited sends): encodeCommand's slab avoids an allocation.
      bytes =
        argsList.length === 1
          ? encodeCommand(argsList[0] as readonly CommandArg[])
          : encodePipeline(argsList);
    } catch {
      bytes = this.#encodeEach(batch, argsList);
    }
    this.#markWritten(batch);
    if (bytes.length > 0) this.#stream.write(bytes);
  }

  /**
   * Writes a large batch in parts of `PART_COMMANDS` commands, each as soon as it is encoded. The
   * whole batch is checked first, so no part goes out before a bad command is found (the batch then
   * takes the one-buffer path, which rejects just the commands that hold one).
   */
  #writeInParts(batch: Pending[], argsList: (readonly CommandArg[])[]): void {
    try {
      checkPipeline(argsList);
    } catch {
      this.#writeWhole(batch, argsList);
      return;
    }
    this.#markWritten(batch);
    try {
      for (let at = 0; at < argsList.length && !this.#closed; at += PART_COMMANDS) {
        this.#stream.write(encodePipeline(argsList.slice(at, at + PART_COMMANDS)));
      }
    } catch (err) {
      // Checked above, so not expected; but with parts already out, only closing keeps replies matched.
      this.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Moves a batch's commands that are still wanted into the reply queue. */
  #markWritten(batch: Pending[]): void {
    const now = performance.now();
    for (let i = 0; i < batch.length; i++) {
      const pending = batch[i] as Pending;
      if (!pending.done) this.#written(pending, now);
    }
  }

  /** Leaves out the commands aborted before they were written; they are never sent. */
  #dropAborted(batch: Pending[], argsList: (readonly CommandArg[])[]): (readonly CommandArg[])[] {
    const kept: (readonly CommandArg[])[] = [];
    for (let i = 0, at = 0; i < batch.length; i++) {
      const pending = batch[i] as Pending;
      const n = pending.kind === MANY ? pending.count : 1;
      if (pending.done) this.#commands -= n;
      else for (let j = 0; j < n; j++) kept.push(argsList[at + j] as readonly CommandArg[]);
      at += n;
    }
    this.#batchAborted = 0;
    return kept;
  }

  /** The slow path when a command cannot be encoded: it alone rejects, the others go out. */
  #encodeEach(batch: Pending[], argsList: (readonly CommandArg[])[]): Buffer {
    const parts: Buffer[] = [];
    for (let i = 0, at = 0; i < batch.length; i++) {
      const pending = batch[i] as Pending;
      if (pending.done) continue;
      const n = pending.kind === MANY ? pending.count : 1;
      try {
        // A batch of its own (sendMany) keeps the encoder's "command i" for the command at fault.
        parts.push(
          pending.kind === MANY
            ? encodePipeline(argsList.slice(at, at + n))
            : encodeCommand(argsList[at] as readonly CommandArg[]),
        );
      } catch (err) {
        this.#commands -= n;
        pending.fail(err);
      }
      at += n;
    }
    return Buffer.concat(parts);
  }

  /** Moves a command into the reply queue and arms the timer if it has the earliest deadline. */
  #written(pending: Pending, now: number): void {
    pending.written = true;
    if (pending.timeout > 0) {
      const deadline = now + pending.timeout;
      pending.deadline = deadline;
      this.#deadlines.watch(deadline, now);
      if (this.#stall.needsStart) this.#stall.start();
    }
    if (pending.kind === SUBSCRIBE) {
      this.#pubsub.written(pending.subscribeKind, this.#protocol);
    }
    this.#ring.push(pending);
  }

  /** No byte for a whole window while a reply was due: expire what is due, then close. */
  #declareDead(silence: number): void {
    this.#deadlines.expireDue();
    this.destroy(
      new ConnectionClosedError(`no byte from ${this.#label} for ${silence} ms while a reply was due`, true),
    );
  }

  #abort(pending: Pending): void {
    const reason: unknown = pending.signal?.reason;
    if (!pending.written) this.#batchAborted++;
    pending.fail(reason);
  }

  #modeOf(kind: 'reply' | 'push'): ReplyMode {
    if (kind === 'push' || this.#pubsub.active) return this.#pushStrings;
    const head = this.#ring.peek();
    return head === undefined ? this.#strings : head.nextMode();
  }

  #onReply(value: unknown): void {
    if (this.#pubsub.active && frameKind(value) !== '') {
      this.#onPush(value as unknown[]);
      return;
    }
    let head = this.#ring.peek();
    // A subscribe-family command that got its confirmations is over once anything else arrives.
    while (head !== undefined && head.kind === SUBSCRIBE && head.received > 0) head = this.#shift();
    if (head === undefined) {
      const monitor = this.#monitorListener;
      if (monitor !== undefined) {
        try {
          monitor(value);
        } catch (err) {
          rethrowLater(err);
        }
        return;
      }
      this.destroy(
        new ConnectionClosedError(`a reply from ${this.#label} arrived with no command waiting`, true),
      );
      return;
    }
    if (head.kind === MANY) {
      const results = (head.extra as PendingExtra).results as unknown[];
      results[head.received++] = value;
      if (head.received === head.count) {
        this.#shift();
        head.succeed(results);
      }
      return;
    }
    // SINGLE, or a subscribe-family command refused with an error reply.
    this.#shift();
    if (value instanceof ReplyError) head.fail(value);
    else head.succeed(value);
  }

  #shift(): Pending | undefined {
    const done = this.#ring.shift() as Pending;
    this.#commands -= done.kind === MANY ? done.count : 1;
    if (done.kind === SUBSCRIBE) {
      this.#pubsub.settled();
    }
    return this.#ring.peek();
  }

  #onPush(push: unknown[]): void {
    const kind = frameKind(push);
    if (kind !== '' && isConfirmation(kind)) this.#confirm(kind, push);
    const listener = this.#onPushListener;
    if (listener !== undefined) {
      try {
        listener(push);
      } catch (err) {
        rethrowLater(err);
      }
    }
  }

  /** A subscribe-family confirmation: resolves its command, and tracks RESP2 subscriber mode. */
  #confirm(kind: string, push: unknown[]): void {
    this.#pubsub.counted(kind, push[2]);
    let head = this.#ring.peek();
    while (head !== undefined && head.kind === SUBSCRIBE) {
      if (confirms(head, kind, push[1])) {
        head.received++;
        head.succeed(push);
        if (head.count !== 0 && head.received === head.count) this.#shift();
        break;
      }
      // An open-ended (no-argument) unsubscribe is over once another kind of frame arrives.
      if (head.received === 0) break;
      head = this.#shift();
    }
    this.#pubsub.check();
  }

  #refusal(): Error {
    if (this.#monitoring && !this.#closed && this.#closing === undefined) {
      return new InvalidOptionError(`${this.#label} is monitoring: it sends no commands (close it to stop)`);
    }
    return this.#notOpen();
  }

  #notOpen(): ConnectionClosedError {
    return new ConnectionClosedError(`connection to ${this.#label} is closed`, false);
  }

  #full(): QueueFullError {
    return new QueueFullError(`${this.#maxInFlight} commands already in flight`, this.#maxInFlight);
  }
}

function subscribeExtra(kind: string, args: readonly CommandArg[]): PendingExtra {
  const extra = new PendingExtra();
  extra.subscribeKind = kind;
  extra.channels = args.slice(1);
  return extra;
}

/** Lets `hook` take over a command of a dying connection; `false` if it declines (or throws). */
function handOver(hook: UnsettledHook, pending: Pending, written: boolean, err: Error): boolean {
  let outcome: Promise<unknown> | undefined;
  try {
    outcome = hook(pending.command, written, err, pending.signal);
  } catch (thrown) {
    rethrowLater(thrown);
    return false;
  }
  if (outcome === undefined) return false;
  pending.follow(outcome);
  return true;
}

/** A user callback threw: surface it as an uncaught error without breaking the connection's state. */
function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}
