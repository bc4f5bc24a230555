import {
  type DecodeOptionsInput,
  type DecoderFactory,
  type ReplyMode,
  type ReplySink,
  RespProtocolError,
} from '@fusedis/resp';
import { canonical } from '@fusedis/test-harness/decoder-contract';

/** What a `replyMode` sink answers for the n-th top-level frame (0-based) of a run. */
export type ModeOf = (kind: 'reply' | 'push', index: number) => ReplyMode;

/** Everything one frame-mode run did, comparable with `toEqual` across decoders. */
export interface FrameRun {
  /** Sink calls in order, values through `canonical`; protocol errors as reason, message, offset. */
  readonly events: unknown[];
  /** The kinds `replyMode` was asked for, in order. */
  readonly asked: ('reply' | 'push')[];
  /** Every `Buffer` reply as delivered, and a copy taken then. */
  readonly delivered: { readonly buffer: Buffer; readonly copy: Buffer }[];
  /** The reason (or value) `feed()` threw, if anything. */
  readonly thrown: unknown;
}

/** Feeds `chunks` to a decoder whose sink answers `replyMode` with `modeOf`; stops after an error. */
export function runFrames(
  factory: DecoderFactory,
  chunks: readonly Uint8Array[],
  options: DecodeOptionsInput | undefined,
  modeOf: ModeOf,
): FrameRun {
  const events: unknown[] = [];
  const asked: ('reply' | 'push')[] = [];
  const delivered: { buffer: Buffer; copy: Buffer }[] = [];
  let failed = false;
  const sink: ReplySink = {
    reply: (value) => {
      if (Buffer.isBuffer(value)) delivered.push({ buffer: value, copy: Buffer.from(value) });
      events.push({ reply: canonical(value) });
    },
    push: (value) => void events.push({ push: canonical(value) }),
    attribute: (value) => void events.push({ attribute: canonical(value) }),
    error: (err: RespProtocolError) => {
      failed = true;
      events.push({ error: err.reason, message: err.message, offset: err.offset });
    },
    replyMode: (kind) => {
      asked.push(kind);
      return modeOf(kind, asked.length - 1);
    },
  };
  const decoder = factory(sink, options);
  let thrown: unknown;
  try {
    for (const chunk of chunks) {
      decoder.feed(chunk);
      if (failed) break;
    }
  } catch (err) {
    thrown = err instanceof RespProtocolError ? err.reason : err;
  }
  return { events, asked, delivered, thrown };
}

/** `bytes` in fresh chunks cut at `bounds` (offsets inside it, any order, repeats allowed). */
export function cutBytes(bytes: Uint8Array, bounds: readonly number[]): Buffer[] {
  const sorted = [...new Set(bounds.map((b) => Math.min(b, bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...sorted, bytes.length]) {
    chunks.push(Buffer.from(bytes.subarray(from, to)));
    from = to;
  }
  return chunks;
}
