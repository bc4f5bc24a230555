import {
  checkChunk,
  checkReplySink,
  type DecodeOptionsInput,
  type DecoderFactory,
  InvalidArgumentError,
  type ReplyDecoder,
  type ReplySink,
} from '@fusedis/resp';
import { IGNORING_SINK, KEPT } from './kept-instances.js';

/**
 * A reply announcing at least this many elements goes to the native decoder (unless it is a table
 * of rows or a list of short scalars, see `suitsNative`); anything else to the JS one. Measured
 * (this package's README, "The `auto` decoder"): native pays ~0.5 µs per chunk to cross over and
 * more per element while a reply is small, so JS wins every reply below ~1,000 elements (by 10–20×
 * on a reply or two per chunk, the common case), and native wins from ~4,000 (1.2–1.6× when
 * measured on ten-byte strings, which JS has since overtaken: `AUTO_JS_MAX_ELEMENT_BYTES`).
 */
export const AUTO_NATIVE_MIN_ELEMENTS = 4096;

/**
 * A map announcing at least this many entries goes to the native decoder (or at least
 * `minElements`, when a factory is given a smaller one): native makes its keys already internalized, as V8 stores property
 * names, where a JS string key costs V8 a runtime call to internalize. Measured in-process (maps of
 * 12-byte keys and 14–20-byte values, one reply a feed; JS ÷ native): 0.97× at 64 entries,
 * 1.04–1.20× at 256, 1.16–1.18× at 1,024, 1.05–1.12× at 4,096.
 */
export const AUTO_NATIVE_MIN_MAP_ENTRIES = 1024;

/**
 * A list whose first element is an integer, or a simple or bulk string of at most this many bytes,
 * stays with the JS decoder whatever its size: such short strings both decoders make in JS
 * from their bytes (native's `SLICE_MAX`), so native only adds its crossings. Measured in-process
 * (65,536 elements, JS ÷ native, whole / 1,460-byte chunks): 10-byte strings 0.91× / 0.80×, 24-byte
 * 0.91× / 0.83×, integers 0.80× / 0.68×, simple strings 0.90× / 0.82×; from 28 bytes native makes
 * the strings and wins (1.41× / 1.19×; 40-byte simple strings 1.19× / 1.09×, 24-byte ones
 * 0.92× / 0.85×), as it does on doubles (1.77× / 1.71×).
 */
export const AUTO_JS_MAX_ELEMENT_BYTES = 24;

/**
 * A chunk at least this long that starts with two `+OK` replies (a pipeline of writes) goes to the
 * native decoder when the sink has no reply mode to ask: native makes `+OK` without scanning or
 * building and hands the sink runs of 512, and wins from ~600 bytes of them (1.15× at 1,000,
 * 1.5× at 2,000; a3 whole 1.8×). With a reply mode to ask, native crosses once per reply: JS then.
 */
export const AUTO_NATIVE_OK_RUN_BYTES = 1024;
const OK_RUN = [0x2b, 0x4f, 0x4b, 0x0d, 0x0a, 0x2b, 0x4f, 0x4b, 0x0d, 0x0a]; // +OK\r\n+OK\r\n

/**
 * A bulk string announcing at least this many bytes goes to the native decoder when the sink has
 * no reply mode and wants text: native makes it an external string over its own huge-page memory
 * (gathered across chunks, over the gathering buffer itself): a4 (64 MiB) 2.9× faster than JS
 * whole, 1.7× in 1,460-byte chunks. (In buffer mode JS hands out a view, native a copy.)
 */
export const AUTO_NATIVE_TEXT_BYTES = 1 << 20;

/** Whether the chunk starts a bulk string announcing at least `AUTO_NATIVE_TEXT_BYTES`. */
function startsLargeText(chunk: Uint8Array): boolean {
  if (chunk[0] !== BULK) return false;
  const cr = headerEnd(chunk, 0);
  return cr > 0 && headerValue(chunk, 0, cr) >= AUTO_NATIVE_TEXT_BYTES;
}

