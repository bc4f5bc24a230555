import { brandErrorClass, FusedisError } from './fusedis-error.js';

/**
 * Why a byte stream was refused. Each is a violation of the RESP grammar or of a hardening limit.
 */
export type RespProtocolErrorReason =
  | 'invalid-type' // a byte that starts no RESP type
  | 'invalid-length' // an aggregate or bulk length that is not -1 or a non-negative decimal
  | 'invalid-integer' // an integer reply that is not a signed decimal
  | 'invalid-double' // a double that is not a decimal, inf, -inf or nan
  | 'invalid-boolean' // a boolean other than #t or #f
  | 'invalid-big-number' // a big number that is not a signed decimal
  | 'invalid-verbatim' // a verbatim string without its `xxx:` format prefix
  | 'expected-crlf' // a line or bulk body not followed by \r\n
  | 'unsupported-streamed' // RESP3 streamed strings and aggregates (`$?`, `*?`): no server sends them
  | 'too-many-elements' // limit: elements in one aggregate
  | 'too-deep' // limit: nesting depth
  | 'big-number-too-long' // limit: digits in a big number
  | 'reply-too-large' // limit: bytes buffered for one unfinished reply, or one bulk length
  | 'decoder-poisoned'; // input fed after an earlier violation, before reset()

/**
 * The byte stream broke the RESP grammar or a hardening limit. The stream cannot be trusted past
 * this point: the owner closes the connection and rejects every pending command with this error.
 */
export class RespProtocolError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.RespProtocolError');

  /** What was wrong, as a stable string. */
  readonly reason: RespProtocolErrorReason;
  /** Offset of the offending byte within the reply being decoded, when known. */
  readonly offset: number;

  constructor(reason: RespProtocolErrorReason, detail: string, offset = -1, options?: ErrorOptions) {
    super(`RESP protocol error (${reason}): ${detail}`, 'ERR_RESP_PROTOCOL', options);
    this.reason = reason;
    this.offset = offset;
  }
}
brandErrorClass(RespProtocolError, 'RespProtocolError');
