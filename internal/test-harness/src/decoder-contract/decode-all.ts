import type {
  DecodeOptionsInput,
  DecoderFactory,
  ReplyDecoder,
  RespProtocolError,
  StringMode,
} from '@fusedis/resp';
import { canonical } from './canonical.js';

/** One call the decoder made on its sink, in order. */
export type DecodeEvent =
  | { readonly kind: 'reply'; readonly value: unknown }
  | { readonly kind: 'push'; readonly value: unknown }
  | { readonly kind: 'attribute'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: RespProtocolError };

/** Everything a decoder did with one byte stream. */
export interface DecodeResult {
  /** Every sink call, in order. */
  readonly events: readonly DecodeEvent[];
  readonly replies: readonly unknown[];
  readonly pushes: readonly unknown[];
  readonly attributes: readonly unknown[];
  readonly errors: readonly RespProtocolError[];
  /** The kinds `stringMode` was asked for, when the hooks gave one. */
  readonly stringModeCalls: readonly ('reply' | 'push')[];
  /** What `feed()` threw, if anything (a first violation must go to `sink.error`, not be thrown). */
  readonly thrown: unknown;
  /** The decoder, to feed it more or reset it. */
  readonly decoder: ReplyDecoder;
  /** Chunks fed before stopping (feeding stops after the first error). */
  readonly chunksFed: number;
}

/** Extra sink behaviour for one run. */
export interface DecodeHooks {
  /** Installed as `sink.stringMode` (the sink has none without it). */
  readonly stringMode?: (kind: 'reply' | 'push') => StringMode;
}

/** How a byte stream is cut into chunks before feeding. */
export interface Chunking {
  readonly name: string;
  split(bytes: Uint8Array): Uint8Array[];
}

/** Each chunk in its own fresh Buffer, as a socket would hand them out (`bounds` sorted). */
export function cut(bytes: Uint8Array, bounds: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...bounds, bytes.length]) {
    chunks.push(Buffer.from(bytes.subarray(from, to)));
    from = to;
  }
  return chunks;
}

/** The whole stream as one chunk. */
export const whole: Chunking = { name: 'whole', split: (bytes) => cut(bytes, []) };

/** One chunk per byte. */
export const byteByByte: Chunking = {
  name: 'byte by byte',
  split: (bytes) =>
    cut(
      bytes,
      Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1),
    ),
};

/** Two chunks, cut at `offset` (0 and the length give an empty chunk on one side). */
export function splitAt(offset: number): Chunking {
  return { name: `split at ${offset}`, split: (bytes) => cut(bytes, [Math.min(offset, bytes.length)]) };
}

/** Chunks of `size` bytes (the last one shorter), e.g. 1460 like TCP segments. */
export function fixedChunks(size: number): Chunking {
  return {
    name: `chunks of ${size}`,
    split: (bytes) =>
      cut(
        bytes,
        Array.from({ length: Math.ceil(bytes.length / size) - 1 }, (_, i) => (i + 1) * size),
      ),
  };
}

/** A small seeded PRNG (mulberry32): the same seed cuts the same chunks on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random chunk sizes from 0 (an empty chunk) to `maxSize`, reproducible by `seed`. */
export function randomChunks(seed: number, maxSize = 16): Chunking {
  return {
    name: `random chunks (seed ${seed}, up to ${maxSize})`,
    split: (bytes) => {
      const random = seededRandom(seed);
      const bounds: number[] = [];
      let at = 0;
      for (;;) {
        at += Math.floor(random() * (maxSize + 1));
        if (at >= bytes.length) break;
        bounds.push(at);
      }
      return cut(bytes, bounds);
    },
  };
}

/** Chunks cut at the given offsets (sorted, within the stream), e.g. from a property test. */
export function cutAt(offsets: readonly number[]): Chunking {
  return {
    name: `cut at ${offsets.join(',')}`,
    split: (bytes) =>
      cut(
        bytes,
        [...offsets].filter((o) => o <= bytes.length).sort((a, b) => a - b),
      ),
  };
}

/** The same chunks, handed over as plain `Uint8Array`s rather than `Buffer`s. */
export function asPlainUint8Arrays(chunking: Chunking): Chunking {
  return {
    name: `${chunking.name}, as plain Uint8Array`,
    split: (bytes) => chunking.split(bytes).map((chunk) => new Uint8Array(chunk)),
  };
}

/** Text as UTF-8 bytes; bytes as they are. */
export function toBytes(wire: string | Uint8Array): Buffer {
  return typeof wire === 'string' ? Buffer.from(wire, 'utf8') : Buffer.from(wire);
}

/**
 * Feeds `bytes` to a fresh decoder from `factory`, cut by `chunking`, and records every sink
 * call. Feeding stops at the first error; a `feed()` that throws is recorded, not rethrown.
 */
export function decodeAll(
  factory: DecoderFactory,
  bytes: string | Uint8Array,
  options?: DecodeOptionsInput,
  chunking: Chunking = whole,
  hooks: DecodeHooks = {},
): DecodeResult {
  const events: DecodeEvent[] = [];
  const stringModeCalls: ('reply' | 'push')[] = [];
  const sink = {
    reply: (value: unknown) => void events.push({ kind: 'reply', value }),
    push: (value: unknown[]) => void events.push({ kind: 'push', value }),
    error: (error: RespProtocolError) => void events.push({ kind: 'error', error }),
    attribute: (value: unknown) => void events.push({ kind: 'attribute', value }),
  };
  const { stringMode } = hooks;
  const decoder = factory(
    stringMode === undefined
      ? sink
      : {
          ...sink,
          stringMode: (kind: 'reply' | 'push') => {
            stringModeCalls.push(kind);
            return stringMode(kind);
          },
        },
    options,
  );
  let thrown: unknown;
  let chunksFed = 0;
  for (const chunk of chunking.split(toBytes(bytes))) {
    try {
      decoder.feed(chunk);
    } catch (err) {
      thrown = err;
      break;
    }
    chunksFed++;
    if (events.some((event) => event.kind === 'error')) break;
  }
  const of = (kind: DecodeEvent['kind']) => events.filter((e) => e.kind === kind);
  return {
    events,
    replies: of('reply').map((e) => (e as { value: unknown }).value),
    pushes: of('push').map((e) => (e as { value: unknown }).value),
    attributes: of('attribute').map((e) => (e as { value: unknown }).value),
    errors: of('error').map((e) => (e as { error: RespProtocolError }).error),
    stringModeCalls,
    thrown,
    decoder,
    chunksFed,
  };
}

/** Events in the tagged form of `canonical`, errors reduced to their reason: for `toEqual`. */
export function canonicalEvents(events: readonly DecodeEvent[]): unknown[] {
  return events.map((event) =>
    event.kind === 'error'
      ? { error: (event.error as { reason?: unknown }).reason ?? String(event.error) }
      : { [event.kind]: canonical(event.value) },
  );
}

/** The outcome of a run in one comparable value: canonical events, plus what `feed()` threw. */
export function outcome(result: DecodeResult): { events: unknown[]; thrown: string | undefined } {
  return {
    events: canonicalEvents(result.events),
    thrown: result.thrown === undefined ? undefined : String(result.thrown),
  };
}
