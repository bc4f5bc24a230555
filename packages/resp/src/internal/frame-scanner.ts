import type { RespLimits } from '../limits.js';
import { RespProtocolError } from '../resp-protocol-error.js';
import {
  ARRAY,
  ATTRIBUTE,
  BIG_NUMBER,
  BOOLEAN,
  BULK_ERROR,
  BULK_STRING,
  CR,
  DOUBLE,
  describeByte,
  INTEGER,
  isDouble,
  isSignedDecimal,
  isTypeByte,
  LENGTH_STREAMED,
  LF,
  LINE_BAD,
  LINE_INCOMPLETE,
  lineEnd,
  MAP,
  MINUS,
  NULL,
  PUSH,
  parseLength,
  SET,
  SIMPLE_ERROR,
  SIMPLE_STRING,
  simpleLength,
  simpleLengthCr,
  VERBATIM,
} from './wire.js';

/**
 * Finds where one reply ends without building any value: it reads headers, skips bulk bodies,
 * and keeps a stack of how many elements each open aggregate still expects. It is iterative (no
 * recursion, so depth costs no stack) and resumable: fed a longer buffer holding the same frame,
 * it continues from the last whole element instead of starting over, so a reply that arrives in
 * many chunks is scanned once in total.
 *
 *   begin() ──► scan(buf, start, end) ──► -1 (incomplete: call scan again with more bytes)
 *                                    └──► frame length (done) / throws RespProtocolError
 *
 * Every limit and grammar rule the decoders enforce is enforced here too, in the same order,
 * so a frame the scanner accepts never fails to decode.
 */
export class FrameScanner {
  readonly #limits: RespLimits;
  /** Offset of the next element header, relative to the frame start. */
  #at = 0;
  /** Elements still expected at the innermost open level (the top level expects one). */
  #expected = 1;
  /** `#expected` of each enclosing level; its length is the nesting depth. */
  readonly #outer: number[] = [];
  /** After an incomplete scan: bytes the frame needs at least (known inside a bulk body), else 0. */
  #needed = 0;

  constructor(limits: RespLimits) {
    this.#limits = limits;
  }

  /**
   * Starts a new frame. To scan just one element of a frame whose earlier bytes are gone, say how
   * deep it sits (its aggregates count from there against `maxDepth`) and at which offset of the
   * frame it starts; then pass `scan` that element's position minus `offset` as `start`, so
   * offsets in errors, the size limit and the length returned all count from the frame's start.
   */
  begin(depth = 0, offset = 0): void {
    this.#needed = 0;
    this.#at = offset;
    this.#expected = 1;
    const outer = this.#outer;
    // Refilled in place: `length = 0` drops the backing store and the next push allocates one,
    // which a streamed list did for every chunk.
    if (outer.length > depth) outer.length = depth;
    for (let d = 0; d < depth; d++) outer[d] = 0;
  }

