import {
  type DecodeOptions,
  type DecodeOptionsInput,
  type DecoderFactory,
  type ReplyMode,
  type ReplySink,
  RespProtocolError,
  resolveDecodeOptions,
} from '@fusedis/resp';
import { canonical, nodeToValue, type RespNode, writeResp } from '@fusedis/test-harness/decoder-contract';

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

/** The value a frame carries once its attributes are peeled off. */
function annotated(node: RespNode): RespNode {
  let inner = node;
  while (inner.type === 'attribute') inner = inner.value;
  return inner;
}

/**
 * The sink calls a stream of frames must produce, from the oracle: a frame-mode reply is its
 * value's own bytes (attributes before it decoded as always), an error reply a `ReplyError`, a
 * push decoded. Other replies decode with `options.strings` (callers keep their modes to that).
 */
export function expectedFrameEvents(
  nodes: readonly RespNode[],
  input: DecodeOptionsInput | undefined,
  modeOf: ModeOf,
): FrameEvent[] {
  const options: DecodeOptions = resolveDecodeOptions(input);
  const events: FrameEvent[] = [];
  const collect = (attributes: unknown[]) =>
    options.attributes === 'sink' ? (value: unknown) => void attributes.push(value) : undefined;
  nodes.forEach((node, index) => {
    const inner = annotated(node);
    const kind = inner.type === 'push' ? 'push' : 'reply';
    const mode = modeOf(kind, index);
    const attributes: unknown[] = [];
    let value: unknown;
    const framed =
      mode === 'frame' && kind === 'reply' && inner.type !== 'simple-error' && inner.type !== 'bulk-error';
    if (framed) {
      let at = node;
      while (at.type === 'attribute') {
        const entries = nodeToValue(
          { type: 'map', entries: at.entries },
          options,
          options.strings,
          collect(attributes),
        );
        if (options.attributes === 'sink') attributes.push(entries);
        at = at.value;
      }
      value = writeResp(inner);
    } else {
      value = nodeToValue(node, options, options.strings, collect(attributes));
    }
    for (const attribute of attributes) events.push({ kind: 'attribute', value: canonical(attribute) });
    events.push({ kind, value: canonical(value) });
  });
  return events;
}

/** `bytes` in fresh chunks cut at `bounds` (sorted offsets inside it). */
export function cutBytes(bytes: Uint8Array, bounds: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...bounds, bytes.length]) {
    chunks.push(Buffer.from(bytes.subarray(from, to)));
    from = to;
  }
  return chunks;
}