/**
 * Where the decimal header after the type byte at `at` ends (its CR), reading at most 11 digits
 * (more than any limit allows, so enough to decide on): -1 when a byte is not a digit, there are
 * none, or the chunk cuts the header short.
 */
function headerEnd(chunk: Uint8Array, at: number): number {
  const first = at + 1;
  const end = Math.min(chunk.length, first + 11);
  for (let i = first; i < end; i++) {
    const byte = chunk[i] as number;
    if (byte === CR) return i > first ? i : -1;
    if (byte < ZERO || byte > NINE) return -1;
  }
  return end === first + 11 ? end : -1;
}

/** The number in the header `chunk(at, cr)`, digits only (`headerEnd` checked them). */
function headerValue(chunk: Uint8Array, at: number, cr: number): number {
  let value = 0;
  for (let i = at + 1; i < cr; i++) value = value * 10 + ((chunk[i] as number) - ZERO);
  return value;
}

/** Whether the chunk is a long run of `+OK` replies, by its length and first two replies. */
function startsOkRun(chunk: Uint8Array): boolean {
  if (chunk.length < AUTO_NATIVE_OK_RUN_BYTES) return false;
  for (let i = 0; i < OK_RUN.length; i++) if (chunk[i] !== OK_RUN[i]) return false;
  return true;
}

const CR = 0x0d;
const BULK = 0x24;
const INTEGER = 0x3a;
const SIMPLE_STRING = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
/** Aggregate type bytes whose header counts elements: array, map (pairs), set, push. */
const ARRAY = 0x2a;
const MAP = 0x25;
const SET = 0x7e;
const PUSH = 0x3e;

/**
 * Whether the reply a chunk starts is one for the native decoder: a map announcing at least
 * `AUTO_NATIVE_MIN_MAP_ENTRIES` entries, or another aggregate announcing at least `minElements`
 * elements, unless its first element is itself an aggregate (a table of rows, a2's shape: the JS
 * decoder builds those small arrays faster, 1.3× in the codec benchmark) or a short scalar (see
 * `AUTO_JS_MAX_ELEMENT_BYTES`). A header cut short by the chunk reads as no.
 */
function suitsNative(chunk: Uint8Array, routing: Routing): boolean {
  const type = chunk[0];
  if (type !== ARRAY && type !== MAP && type !== SET && type !== PUSH) return false;
  const cr = headerEnd(chunk, 0);
  if (cr < 0) return false;
  const count = headerValue(chunk, 0, cr);
  if (type === MAP) return count >= routing.minMapEntries;
  if (count < routing.minElements) return false;
  const at = cr + 2;
  const first = chunk[at];
  if (first === undefined || first === ARRAY || first === MAP || first === SET || first === PUSH)
    return false;
  return routing.shortBytes < 0 || !startsShortScalar(chunk, at, routing.shortBytes);
}

/**
 * Whether the element at `at` is an integer, or a simple or bulk string of at most `shortBytes`
 * (one cut short by the chunk before that is known reads as no).
 */
function startsShortScalar(chunk: Uint8Array, at: number, shortBytes: number): boolean {
  const type = chunk[at];
  if (type === INTEGER) return true;
  if (type === SIMPLE_STRING) {
    // Its CR within the first `shortBytes + 1` bytes after the type byte.
    const end = Math.min(chunk.length, at + 2 + shortBytes);
    for (let i = at + 1; i < end; i++) if (chunk[i] === CR) return true;
    return false;
  }
  if (type !== BULK) return false;
  const cr = headerEnd(chunk, at);
  return cr > 0 && headerValue(chunk, at, cr) <= shortBytes;
}

/** Which replies a factory's decoders send native, fixed when the factory is made. */
interface Routing {
  /** Lists announcing at least this many elements. */
  readonly minElements: number;
  /** Maps announcing at least this many entries. */
  readonly minMapEntries: number;
  /** Lists of scalars up to this many bytes stay JS (`AUTO_JS_MAX_ELEMENT_BYTES`); -1: none do. */
  readonly shortBytes: number;
}

/** A decoder that can take a chunk into a body it holds without decoding anything (see `NativeReplyDecoder.hold`). */
interface Holding {
  hold(chunk: Uint8Array): boolean;
}

