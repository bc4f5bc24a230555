import { brandErrorClass, FusedisError } from '@fusedis/resp';

/**
 * The connection closed (or never opened) before the command got its reply.
 *
 * `written` says whether the command's bytes had been handed to the socket: `true` means it may
 * have executed on the server, so only an idempotent command is safe to send again; `false` means
 * it certainly did not run and can be replayed. The underlying socket error, if any, is `cause`.
 */
export class ConnectionClosedError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.ConnectionClosedError');

  /** The command's bytes were handed to the socket: it may have executed. */
  readonly written: boolean;

  constructor(message: string, written: boolean, options?: ErrorOptions) {
    super(message, 'ERR_CONNECTION_CLOSED', options);
    this.written = written;
  }
}
brandErrorClass(ConnectionClosedError, 'ConnectionClosedError');

/** Which wait ran out: opening a connection, a command's reply, or a free pooled resource. */
export type TimeoutPhase = 'connect' | 'command' | 'acquire';

/**
 * A deadline passed. `phase` says which one: `connect` (transport + handshake), `command` (a
 * reply; `written: true` means the command may still execute, its late reply is discarded) or
 * `acquire` (waiting for a pooled resource).
 */
export class TimeoutError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.TimeoutError');

  readonly phase: TimeoutPhase;
  /** The command's bytes were handed to the socket before the deadline: it may have executed. */
  readonly written: boolean;
  /** The timeout that ran out, in milliseconds. */
  readonly timeout: number;

  constructor(phase: TimeoutPhase, timeout: number, written: boolean, options?: ErrorOptions) {
    super(`${phase} timed out after ${timeout} ms`, 'ERR_TIMEOUT', options);
    this.phase = phase;
    this.timeout = timeout;
    this.written = written;
  }
}
brandErrorClass(TimeoutError, 'TimeoutError');

/** The pool was drained: no resource will be handed out any more. */
export class PoolClosedError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.PoolClosedError');

  constructor(message = 'the pool is closed', options?: ErrorOptions) {
    super(message, 'ERR_POOL_CLOSED', options);
  }
}
brandErrorClass(PoolClosedError, 'PoolClosedError');

/** An option given to a constructor or factory is invalid; thrown before anything is opened. */
export class InvalidOptionError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.InvalidOptionError');

  constructor(message: string, options?: ErrorOptions) {
    super(message, 'ERR_INVALID_OPTION', options);
  }
}
brandErrorClass(InvalidOptionError, 'InvalidOptionError');

/** A queue is at its cap (commands in flight on a connection, or a client's offline queue). */
export class QueueFullError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.QueueFullError');

  /** The cap that was reached (a count of commands, or bytes, as the message says), when known. */
  readonly limit: number | undefined;

  constructor(message: string, limit?: number, options?: ErrorOptions) {
    super(message, 'ERR_QUEUE_FULL', options);
    this.limit = limit;
  }
}
brandErrorClass(QueueFullError, 'QueueFullError');
