import type { RespLimits } from './limits.js';
import type { RespProtocolError } from './resp-protocol-error.js';

/** How strings (simple, bulk, verbatim) become JS values: UTF-8 `string`, or `Buffer` bytes. */
export type StringMode = 'utf8' | 'buffer';

/**
 * How one top-level reply is handed over: decoded with a {@link StringMode}, or (`'frame'`) as a
 * `Buffer` holding that reply's whole RESP frame, undecoded, for a caller that parses the bytes
 * itself (`@fusedis/graph`'s fused decoder). In frame mode:
 * - an error reply (`-`, `!`) is still decoded, as a `ReplyError` value, so routers see
 *   `MOVED`/`ASK`/`TRYAGAIN`; any other reply, a null included, is a `Buffer`;
 * - the frame is the value's bytes only: attributes (`|`) before it are not in it, and are
 *   skipped or handed to `ReplySink.attribute` as always;
 * - the frame is checked against the grammar and `RespLimits` as any reply is;
 * - the `Buffer` may be a view of a chunk fed to the decoder, never of memory the decoder writes
 *   again;
 * - a push is never a frame: a `'frame'` answer for a push means `DecodeOptions.strings`.
 */
export type ReplyMode = StringMode | 'frame';

/** Where decoded replies go, in wire order. */
export interface ReplySink {
  /** A whole top-level reply. A server error arrives here as a `ReplyError` value. */
  reply(value: unknown): void;
  /** A top-level RESP3 push (`>`): pub/sub messages, invalidations. Always an array. */
  push(value: unknown[]): void;
  /**
   * The stream broke the protocol or a limit. Nothing more is decoded until `reset()`:
   * the owner closes the connection and rejects what was pending on it.
   */
  error(err: RespProtocolError): void;
  /**
   * Asked once per top-level reply, before it is decoded, when present: the string mode for that
   * reply (per-command buffer mode). Without it, `DecodeOptions.strings` applies to every reply.
   */
  stringMode?(kind: 'reply' | 'push'): StringMode;
  /**
   * `stringMode` that may also answer `'frame'`: the reply's undecoded bytes (see
   * {@link ReplyMode}). Asked instead of `stringMode` when both are present.
   */
  replyMode?(kind: 'reply' | 'push'): ReplyMode;
  /** With `attributes: 'sink'`, each RESP3 attribute map, just before the value it annotates. */
  attribute?(attributes: unknown): void;
}

/** How replies map to JS values. Every field has a default; see `resolveDecodeOptions`. */
export interface DecodeOptions {
  /**
   * Strings as UTF-8 `string`s or as `Buffer`s (a `Buffer` shares memory with the read buffer).
   * @default 'utf8'
   */
  readonly strings: StringMode;
  /**
   * RESP3 maps as null-prototype objects (string keys; a key named `__proto__` is data) or as `Map`s.
   * @default 'object'
   */
  readonly maps: 'object' | 'map';
  /**
   * RESP3 sets as arrays or as `Set`s.
   * @default 'array'
   */
  readonly sets: 'array' | 'set';
  /**
   * Integers as `number` (one outside ±(2^53-1) becomes a `bigint` rather than lose precision)
   * or always as `bigint`.
   * @default 'number'
   */
  readonly integers: 'number' | 'bigint';
  /**
   * RESP3 attributes (`|`) are skipped, or handed to `ReplySink.attribute` before the value.
   * @default 'skip'
   */
  readonly attributes: 'skip' | 'sink';
  /** Hardening limits; enforced identically by `frameLength` and the decoders. */
  readonly limits: RespLimits;
}

/** A streaming decoder: feed it bytes in any chunking, replies come out to the sink in order. */
export interface ReplyDecoder {
  /**
   * Hands over a chunk of bytes. The decoder may keep references to it (buffer-mode values are
   * views into it), so the caller must not modify it afterwards.
   */
  feed(chunk: Uint8Array): void;
  /** Drops any partial reply and clears a protocol error: for a fresh connection. */
  reset(): void;
  /**
   * True while the decoder holds nothing: no byte of an unfinished reply, no reply it has not
   * delivered, no protocol error. Then the next chunk could go to another decoder (the native
   * package's `auto` decoder switches on it). Optional: both fusedis decoders have it.
   */
  readonly idle?: boolean;
}

/** Decode options as callers give them: any subset, limits merged field by field with the defaults. */
export type DecodeOptionsInput = Partial<Omit<DecodeOptions, 'limits'>> & {
  readonly limits?: Partial<RespLimits>;
};

/** Builds a decoder; the JS and the native decoder share this signature. */
export type DecoderFactory = (sink: ReplySink, options?: DecodeOptionsInput) => ReplyDecoder;
