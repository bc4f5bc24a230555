import type { DecodeOptions, ReplyMode, StringMode } from '../decoder-contract.js';
import type { RespLimits } from '../limits.js';
import { ReplyError } from '../reply-error.js';
import { RespProtocolError } from '../resp-protocol-error.js';
import {
  bulkTooLarge,
  checkBigNumber,
  checkedLength,
  contentError,
  crlfError,
  type FrameScanner,
  hasVerbatimPrefix,
  tooDeep,
  tooManyElements,
} from './frame-scanner.js';
import type { StreamedList } from './streamed-list.js';
import { asciiText, utf8Text } from './string-from-bytes.js';
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
  INCOMPLETE,
  INTEGER,
  isDouble,
  isTypeByte,
  LF,
  LINE_INCOMPLETE,
  lineEnd,
  MAP,
  MIN_VALUE_BYTES,
  MINUS,
  NULL,
  PLUS,
  PUSH,
  parseLength,
  SET,
  SIMPLE_ERROR,
  SIMPLE_STRING,
  simpleLength,
  simpleLengthCr,
  ZERO,
} from './wire.js';

/*
 * The fused decoder: wire bytes become JS values in one recursive pass, with no intermediate tree.
 *
 * It runs synchronously from start to end of one frame and calls no user code meanwhile, so its
 * cursor lives in module variables (cheaper than object fields on the hot path) and it is safe
 * however many decoders exist. Recursion depth is bounded by `limits.maxDepth`.
 *
 * It also serves when the frame may be cut short: running out of bytes throws `INCOMPLETE`
 * (before any array is sized past what the bytes could hold), and the caller falls back to the
 * resumable `FrameScanner` until the frame is whole.
 */

/** An empty buffer, for when no reply is being read. */
const NO_BYTES = Buffer.alloc(0);
let buf: Buffer = NO_BYTES;
let pos = 0;
let end = 0;
let frameStart = 0;
let depth = 0;
let mode: StringMode = 'utf8';
/** The mode of the top-level value (after any attribute), once known. */
let topMode: ReplyMode = 'utf8';
let frames: FrameScanner;
/** The scanner already holds this whole frame's progress (the caller scanned it): no rescan. */
let scanned = false;
/** Whether `frameBytes` started the scanner on this frame (it then holds the frame's progress). */
let scanStarted = false;
let options: DecodeOptions;
let limits: RespLimits;
let topType = 0;
let attributes: unknown[] | undefined;
let decideMode: ModeDecider | undefined;

/**
 * Picks the mode of a frame once its top-level type is known (after any attribute):
 * asked at most once per frame, and not at all when the caller already knows the mode.
 */
export type ModeDecider = (kind: 'reply' | 'push') => ReplyMode;

/** Slots a streamed list starts with (512 KiB of pointers), whatever its header says. */
const STREAMED_LIST_FLOOR = 1 << 16;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** The result of `decodeFrame`, reused: the caller reads it before the next call. */
export interface DecodedFrame {
  value: unknown;
  /** Offset just past the frame. */
  end: number;
  /** Whether the frame was a RESP3 push (`>`), after any attribute. */
  push: boolean;
  /** Attribute maps met in the frame, in order, when `options.attributes` is 'sink'. */
  attributes: unknown[] | undefined;
}

const result: DecodedFrame = { value: undefined, end: 0, push: false, attributes: undefined };

/**
 * Decodes the frame at `start` from `source[start, stop)`. `replyMode` is the top-level value's
 * mode when already known (else `decider` is asked, or the options' string mode applies; attributes
 * always use the latter); `scanner` finds a `'frame'` reply's end: with `resume`, it has already
 * scanned this whole frame, so the end is known at once.
 * Throws `INCOMPLETE` when the bytes end first, `RespProtocolError` on a violation.
 */
