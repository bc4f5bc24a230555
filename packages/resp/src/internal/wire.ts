/** RESP type bytes, by the character that starts each type on the wire. */
export const SIMPLE_STRING = 0x2b; // +
export const SIMPLE_ERROR = 0x2d; // -
export const INTEGER = 0x3a; // :
export const BULK_STRING = 0x24; // $
export const ARRAY = 0x2a; // *
export const NULL = 0x5f; // _
export const BOOLEAN = 0x23; // #
export const DOUBLE = 0x2c; // ,
export const BIG_NUMBER = 0x28; // (
export const BULK_ERROR = 0x21; // !
export const VERBATIM = 0x3d; // =
export const MAP = 0x25; // %
export const SET = 0x7e; // ~
export const ATTRIBUTE = 0x7c; // |
export const PUSH = 0x3e; // >

export const CR = 0x0d; // \r
export const LF = 0x0a; // \n
export const MINUS = 0x2d; // -
export const PLUS = 0x2b; // +
export const ZERO = 0x30; // 0
export const QUESTION = 0x3f; // ? (RESP3 streamed length)

/** The fewest bytes any RESP value takes on the wire (`_\r\n`): bounds how many elements a buffer can hold. */
export const MIN_VALUE_BYTES = 3;

/** Lengths above this are refused whatever the limits say: far past any limit, and still exact in a double. */
const MAX_LENGTH_DIGITS = 15;

/** Thrown (not as an Error: no stack trace to build) when the bytes end before the value does. */
export const INCOMPLETE: object = Object.freeze({ incomplete: true });

/** Result of `lineEnd` when the line is cut short. */
export const LINE_INCOMPLETE = -1;
/** Result of `lineEnd` when an LF comes first or a CR is followed by something else. */
export const LINE_BAD = -2;

/**
 * Index of the CR that ends the line starting at `from`. The line ends at the first CR or LF;
 * it must be CR LF.
 */
export function lineEnd(buf: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = buf[i] as number;
    if (c === CR) {
      if (i + 1 >= end) return LINE_INCOMPLETE;
      return buf[i + 1] === LF ? i : LINE_BAD;
    }
    if (c === LF) return LINE_BAD;
    i++;
  }
  return LINE_INCOMPLETE;
}

/** Result of `parseLength` for a malformed length. */
export const LENGTH_BAD = -2;
/** Result of `parseLength` for RESP3's streamed length `?`. */
export const LENGTH_STREAMED = -3;

/**
 * Parses the decimal length in `buf[from, to)`: a non-negative number, -1 (null; the caller
 * decides whether that type may be null), `LENGTH_STREAMED`, or `LENGTH_BAD`.
 */
export function parseLength(buf: Uint8Array, from: number, to: number): number {
  const count = to - from;
  if (count === 0 || count > MAX_LENGTH_DIGITS) return LENGTH_BAD;
  const first = buf[from] as number;
  if (first === MINUS) return count === 2 && buf[from + 1] === 0x31 ? -1 : LENGTH_BAD;
  if (first === QUESTION) return count === 1 ? LENGTH_STREAMED : LENGTH_BAD;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = (buf[i] as number) - ZERO;
    if (digit < 0 || digit > 9) return LENGTH_BAD;
    value = value * 10 + digit;
  }
  return value;
}

/** Where the line read by the last successful `simpleLength` ends (its CR). */
export let simpleLengthCr = 0;

/**
 * The common header `<type><1 to 15 digits>\r\n`, read in one loop: its number, with
 * `simpleLengthCr` at its CR. -1 for anything else (a sign, no digit, too many, a line cut short
 * by `end`): the general rules then decide, and decide the same way. Shared by the scanner and
 * the decoder so both read headers alike.
 */
export function simpleLength(buf: Uint8Array, start: number, end: number): number {
  let i = start + 1;
  let n = 0;
  // Bounded by `end` before each read: past it lie bytes of no reply (a gathering buffer's spare
  // capacity), or none at all (a chunk's end). Reading a byte only once it is known to be in
  // range, each digit checked with one subtraction, gathered a 9.2 MB graph reply in 64 KiB chunks
  // 1.35× faster (13.9 → 10.3 ms) and scanned a1 in 1,460-byte chunks 1.13× faster; a scan of
  // one whole buffer is unchanged within 4 %.
  while (i < end) {
    const digit = (buf[i] as number) - ZERO;
    if (digit < 0 || digit > 9) break;
    n = n * 10 + digit;
    i++;
  }
  if (i + 1 >= end || buf[i] !== CR || buf[i + 1] !== LF || i === start + 1 || i - start > 16) return -1;
  simpleLengthCr = i;
  return n;
}

/** True when `buf[from, to)` is an optionally signed run of one or more decimal digits. */
export function isSignedDecimal(buf: Uint8Array, from: number, to: number): boolean {
  let i = from;
  const first = buf[i];
  if (first === MINUS || first === PLUS) i++;
  if (i === to) return false;
  for (; i < to; i++) {
    const digit = (buf[i] as number) - ZERO;
    if (digit < 0 || digit > 9) return false;
  }
  return true;
}

/**
 * True when `buf[from, to)` is a RESP3 double: `[+|-]digits[.digits][(e|E)[+|-]digits]`
 * (a leading or trailing point allowed, as strtod allows), or `inf`, `-inf`, `+inf`, `nan`.
 */
export function isDouble(buf: Uint8Array, from: number, to: number): boolean {
  let i = from;
  const first = buf[i];
  if (first === MINUS || first === PLUS) i++;
  if (to - i === 3) {
    const a = (buf[i] as number) | 0x20;
    const b = (buf[i + 1] as number) | 0x20;
    const c = (buf[i + 2] as number) | 0x20;
    if (a === 0x69 && b === 0x6e && c === 0x66) return true; // inf
    if (a === 0x6e && b === 0x61 && c === 0x6e) return true; // nan
  }
  let digits = 0;
  while (i < to && isDigit(buf[i] as number)) {
    i++;
    digits++;
  }
  if (i < to && buf[i] === 0x2e) {
    // .
    i++;
    while (i < to && isDigit(buf[i] as number)) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < to && ((buf[i] as number) | 0x20) === 0x65) {
    // e or E
    i++;
    if (i < to && (buf[i] === MINUS || buf[i] === PLUS)) i++;
    if (i === to) return false;
    while (i < to && isDigit(buf[i] as number)) i++;
  }
  return i === to;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= 0x39;
}

/** True for every byte that starts a RESP2 or RESP3 type. */
export function isTypeByte(c: number): boolean {
  switch (c) {
    case SIMPLE_STRING:
    case SIMPLE_ERROR:
    case INTEGER:
    case BULK_STRING:
    case ARRAY:
    case NULL:
    case BOOLEAN:
    case DOUBLE:
    case BIG_NUMBER:
    case BULK_ERROR:
    case VERBATIM:
    case MAP:
    case SET:
    case ATTRIBUTE:
    case PUSH:
      return true;
    default:
      return false;
  }
}

/** Printable form of a byte for error messages. */
export function describeByte(c: number | undefined): string {
  if (c === undefined) return 'end of input';
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}' (0x${c.toString(16).padStart(2, '0')})`;
  return `0x${c.toString(16).padStart(2, '0')}`;
}
