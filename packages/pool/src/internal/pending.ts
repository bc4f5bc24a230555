import type { Command, ReplyMode } from '@fusedis/resp';
import type { SignalGroups } from './signal-groups.js';

/** What kind of answer a pending command waits for. */
export const SINGLE = 0; // one reply, rejects on a ReplyError
export const MANY = 1; // `count` replies in a row (sendMany), ReplyErrors kept in place
export const SUBSCRIBE = 2; // a subscribe-family command: answered by its first confirmation push

// `new Promise(capture)` hands its resolvers to these module slots: no closure per command.
let capturedResolve: (value: unknown) => void = noop;
let capturedReject: (reason: unknown) => void = noop;
function capture(resolve: (value: unknown) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}
function noop(): void {}

/** What only some commands need (sendMany batches, subscribes, a signal): kept off the common shape. */
export class PendingExtra {
  /** MANY: per-reply modes, when they differ from `mode`. */
  modes: ReplyMode[] | undefined = undefined;
  /** MANY: the replies so far, in place. */
  results: unknown[] | undefined = undefined;
  /** SUBSCRIBE: the confirmation kind (`subscribe`, `punsubscribe`…) and the channels it named. */
  subscribeKind = '';
  channels: readonly unknown[] | undefined = undefined;
  /** The signal watched, and the connection's listener for it. */
  signal: AbortSignal | undefined = undefined;
  groups: SignalGroups | undefined = undefined;
}

/**
 * One command (or one `sendMany` batch) waiting for its reply. One small shape for every kind, so
 * the hot path stays monomorphic and an in-flight command costs few bytes; what only batches,
 * subscribes and signalled commands need lives in `extra`. A command with a signal joins its
 * connection's listener for that signal (`SignalGroups`): no closure, no listener per command.
 *
 *   queued ──flush──► written ──reply──► settled
 *      │                 │ timeout / abort: settled, but keeps its FIFO slot; the late reply is dropped
 *      └─ abort: settled and skipped by the flush (never sent)
 */
export class Pending {
  /**
   * Keeps the hidden class alive (`@fusedis/resp` README, "Hidden classes kept alive"), its
   * fields written the way in-flight commands write them (`deadline` a fraction, the flags set):
   * a full GC with no command in flight (V8 runs them when a process goes idle) made the next
   * 100,000 concurrent GETs 1.3–1.9× slower.
   */
  static readonly kept: Pending = writtenAsInFlight(new Pending(SINGLE, 'utf8', 1, 1, undefined, []));

  readonly promise: Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  /** SINGLE, MANY or SUBSCRIBE. */
  readonly kind: number;
  /** Mode of the (first) reply: a string mode, or `'frame'` for its RESP bytes. */
  readonly mode: ReplyMode;
  /** Replies expected (MANY), or channels named (SUBSCRIBE). */
  readonly count: number;
  /** Replies (MANY) or confirmations (SUBSCRIBE) received so far. */
  received = 0;
  /** Milliseconds allowed once written; 0 = none. */
  readonly timeout: number;
  /** `performance.now()` past which it times out; 0 = none or not written yet. */
  deadline = 0;
  written = false;
  /** Its promise has settled (replied, timed out, aborted, failed): any later reply is dropped. */
  done = false;
  extra: PendingExtra | undefined;
  /** What was sent (a batch for MANY): handed to `onUnsettled` if the connection dies first. */
  readonly command: Command | readonly Command[];

  constructor(
    kind: number,
    mode: ReplyMode,
    count: number,
    timeout: number,
    extra: PendingExtra | undefined,
    command: Command | readonly Command[],
  ) {
    this.promise = new Promise(capture);
    this.resolve = capturedResolve;
    this.reject = capturedReject;
    this.kind = kind;
    this.mode = mode;
    this.count = count;
    this.timeout = timeout;
    this.extra = extra;
    this.command = command;
  }

  /** SUBSCRIBE: the confirmation kind it waits for; '' otherwise. */
  get subscribeKind(): string {
    return this.extra === undefined ? '' : this.extra.subscribeKind;
  }

  /** Listens to `signal` for an abort, through the connection's listener for it. */
  watch(signal: AbortSignal, groups: SignalGroups): void {
    this.extra ??= new PendingExtra();
    this.extra.signal = signal;
    this.extra.groups = groups;
    groups.add(this, signal);
  }

  /** The signal watched, if any. */
  get signal(): AbortSignal | undefined {
    return this.extra === undefined ? undefined : this.extra.signal;
  }

  /** Mode of the next reply this command receives. */
  nextMode(): ReplyMode {
    const extra = this.extra;
    if (extra === undefined || extra.modes === undefined) return this.mode;
    return extra.modes[this.received] ?? this.mode;
  }

  succeed(value: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.extra !== undefined) this.#unwatch(this.extra);
    this.resolve(value);
  }

  fail(err: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.extra !== undefined) this.#unwatch(this.extra);
    this.reject(err);
  }

  /** Settles with whatever `outcome` settles with (a replay elsewhere), instead of failing. */
  follow(outcome: Promise<unknown>): void {
    if (this.done) return;
    this.done = true;
    if (this.extra !== undefined) this.#unwatch(this.extra);
    this.resolve(outcome);
  }

  #unwatch(extra: PendingExtra): void {
    if (extra.signal !== undefined) {
      extra.groups?.remove(this, extra.signal);
      extra.signal = undefined;
      extra.groups = undefined;
    }
  }
}

/**
 * The kept `Pending`, its fields written the way in-flight commands write them. (Made in the class
 * body: its name outside is not bound yet while static fields are set, once transpiled or bundled.)
 */
function writtenAsInFlight(pending: Pending): Pending {
  pending.received = 1;
  pending.deadline = 0.5;
  pending.written = true;
  pending.done = true;
  const extra = new PendingExtra();
  extra.modes = [];
  extra.results = [];
  extra.subscribeKind = 'subscribe';
  extra.channels = [];
  pending.extra = extra;
  return pending;
}