export function decodeFrame(
  source: Buffer,
  start: number,
  stop: number,
  decodeOptions: DecodeOptions,
  replyMode: ReplyMode | undefined,
  decider: ModeDecider | undefined,
  scanner: FrameScanner,
  resume: boolean,
): DecodedFrame {
  buf = source;
  pos = start;
  end = stop;
  frameStart = start;
  depth = 0;
  mode = decodeOptions.strings;
  topMode = replyMode ?? decodeOptions.strings;
  frames = scanner;
  scanned = resume;
  scanStarted = false;
  decideMode = decider;
  options = decodeOptions;
  limits = decodeOptions.limits;
  attributes = decodeOptions.attributes === 'sink' ? [] : undefined;
  const value = decodeValue();
  result.value = value;
  result.end = pos;
  result.push = topType === PUSH;
  result.attributes = attributes;
  return result;
}

/**
 * Lets go of what the last call read and made: its bytes and the value left in the shared result.
 * Called once a feed is done, so a large reply is not kept alive after its caller dropped it (nor
 * its bytes until the next reply), which also kept V8's heap and its GC limits inflated.
 */
export function releaseDecoded(): void {
  buf = NO_BYTES;
  result.value = undefined;
  result.attributes = undefined;
  attributes = undefined;
  decideMode = undefined;
}

/**
 * Decodes elements of a top-level list (`*`, `~`, `>`) that is still arriving: the whole ones
 * `source[from, stop)` holds that start before `before`, into `list.items` until it has `upTo`.
 * Returns the offset just past the last whole element; a cut-short one is left for the next call,
 * with more bytes. `list.consumed` says where `from` sits in the frame, so error offsets count
 * from the frame start as in `decodeFrame`; `list.largest` learns the largest element's size.
 * Attribute maps (in 'sink' mode) are kept only for whole elements.
 */
export function decodeListElements(
  source: Buffer,
  from: number,
  stop: number,
  decodeOptions: DecodeOptions,
  stringMode: StringMode,
  list: StreamedList,
  upTo: number,
  before: number,
): number {
  buf = source;
  pos = from;
  end = stop;
  frameStart = from - list.consumed;
  depth = 1; // the elements of the top-level list
  mode = stringMode;
  decideMode = undefined;
  options = decodeOptions;
  limits = decodeOptions.limits;
  const kept = list.attributes;
  attributes = kept;
  const items = list.items;
  let filled = list.filled;
  const room = Math.min(upTo, filled + Math.floor((stop - from) / MIN_VALUE_BYTES));
  if (room > items.length) {
    items.length = grownListLength(items.length, room, list.count, list.consumed + (stop - from));
  }
  let last = from;
  let largest = list.largest;
  let attributeCount = kept === undefined ? 0 : kept.length;
  try {
    while (filled < upTo && last < before) {
      items[filled] = decodeValue();
      filled++;
      if (pos - last > largest) largest = pos - last;
      last = pos;
      if (kept !== undefined) attributeCount = kept.length;
    }
  } catch (err) {
    if (err !== INCOMPLETE) throw err;
    if (kept !== undefined) kept.length = attributeCount;
  } finally {
    list.filled = filled;
    list.largest = largest;
    list.consumed += last - from;
  }
  return last;
}

/**
 * The length a streamed list's array grows to, to hold `room` elements. Straight to the list's
 * full count when that is at most twice the floor (1 MiB of slots: one allocation instead of two,
 * ~0.4 ms of a2's 12 ms chunked), or once the bytes that arrived are at least as many as its
 * slots — the array (8 bytes a slot) is then at most 8× what was sent, the bound the pending
 * buffer grows by too. Otherwise fourfold from the floor (a long list is copied a few times, not
 * over and over), so a header alone never sizes it past 2 × STREAMED_LIST_FLOOR. Each copy left
 * behind is garbage the young GC must see.
 */
function grownListLength(length: number, room: number, count: number, bytesArrived: number): number {
  if (count <= bytesArrived || count <= 2 * STREAMED_LIST_FLOOR) return count;
  return Math.min(Math.max(room, length * 4, STREAMED_LIST_FLOOR), count);
}

/** Whether `+OK\r\n` is at `start` (all five bytes there). */
function isOk(start: number): boolean {
  return (
    start + 5 <= end &&
    buf[start + 1] === 0x4f && // O
    buf[start + 2] === 0x4b && // K
    buf[start + 3] === CR &&
    buf[start + 4] === LF
  );
}

