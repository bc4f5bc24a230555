import { QueueFullError, TimeoutError, whenAborted } from '@fusedis/pool';
import type { Command, CommandArg } from '@fusedis/resp';

/** One call waiting for a connection: a single command or a batch (`cmds`). */
export interface OfflineEntry {
  readonly cmd: Command | undefined;
  readonly cmds: readonly Command[] | undefined;
  readonly signal: AbortSignal | undefined;
  readonly bytes: number;
  /** `performance.now()` deadline, or `Infinity` when the call has no timeout. */
  readonly deadline: number;
  readonly timeout: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
  /** Stops listening to `signal`. */
  stopWaiting: (() => void) | undefined;
  done: boolean;
}

/** Rough wire size of a command: arguments plus framing. Only caps memory; need not be exact. */
export function commandBytes(cmd: Command): number {
  let bytes = 16;
  for (const arg of cmd.args) bytes += argBytes(arg) + 16;
  return bytes;
}

function argBytes(arg: CommandArg): number {
  if (typeof arg === 'string') return arg.length * 3 > 1024 ? Buffer.byteLength(arg) : arg.length * 3;
  if (arg instanceof Uint8Array) return arg.byteLength;
  // A number, or a value the encoder will refuse (`undefined` from JavaScript): the encoder, not
  // this estimate, says what is wrong with it (an InvalidArgumentError for that command alone).
  return 24;
}

/**
 * Commands issued while the client has no ready connection, in order, with a cap on their
 * count and bytes (`QueueFullError` past either). Each keeps its command timeout: one timer for
 * the whole queue watches the earliest deadline, so a command never waits forever for a server
 * that does not come back. An aborted or timed-out entry is marked `done` and skipped on flush.
 */
export class OfflineQueue {
  readonly #maxCommands: number;
  readonly #maxBytes: number;
  #entries: OfflineEntry[] = [];
  #count = 0;
  #bytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(maxCommands: number, maxBytes: number) {
    this.#maxCommands = maxCommands;
    this.#maxBytes = maxBytes;
  }

  /** Commands waiting (a batch counts each of its commands). */
  get size(): number {
    return this.#count;
  }

  /** Bytes of arguments waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Queues one command, or a batch; the promise settles when the entry is flushed or fails. */
  push(
    cmd: Command | undefined,
    cmds: readonly Command[] | undefined,
    timeout: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const n = cmds === undefined ? 1 : cmds.length;
    let bytes = 0;
    if (cmd !== undefined) bytes = commandBytes(cmd);
    else if (cmds !== undefined) for (const c of cmds) bytes += commandBytes(c);
    if (this.#count + n > this.#maxCommands) {
      return Promise.reject(
        new QueueFullError(
          `offline queue full: ${this.#count} commands wait for a connection (maxOfflineCommands ${this.#maxCommands})`,
          this.#maxCommands,
        ),
      );
    }
    if (this.#bytes + bytes > this.#maxBytes) {
      return Promise.reject(
        new QueueFullError(
          `offline queue full: ${this.#bytes} bytes wait for a connection (maxOfflineBytes ${this.#maxBytes})`,
          this.#maxBytes,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const entry: OfflineEntry = {
        cmd,
        cmds,
        signal,
        bytes,
        deadline: timeout > 0 ? performance.now() + timeout : Number.POSITIVE_INFINITY,
        timeout,
        resolve,
        reject,
        stopWaiting: undefined,
        done: false,
      };
      if (signal !== undefined) {
        entry.stopWaiting = whenAborted(signal, () => this.#fail(entry, signal.reason as Error));
      }
      this.#entries.push(entry);
      this.#count += n;
      this.#bytes += bytes;
      if (entry.deadline < this.#timerAt) this.#arm(entry.deadline);
    });
  }

  /** Takes every live entry out, in order; the caller settles them (they are marked done). */
  takeAll(): OfflineEntry[] {
    const live: OfflineEntry[] = [];
    for (const entry of this.#entries) {
      if (entry.done) continue;
      this.#settle(entry);
      live.push(entry);
    }
    this.#reset();
    return live;
  }

  /** Rejects every waiting entry with `err` (the client ended or gave up reconnecting). */
  rejectAll(err: Error): void {
    for (const entry of this.takeAll()) entry.reject(err);
  }

  #reset(): void {
    this.#entries = [];
    this.#count = 0;
    this.#bytes = 0;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  /** Marks an entry settled and gives back its share of the caps. */
  #settle(entry: OfflineEntry): void {
    entry.done = true;
    this.#count -= entry.cmds === undefined ? 1 : entry.cmds.length;
    this.#bytes -= entry.bytes;
    entry.stopWaiting?.();
  }

  #fail(entry: OfflineEntry, err: Error): void {
    if (entry.done) return;
    this.#settle(entry);
    entry.reject(err);
    // Drop settled entries from the front so an aborted backlog does not hold memory.
    let head = 0;
    while (head < this.#entries.length && this.#entries[head]?.done === true) head++;
    if (head > 0) this.#entries.splice(0, head);
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - performance.now()));
  }

  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries.slice()) {
      if (entry.done) continue;
      if (entry.deadline <= now) this.#fail(entry, new TimeoutError('command', entry.timeout, false));
      else if (entry.deadline < next) next = entry.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }
}
