import { brandErrorClass, FusedisError, type ReplyError } from '@fusedis/resp';

/** A command the server refused while a transaction was being queued, with its place in it. */
export interface QueuedCommandError {
  /** The command's index among the transaction's commands (0 = the first after MULTI). */
  readonly index: number;
  /** The server's error for it (e.g. `ERR wrong number of arguments`). */
  readonly error: ReplyError;
}

/**
 * `EXEC` answered `EXECABORT`: the server refused at least one queued command (unknown command,
 * wrong arity…), so it ran none of them. `errors` lists the refusals in order; `cause` is the
 * server's `EXECABORT` reply itself.
 */
export class ExecAbortError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.ExecAbortError');

  /** The queued commands the server refused, in order. */
  readonly errors: readonly QueuedCommandError[];

  constructor(execError: ReplyError, errors: readonly QueuedCommandError[]) {
    const first = errors[0];
    const detail = first === undefined ? '' : ` (command #${first.index}: ${first.error.message})`;
    super(`transaction aborted, nothing ran${detail}`, 'EXECABORT', { cause: execError });
    this.errors = errors;
  }
}
brandErrorClass(ExecAbortError, 'ExecAbortError');

/**
 * `EXEC` answered null: a key watched with `WATCH` changed before `EXEC`, so the transaction did
 * not run. Read again and retry (`client.watch(…, { retries })` does so for you).
 */
export class WatchError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.WatchError');

  constructor(message = 'a watched key changed: the transaction did not run', options?: ErrorOptions) {
    super(message, 'ERR_WATCH', options);
  }
}
brandErrorClass(WatchError, 'WatchError');