function decodeValue(): unknown {
  if (pos >= end) throw INCOMPLETE;
  const type = buf[pos] as number;
  if (depth === 0) {
    topType = type;
    if (type !== ATTRIBUTE) {
      if (decideMode !== undefined) {
        topMode = decideMode(type === PUSH ? 'push' : 'reply');
        decideMode = undefined;
      }
      if (topMode !== 'frame') mode = topMode;
      else if (type !== SIMPLE_ERROR && type !== BULK_ERROR && type !== PUSH) return frameBytes(pos);
    }
  }
  const start = pos;
  // The common shapes first, header read in one loop; anything unusual falls through to the general rules.
  if (type === BULK_STRING) return bulkString(start);
  if (type === ARRAY) {
    const count = simpleLength(buf, start, end);
    if (count >= 0) {
      pos = simpleLengthCr + 2;
      return listOf(type, start, count);
    }
  } else if (type === INTEGER) {
    const value = simpleInteger(start);
    if (value !== undefined) return value;
  } else if (type === SIMPLE_STRING && mode !== 'buffer' && isOk(start)) {
    // `+OK`, the reply of most writes: one shared string rather than a new one each.
    pos = start + 5;
    return 'OK';
  }
  if (!isTypeByte(type)) {
    throw new RespProtocolError('invalid-type', `unknown type byte ${describeByte(type)}`, pos - frameStart);
  }
  const cr = lineAt(start + 1);
  switch (type) {
    case ARRAY:
    case SET:
    case PUSH:
      return list(type, start, cr);
    case SIMPLE_STRING:
      pos = cr + 2;
      return mode === 'buffer' ? buf.subarray(start + 1, cr) : utf8Text(buf, start + 1, cr);
    case INTEGER:
      pos = cr + 2;
      return integer(start, cr);
    case MAP:
    case ATTRIBUTE:
      return map(type, start, cr);
    case SIMPLE_ERROR:
      pos = cr + 2;
      return new ReplyError(utf8Text(buf, start + 1, cr));
    case NULL:
      if (cr !== start + 1) {
        throw new RespProtocolError(
          'expected-crlf',
          'null (_) must be followed by CRLF',
          start + 1 - frameStart,
        );
      }
      pos = cr + 2;
      return null;
    case BOOLEAN: {
      const c = buf[start + 1];
      if (cr !== start + 2 || (c !== 0x74 && c !== 0x66)) {
        throw contentError('invalid-boolean', 'boolean', buf, start, cr, frameStart);
      }
      pos = cr + 2;
      return c === 0x74; // t
    }
    case DOUBLE:
      if (!isDouble(buf, start + 1, cr))
        throw contentError('invalid-double', 'double', buf, start, cr, frameStart);
      pos = cr + 2;
      return double(start + 1, cr);
    case BIG_NUMBER:
      checkBigNumber(buf, start, cr, limits, frameStart);
      pos = cr + 2;
      return BigInt(asciiText(buf, start + 1, cr));
    default:
      // BULK_ERROR and VERBATIM: bulk-framed.
      return bulkOther(type, start, cr);
  }
}

/**
 * A `'frame'` reply: the bytes of the value at `start`, checked by the scanner (which walks the
 * whole frame, attributes included, so errors and limits match every other path). A view of
 * `buf`, which the decoder never writes again.
 */
function frameBytes(start: number): Buffer {
  if (!scanned) {
    frames.begin();
    scanStarted = true;
  }
  const length = frames.scan(buf, frameStart, end);
  if (length === -1) throw INCOMPLETE;
  pos = frameStart + length;
  return buf.subarray(start, pos);
}

/**
 * After `decodeFrame` threw INCOMPLETE: whether the scanner it was given holds the frame's
 * progress (a `'frame'` reply cut short), so the caller resumes it instead of starting over.
 */
export function frameScanStarted(): boolean {
  return scanStarted;
}

/** The CR ending the line that starts at `from`; throws INCOMPLETE or 'expected-crlf'. */
function lineAt(from: number): number {
  const cr = lineEnd(buf, from, end);
  if (cr >= 0) return cr;
  if (cr === LINE_INCOMPLETE) throw INCOMPLETE;
  throw crlfError(buf, from, end, frameStart);
}

