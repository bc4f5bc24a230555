import {
  type DecodeOptionsInput,
  type DecoderFactory,
  type ReplyMode,
  type ReplySink,
  RespProtocolError,
} from '@fusedis/resp';
import { canonical } from './canonical.js';
import { cut } from './decode-all.js';

/**
 * Frame-mode runs (a sink that answers `replyMode`), shared by the JS and native decoders' tests:
 * what one run did, in a shape `toEqual` can compare across decoders.
 */

/** What a `replyMode` sink answers for the n-th top-level frame (0-based) of a run. */
export type ModeOf = (kind: 'reply' | 'push', index: number) => ReplyMode;

/** One sink call, comparable with `toEqual` (values through `canonical`). */
export type FrameEvent =
  | { readonly kind: 'reply' | 'push' | 'attribute'; readonly value: unknown }
  | { readonly kind: 'error'; readonly reason: string; readonly offset: number; readonly message: string };

/** Everything one run did. */
export interface FrameRun {
  readonly events: FrameEvent[];
  /** The kinds `replyMode` was asked for, in order. */
  readonly asked: ('reply' | 'push')[];
  /** Every `Buffer` reply as delivered, and a copy taken then: they must stay equal. */
  readonly delivered: { readonly buffer: Buffer; readonly copy: Buffer }[];
  /** What `feed()` threw, if anything. */
  readonly thrown: unknown;
}

/** Feeds `chunks` to a decoder whose sink answers `replyMode` with `modeOf`; stops after an error. */
export function runFrames(
  factory: DecoderFactory,
  chunks: readonly Uint8Array[],
  options: DecodeOptionsInput | undefined,
  modeOf: ModeOf,
): FrameRun {
  const events: FrameEvent[] = [];
  const asked: ('reply' | 'push')[] = [];
  const delivered: { buffer: Buffer; copy: Buffer }[] = [];
  let failed = false;
  const sink: ReplySink = {
    reply: (value) => {
      if (Buffer.isBuffer(value)) delivered.push({ buffer: value, copy: Buffer.from(value) });
      events.push({ kind: 'reply', value: canonical(value) });
    },
    push: (value) => void events.push({ kind: 'push', value: canonical(value) }),
    attribute: (value) => void events.push({ kind: 'attribute', value: canonical(value) }),
    error: (err: RespProtocolError) => {
      failed = true;
      events.push({ kind: 'error', reason: err.reason, offset: err.offset, message: err.message });
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
  return cut(bytes, sorted);
}