  /**
   * Scans the frame starting at `start`, with bytes available up to `end`.
   * Returns the frame's byte length, or -1 when more bytes are needed.
   */
  scan(buf: Uint8Array, start: number, end: number): number {
    this.#needed = 0;
    const limits = this.#limits;
    const outer = this.#outer;
    let expected = this.#expected;
    let pos = start + this.#at;
    for (;;) {
      while (expected === 0) {
        if (outer.length === 0) {
          this.#at = pos - start;
          this.#expected = 0;
          return pos - start;
        }
        expected = outer.pop() as number;
      }
      // Save progress at each element boundary: a cut-short element is re-read whole next time.
      // Saved per element, not only when stopping: the decoder resumes after catching a
      // 'reply-too-large' thrown mid-scan (a bulk length over the limit), and `#outer` has moved on.
      this.#at = pos - start;
      this.#expected = expected;
      if (pos >= end) return this.#incomplete(start, end);
      const type = buf[pos] as number;
      if (type === BULK_STRING || type === ARRAY || type === INTEGER) {
        // The common headers, `$n`, `*n`, `:[-]n` with 1 to 15 digits; anything else (and a line
        // cut short) takes the general path below, which decides the same way.
        const n = simpleLength(buf, type === INTEGER && buf[pos + 1] === MINUS ? pos + 1 : pos, end);
        if (n >= 0) {
          const next = simpleLengthCr + 2;
          if (type === INTEGER) {
            pos = next;
            expected--;
            continue;
          }
          if (type === BULK_STRING) {
            if (n > limits.maxReplyBytes) throw bulkTooLarge(n, limits, pos - start);
            const bodyEnd = next + n;
            if (bodyEnd + 2 > end) {
              this.#needed = bodyEnd + 2 - start;
              return this.#incomplete(start, end);
            }
            if (buf[bodyEnd] !== CR || buf[bodyEnd + 1] !== LF) {
              throw new RespProtocolError('expected-crlf', 'bulk body not followed by CRLF', bodyEnd - start);
            }
            pos = bodyEnd + 2;
            expected--;
            continue;
          }
          if (n > limits.maxElements) throw tooManyElements(n, limits, pos - start);
          if (outer.length + 1 > limits.maxDepth) throw tooDeep(limits, pos - start);
          outer.push(expected - 1);
          expected = n;
          pos = next;
          continue;
        }
      }
      if (!isTypeByte(type)) {
        throw new RespProtocolError('invalid-type', `unknown type byte ${describeByte(type)}`, pos - start);
      }
      const cr = lineEnd(buf, pos + 1, end);
      if (cr === LINE_INCOMPLETE) return this.#incomplete(start, end);
      if (cr === LINE_BAD) throw crlfError(buf, pos + 1, end, start);
      const next = cr + 2;
      switch (type) {
        case SIMPLE_STRING:
        case SIMPLE_ERROR:
          break;
        case INTEGER:
          if (!isSignedDecimal(buf, pos + 1, cr))
            throw contentError('invalid-integer', 'integer', buf, pos, cr, start);
          break;
        case NULL:
          if (cr !== pos + 1)
            throw new RespProtocolError(
              'expected-crlf',
              'null (_) must be followed by CRLF',
              pos + 1 - start,
            );
          break;
        case BOOLEAN:
          if (cr !== pos + 2 || (buf[pos + 1] !== 0x74 && buf[pos + 1] !== 0x66)) {
            throw contentError('invalid-boolean', 'boolean', buf, pos, cr, start);
          }
          break;
        case DOUBLE:
          if (!isDouble(buf, pos + 1, cr))
            throw contentError('invalid-double', 'double', buf, pos, cr, start);
          break;
        case BIG_NUMBER:
          checkBigNumber(buf, pos, cr, limits, start);
          break;
        case BULK_STRING:
        case BULK_ERROR:
        case VERBATIM: {
          const length = checkedLength(buf, pos, cr, type === BULK_STRING, start);
          if (length > limits.maxReplyBytes) throw bulkTooLarge(length, limits, pos - start);
          if (length >= 0) {
            const bodyEnd = next + length;
            if (bodyEnd + 2 > end) {
              this.#needed = bodyEnd + 2 - start;
              return this.#incomplete(start, end);
            }
            if (buf[bodyEnd] !== CR || buf[bodyEnd + 1] !== LF) {
              throw new RespProtocolError('expected-crlf', 'bulk body not followed by CRLF', bodyEnd - start);
            }
            if (type === VERBATIM && !hasVerbatimPrefix(buf, next, length)) {
              throw new RespProtocolError(
                'invalid-verbatim',
                'verbatim string without its xxx: prefix',
                next - start,
              );
            }
            pos = bodyEnd + 2;
            expected--;
            continue;
          }
          break;
        }
        case ARRAY:
        case SET:
        case PUSH:
        case MAP:
        case ATTRIBUTE: {
          const count = checkedLength(buf, pos, cr, type === ARRAY, start);
          if (count > limits.maxElements) throw tooManyElements(count, limits, pos - start);
          if (count >= 0) {
            if (outer.length + 1 > limits.maxDepth) throw tooDeep(limits, pos - start);
            // An attribute annotates the value after it, which its level still expects.
            if (type !== ATTRIBUTE) expected--;
            outer.push(expected);
            expected = type === MAP || type === ATTRIBUTE ? count * 2 : count;
            pos = next;
            continue;
          }
          break;
        }
      }
      pos = next;
      expected--;
    }
  }

  /**
   * After an incomplete scan, how many bytes the frame needs at least, when known (a bulk body
   * announced its length), else 0: lets a gathering buffer grow once instead of doubling.
   */
  get needed(): number {
    return this.#needed;
  }