/** `:` with up to 15 digits (always a safe integer), or undefined for the general rules. */
function simpleInteger(start: number): number | bigint | undefined {
  const negative = buf[start + 1] === MINUS;
  const digits = simpleLength(buf, negative ? start + 1 : start, end);
  if (digits < 0) return undefined;
  pos = simpleLengthCr + 2;
  const value = negative ? 0 - digits : digits; // 0 - 0 is +0: no -0 from ":-0"
  return options.integers === 'bigint' ? BigInt(value) : value;
}

/** `$`: the hot path of most replies. */
function bulkString(start: number): unknown {
  let length = simpleLength(buf, start, end);
  let cr = simpleLengthCr;
  if (length < 0) {
    cr = lineAt(start + 1);
    length = parseLength(buf, start + 1, cr);
    if (length < 0) {
      checkedLength(buf, start, cr, true, frameStart); // throws unless -1
      pos = cr + 2;
      return null;
    }
  }
  const body = bulkBody(start, cr, length);
  return mode === 'buffer' ? buf.subarray(body, body + length) : utf8Text(buf, body, body + length);
}

/** Checks a bulk body of `length` after the header line, moves past it, returns where it starts. */
function bulkBody(start: number, cr: number, length: number): number {
  if (length > limits.maxReplyBytes) throw bulkTooLarge(length, limits, start - frameStart);
  const body = cr + 2;
  const bodyEnd = body + length;
  if (bodyEnd + 2 > end) throw INCOMPLETE;
  if (buf[bodyEnd] !== CR || buf[bodyEnd + 1] !== LF) {
    throw new RespProtocolError('expected-crlf', 'bulk body not followed by CRLF', bodyEnd - frameStart);
  }
  pos = bodyEnd + 2;
  return body;
}

/** `!` bulk error and `=` verbatim string. */
function bulkOther(type: number, start: number, cr: number): unknown {
  const length = checkedLength(buf, start, cr, false, frameStart);
  const body = bulkBody(start, cr, length);
  if (type === BULK_ERROR) return new ReplyError(utf8Text(buf, body, body + length));
  if (!hasVerbatimPrefix(buf, body, length)) {
    throw new RespProtocolError(
      'invalid-verbatim',
      'verbatim string without its xxx: prefix',
      body - frameStart,
    );
  }
  // The `txt:`/`mkd:` format prefix is dropped: callers want the text.
  return mode === 'buffer' ? buf.subarray(body + 4, body + length) : utf8Text(buf, body + 4, body + length);
}

/** Opens an aggregate of `count` elements: limits first, then whether the bytes could hold it. */
function openAggregate(start: number, count: number, elements: number): void {
  if (count > limits.maxElements) throw tooManyElements(count, limits, start - frameStart);
  if (depth + 1 > limits.maxDepth) throw tooDeep(limits, start - frameStart);
  // Never size an array beyond what the bytes that arrived could fill.
  if (elements * MIN_VALUE_BYTES > end - pos) throw INCOMPLETE;
  depth++;
}

/**
 * A top-level list of at least this many elements whose first element says it cannot be whole in
 * the bytes at hand (`cutShortByFirstElement`) is reported cut short at once, before any element
 * is built: the decoder then streams it (`StreamedList`) from its first element. Decoding it whole
 * first built every element that did arrive, stopped at the first that did not, and the streamed
 * list built them all again: an `LRANGE` of 4,096 ten-byte items through the client, a 64 KiB
 * read and then the rest, went from 1.11–1.16× the native decoder's time to 0.99–1.02× (README).
 */
const GUESS_MIN_ELEMENTS = 64;

/**
 * Whether a list of `count` elements, each the size of its first (a bulk string at `pos`), would
 * end past `end`. A guess: a whole list whose later elements are smaller is streamed too, and
 * finishes in the same feed.
 */
function cutShortByFirstElement(count: number): boolean {
  if (buf[pos] !== BULK_STRING) return false;
  const length = simpleLength(buf, pos, end);
  if (length < 0) return false;
  return count * (simpleLengthCr + 4 - pos + length) > end - pos;
}

