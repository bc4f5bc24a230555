import { brandErrorClass, FusedisError } from './fusedis-error.js';

/**
 * An error reply from the server (`-ERR …` or a RESP3 bulk error `!…`).
 *
 * `code` is the first word of the server's message (`ERR`, `WRONGTYPE`, `MOVED`, `NOSCRIPT`, …).
 * Inside arrays, pipelines and transactions it is a value in place; for a single command the
 * client rejects with it.
 */
export class ReplyError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.ReplyError');

  constructor(message: string) {
    super(message, replyErrorCode(message));
  }
}
brandErrorClass(ReplyError, 'ReplyError');

/** The server's error code: the message up to its first space. */
export function replyErrorCode(message: string): string {
  const space = message.indexOf(' ');
  return space === -1 ? message : message.slice(0, space);
}