/**
 * Two decoders behind one: each chunk that starts a reply goes to the decoder that is faster for
 * that reply's size (see {@link AUTO_NATIVE_MIN_ELEMENTS}), and the chunks after it go to the same
 * decoder until it is `idle` again, so a reply is never split between the two. Both decoders share
 * the contract, so the values are the same whichever decoded them.
 */
class AutoDecoder implements ReplyDecoder {
  readonly #js: ReplyDecoder;
  readonly #native: ReplyDecoder;
  readonly #routing: Routing;
  /** The sink has no reply mode to ask per reply, so runs of `+OK` go native (`startsOkRun`). */
  readonly #okRunsNative: boolean;
  /** Besides, it wants text: large bulk strings go native (`startsLargeText`). */
  readonly #largeTextNative: boolean;
  /** The native decoder's `hold`, when it has one (`NativeReplyDecoder` does). */
  readonly #holdNative: ((chunk: Uint8Array) => boolean) | undefined;
  /** The decoder that may hold part of a reply (or a protocol error), or undefined when both are idle. */
  #owner: ReplyDecoder | undefined;
  #busy = false;

  constructor(
    js: ReplyDecoder,
    native: ReplyDecoder,
    routing: Routing,
    okRunsNative: boolean,
    largeTextNative: boolean,
  ) {
    this.#js = js;
    this.#native = native;
    this.#routing = routing;
    this.#okRunsNative = okRunsNative;
    this.#largeTextNative = largeTextNative;
    const hold = (native as Partial<Holding>).hold;
    this.#holdNative = typeof hold === 'function' ? hold.bind(native) : undefined;
  }

  feed(chunk: Uint8Array): void {
    // Each decoder refuses a feed from its own sink callbacks; this one must refuse it for both.
    if (this.#busy)
      throw new InvalidArgumentError('feed() called from inside a sink callback of the same decoder');
    checkChunk(chunk);
    if (chunk.length === 0) return;
    // Inside a large bulk body the native decoder holds: nothing else to do for this chunk.
    if (this.#owner === this.#native && this.#holdNative?.(chunk) === true) return;
    const decoder =
      this.#owner ??
      (suitsNative(chunk, this.#routing) ||
      (this.#okRunsNative && startsOkRun(chunk)) ||
      (this.#largeTextNative && startsLargeText(chunk))
        ? this.#native
        : this.#js);
    this.#busy = true;
    try {
      decoder.feed(chunk);
    } finally {
      this.#busy = false;
      this.#owner = decoder.idle === true ? undefined : decoder;
    }
  }

  get idle(): boolean {
    return this.#owner === undefined;
  }

  reset(): void {
    this.#js.reset();
    this.#native.reset();
    this.#owner = undefined;
  }
}

/**
 * A factory of `auto` decoders over the two given: the JS decoder for small replies, tables of
 * rows and lists of scalars of at most `shortElementBytes` (-1: no such rule), the native one for
 * other replies of at least `minElements` elements, and, when the sink has no reply mode, for long
 * runs of `+OK` and (text wanted) large bulk strings. Both must report `idle`.
 */
export function autoDecoderFactory(
  js: DecoderFactory,
  native: DecoderFactory,
  minElements: number = AUTO_NATIVE_MIN_ELEMENTS,
  shortElementBytes: number = AUTO_JS_MAX_ELEMENT_BYTES,
): DecoderFactory {
  const routing: Routing = {
    minElements,
    minMapEntries: Math.min(minElements, AUTO_NATIVE_MIN_MAP_ENTRIES),
    shortBytes: shortElementBytes,
  };
  const factory = (sink: ReplySink, options?: DecodeOptionsInput): ReplyDecoder => {
    checkReplySink(sink); // before reading it here, as the two decoders would
    const plainSink = sink.replyMode === undefined && sink.stringMode === undefined;
    return new AutoDecoder(
      js(sink, options),
      native(sink, options),
      routing,
      plainSink,
      plainSink && options?.strings !== 'buffer',
    );
  };
  KEPT.autoDecoder ??= factory(IGNORING_SINK);
  return factory;
}
