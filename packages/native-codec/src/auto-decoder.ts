import {
  type DecodeOptionsInput,
  type DecoderFactory,
  InvalidArgumentError,
  type ReplyDecoder,
  type ReplySink,
} from '@fusedis/resp';

/**
 * A reply announcing at least this many elements goes to the native decoder (unless it is a table
 * of rows, see `suitsNative`); anything else to the JS one. Measured (this package's README, "The
 * `auto` decoder"): native pays ~0.9 µs per chunk to cross over and more per element while a reply
 * is small, so JS wins every reply below ~1,000 elements (by 10–20× on a reply or two per chunk,
 * the common case), and native wins from ~4,000 (1.2–1.6×).
 */
export const AUTO_NATIVE_MIN_ELEMENTS = 4096;

const CR = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;
/** Aggregate type bytes whose header counts elements: array, map (pairs), set, push. */
const ARRAY = 0x2a;
const MAP = 0x25;
const SET = 0x7e;
const PUSH = 0x3e;

/**
 * Whether the reply a chunk starts is one for the native decoder: an aggregate announcing at least
 * `minElements` elements, unless it is an array whose first element is itself an aggregate (a
 * table of rows, a2's shape: the JS decoder builds those small arrays faster, 1.3× in the codec
 * benchmark). A header cut short by the chunk reads as no.
 */
function suitsNative(chunk: Uint8Array, minElements: number): boolean {
  const type = chunk[0];
  if (type !== ARRAY && type !== MAP && type !== SET && type !== PUSH) return false;
  let count = 0;
  // Eleven digits are more elements than any limit allows: stop reading there.
  const end = Math.min(chunk.length, 12);
  let i = 1;
  for (; i < end; i++) {
    const byte = chunk[i] as number;
    if (byte === CR) break;
    if (byte < ZERO || byte > NINE) return false;
    count = count * 10 + (byte - ZERO);
  }
  if (i === 1 || (i === end && end < 12) || count < minElements) return false;
  if (type === MAP) return true;
  const first = chunk[i + 2];
  return first !== undefined && first !== ARRAY && first !== MAP && first !== SET && first !== PUSH;
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
  readonly #minElements: number;
  /** The decoder that may hold part of a reply (or a protocol error), or undefined when both are idle. */
  #owner: ReplyDecoder | undefined;
  #busy = false;

  constructor(js: ReplyDecoder, native: ReplyDecoder, minElements: number) {
    this.#js = js;
    this.#native = native;
    this.#minElements = minElements;
  }

  feed(chunk: Uint8Array): void {
    // Each decoder refuses a feed from its own sink callbacks; this one must refuse it for both.
    if (this.#busy)
      throw new InvalidArgumentError('feed() called from inside a sink callback of the same decoder');
    if (chunk.length === 0) return;
    const decoder = this.#owner ?? (suitsNative(chunk, this.#minElements) ? this.#native : this.#js);
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
 * A factory of `auto` decoders over the two given: the JS decoder for small replies and tables of
 * rows, the native one for other replies of at least `minElements` elements. Both must report `idle`.
 */
export function autoDecoderFactory(
  js: DecoderFactory,
  native: DecoderFactory,
  minElements: number = AUTO_NATIVE_MIN_ELEMENTS,
): DecoderFactory {
  return (sink: ReplySink, options?: DecodeOptionsInput) =>
    new AutoDecoder(js(sink, options), native(sink, options), minElements);
}