  /**
   * True when a scan of a frame now holding `buffered` bytes would surely find it still unfinished,
   * and within its limit: the last scan stopped inside a bulk body that these bytes do not complete.
   * Lets a caller skip scanning chunk after chunk of a large body.
   */
  stillInBody(buffered: number): boolean {
    return buffered < this.#needed && buffered <= this.#limits.maxReplyBytes;
  }

  /** -1, unless the unfinished frame already holds more bytes than one reply may buffer. */
  #incomplete(start: number, end: number): number {
    checkUnfinished(end - start, this.#limits);
    return -1;
  }
}

/** Throws `reply-too-large` when an unfinished reply already holds more than `maxReplyBytes`. */
export function checkUnfinished(buffered: number, limits: RespLimits): void {
  if (buffered > limits.maxReplyBytes) {
    throw new RespProtocolError(
      'reply-too-large',
      `unfinished reply of ${buffered} bytes exceeds maxReplyBytes ${limits.maxReplyBytes}`,
      buffered,
    );
  }
}

/** Parses an aggregate or bulk length, or throws the error the decoders throw for it. */
export function checkedLength(
  buf: Uint8Array,
  pos: number,
  cr: number,
  nullable: boolean,
  start: number,
): number {
  const length = parseLength(buf, pos + 1, cr);
  if (length >= 0 || (length === -1 && nullable)) return length;
  if (length === LENGTH_STREAMED) {
    return throwError(
      new RespProtocolError(
        'unsupported-streamed',
        'streamed strings and aggregates (?) are not supported',
        pos - start,
      ),
    );
  }
  const text = Buffer.from(buf.subarray(pos + 1, Math.min(cr, pos + 33))).toString('latin1');
  return throwError(
    new RespProtocolError(
      'invalid-length',
      `bad length ${JSON.stringify(text)} after ${describeByte(buf[pos])}`,
      pos - start,
    ),
  );
  // (LENGTH_BAD and -1 on a non-nullable type land here)
}

export function checkBigNumber(
  buf: Uint8Array,
  pos: number,
  cr: number,
  limits: RespLimits,
  start: number,
): void {
  if (cr - pos - 1 > limits.maxBigNumberLength) {
    throw new RespProtocolError(
      'big-number-too-long',
      `big number of ${cr - pos - 1} characters exceeds maxBigNumberLength ${limits.maxBigNumberLength}`,
      pos - start,
    );
  }
  if (!isSignedDecimal(buf, pos + 1, cr))
    throw contentError('invalid-big-number', 'big number', buf, pos, cr, start);
}

export function hasVerbatimPrefix(buf: Uint8Array, body: number, length: number): boolean {
  return length >= 4 && buf[body + 3] === 0x3a; // :
}

export function bulkTooLarge(length: number, limits: RespLimits, offset: number): RespProtocolError {
  return new RespProtocolError(
    'reply-too-large',
    `bulk length ${length} exceeds maxReplyBytes ${limits.maxReplyBytes}`,
    offset,
  );
}

export function tooManyElements(count: number, limits: RespLimits, offset: number): RespProtocolError {
  return new RespProtocolError(
    'too-many-elements',
    `aggregate of ${count} elements exceeds maxElements ${limits.maxElements}`,
    offset,
  );
}

export function tooDeep(limits: RespLimits, offset: number): RespProtocolError {
  return new RespProtocolError('too-deep', `nesting deeper than maxDepth ${limits.maxDepth}`, offset);
}

export function contentError(
  reason: 'invalid-integer' | 'invalid-double' | 'invalid-boolean' | 'invalid-big-number',
  what: string,
  buf: Uint8Array,
  pos: number,
  cr: number,
  start: number,
): RespProtocolError {
  const text = Buffer.from(buf.subarray(pos + 1, Math.min(cr, pos + 33))).toString('latin1');
  return new RespProtocolError(reason, `bad ${what} ${JSON.stringify(text)}`, pos - start);
}

export function crlfError(buf: Uint8Array, from: number, end: number, start: number): RespProtocolError {
  let i = from;
  while (i < end && buf[i] !== CR && buf[i] !== LF) i++;
  return new RespProtocolError('expected-crlf', 'line not terminated by CRLF', i - start);
}

function throwError(err: Error): never {
  throw err;
}