/** `*`, `~`, `>`. */
function list(type: number, start: number, cr: number): unknown {
  const count = checkedLength(buf, start, cr, type === ARRAY, frameStart);
  pos = cr + 2;
  return listOf(type, start, count);
}

/** The elements of a `*`, `~` or `>` of `count` (-1: null), from `pos`. */
function listOf(type: number, start: number, count: number): unknown {
  if (count === -1) return null;
  openAggregate(start, count, count);
  if (depth === 1 && !scanned && count >= GUESS_MIN_ELEMENTS && cutShortByFirstElement(count))
    throw INCOMPLETE;
  const items = new Array<unknown>(count);
  for (let i = 0; i < count; i++) items[i] = decodeValue();
  depth--;
  return type === SET && options.sets === 'set' ? new Set(items) : items;
}

/** `%` and `|`: entries as a null-prototype object or a Map. An attribute then yields the value it annotates. */
function map(type: number, start: number, cr: number): unknown {
  const count = checkedLength(buf, start, cr, false, frameStart);
  pos = cr + 2;
  openAggregate(start, count, count * 2);
  let entries: unknown;
  if (options.maps === 'map') {
    const m = new Map<unknown, unknown>();
    for (let i = 0; i < count; i++) {
      const key = decodeValue();
      m.set(key, decodeValue());
    }
    entries = m;
  } else {
    // No prototype: a key named __proto__ is an own data property, never a prototype change.
    const o: Record<string, unknown> = Object.create(null);
    for (let i = 0; i < count; i++) {
      const key = mapKey();
      o[key] = decodeValue();
    }
    entries = o;
  }
  depth--;
  if (type === MAP) return entries;
  attributes?.push(entries);
  return decodeValue();
}

/** A key of an object-mode map: always text, whatever the string mode. */
function mapKey(): string {
  const saved = mode;
  mode = 'utf8';
  const key = decodeValue();
  mode = saved;
  return typeof key === 'string' ? key : keyText(key);
}

/** `String(key)`, except that a map (a null-prototype object, which `String()` cannot convert) reads as an object. */
function keyText(key: unknown): string {
  if (Array.isArray(key))
    return key.map((item) => (item === null || item === undefined ? '' : keyText(item))).join(',');
  if (typeof key === 'object' && key !== null && Object.getPrototypeOf(key) === null)
    return '[object Object]';
  return String(key);
}

/** `:` — validated and parsed in one loop for the common short case. */
function integer(start: number, cr: number): number | bigint {
  let i = start + 1;
  const sign = buf[i];
  const negative = sign === MINUS;
  if (negative || sign === PLUS) i++;
  const digits = cr - i;
  if (digits > 0 && digits <= 15) {
    let value = 0;
    for (; i < cr; i++) {
      const digit = (buf[i] as number) - ZERO;
      if (digit < 0 || digit > 9)
        throw contentError('invalid-integer', 'integer', buf, start, cr, frameStart);
      value = value * 10 + digit;
    }
    if (negative) value = 0 - value; // 0 - 0 is +0: no -0 from ":-0"
    return options.integers === 'bigint' ? BigInt(value) : value;
  }
  for (let j = i; j < cr; j++) {
    const digit = (buf[j] as number) - ZERO;
    if (digit < 0 || digit > 9) throw contentError('invalid-integer', 'integer', buf, start, cr, frameStart);
  }
  if (digits === 0) throw contentError('invalid-integer', 'integer', buf, start, cr, frameStart);
  const big = BigInt(asciiText(buf, start + 1, cr));
  // Past 2^53 a number would silently round: such values stay bigint even in 'number' mode.
  if (options.integers === 'number' && big <= MAX_SAFE && big >= MIN_SAFE) return Number(big);
  return big;
}

/** `,` — already validated. */
function double(from: number, to: number): number {
  const text = asciiText(buf, from, to);
  const last = (buf[to - 1] as number) | 0x20;
  if (last === 0x66)
    return text.charCodeAt(0) === MINUS ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY; // inf
  if (last === 0x6e && to - from >= 3 && ((buf[to - 3] as number) | 0x20) === 0x6e) return Number.NaN; // nan
  return Number(text);
}
