import { resolveDecodeOptions } from './decode-options.js';
import type {
  DecodeOptions,
  DecodeOptionsInput,
  ReplyDecoder,
  ReplySink,
  StringMode,
} from './decoder-contract.js';
import { type DecodedFrame, decodeFrame, type ModeDecider } from './internal/decode-frame.js';
import { FrameScanner } from './internal/frame-scanner.js';
import { INCOMPLETE } from './internal/wire.js';
import { RespProtocolError } from './resp-protocol-error.js';

/** Smallest buffer kept for an unfinished reply; it then grows by doubling. */
const MIN_PENDING_BYTES = 16 * 1024;
/**
 * When a bulk body announces how many bytes the frame needs, the buffer grows to that size at
 * once — if it is at most this many times what has arrived, so a few bytes announcing a huge
 * body cannot make the decoder allocate it (the limit `maxReplyBytes` bounds it anyway).
 */
const MAX_GROWTH_AHEAD = 8;

/**
 * The JS streaming decoder.
 *
 * A frame that arrived whole is decoded straight from the chunk, in one pass. A frame cut short
 * is not re-parsed on every chunk (the quadratic trap): its bytes are gathered in one growing
 * buffer while the resumable `FrameScanner` walks only the new bytes, and the frame is decoded
 * once, when the scanner says it is whole.
 *
 *   idle ──chunk──► decode frames in place ──cut short──► gathering (scan new bytes per chunk)
 *     ▲                                                        │ whole
 *     └────────────────────── decode it, go on ◄───────────────┘
 *   any violation ──► poisoned (sink.error once; feed throws until reset())
 */
class JsDecoder implements ReplyDecoder {
  readonly #sink: ReplySink;
  readonly #options: DecodeOptions;
  readonly #scanner: FrameScanner;
  /** Bytes of the unfinished frame, `[#start, #end)`; undefined while idle. Never rewritten once filled. */
  #pending: Buffer | undefined;
  #start = 0;
  #end = 0;
  /** The string mode of the current frame, once decided (asked once per frame). */
  #frameMode: StringMode;
  #frameModeDecided = false;
  /** Asks the sink for the current frame's string mode and remembers it; undefined when the sink has no say. */
  readonly #decideMode: ModeDecider | undefined;
  #poisoned: RespProtocolError | undefined;

  constructor(sink: ReplySink, options: DecodeOptions) {
    this.#sink = sink;
    this.#options = options;
    this.#scanner = new FrameScanner(options.limits);
    this.#frameMode = options.strings;
    const stringMode = sink.stringMode?.bind(sink);
    this.#decideMode =
      stringMode === undefined
        ? undefined
        : (kind) => {
            this.#frameModeDecided = true;
            this.#frameMode = stringMode(kind);
            return this.#frameMode;
          };
  }

  feed(chunk: Uint8Array): void {
    if (this.#poisoned !== undefined) {
      throw new RespProtocolError(
        'decoder-poisoned',
        'input after a protocol error; call reset() first',
        -1,
        {
          cause: this.#poisoned,
        },
      );
    }
    if (chunk.length === 0) return;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#pending === undefined) {
      this.#run(bytes, 0, bytes.length, false);
    } else {
      this.#append(bytes);
      this.#run(this.#pending, this.#start, this.#end, true);
    }
  }

  reset(): void {
    this.#pending = undefined;
    this.#start = 0;
    this.#end = 0;
    this.#poisoned = undefined;
    this.#scanner.begin();
  }

  /** Decodes every whole frame in `buf[pos, end)`; keeps the unfinished rest. */
  #run(buf: Buffer, pos: number, end: number, gathering: boolean): void {
    const options = this.#options;
    let frame: DecodedFrame | undefined;
    try {
      while (pos < end) {
        if (!gathering) {
          this.#frameModeDecided = false;
          this.#frameMode = options.strings;
          try {
            frame = decodeFrame(buf, pos, end, options, this.#frameMode, this.#decideMode);
          } catch (err) {
            if (err !== INCOMPLETE) throw err;
            gathering = true;
            this.#scanner.begin();
          }
        }
        if (gathering) {
          const length = this.#scanner.scan(buf, pos, end);
          if (length === -1) break;
          gathering = false;
          const decider = this.#frameModeDecided ? undefined : this.#decideMode;
          frame = decodeFrame(buf, pos, pos + length, options, this.#frameMode, decider);
        }
        const done = frame as DecodedFrame;
        pos = done.end;
        this.#deliver(done);
      }
    } catch (err) {
      if (!(err instanceof RespProtocolError)) {
        // The sink threw: keep what is left so the stream stays consistent, and let it propagate.
        this.#keep(buf, pos, end);
        throw err;
      }
      this.#poison(err);
      return;
    }
    this.#keep(buf, pos, end);
  }

  #deliver(frame: DecodedFrame): void {
    const sink = this.#sink;
    const value = frame.value;
    const push = frame.push;
    const attributes = frame.attributes;
    if (attributes !== undefined && attributes.length > 0 && sink.attribute !== undefined) {
      for (const attribute of attributes) sink.attribute(attribute);
    }
    if (push) sink.push(value as unknown[]);
    else sink.reply(value);
  }

  /** Keeps `buf[pos, end)`, the start of an unfinished frame, for the next chunk (the scanner has checked its size). */
  #keep(buf: Buffer, pos: number, end: number): void {
    const live = end - pos;
    if (live === 0) {
      this.#pending = undefined;
      this.#start = 0;
      this.#end = 0;
      return;
    }
    if (buf === this.#pending) {
      this.#start = pos;
      return;
    }
    const needed = this.#scanner.needed;
    let capacity = Math.max(MIN_PENDING_BYTES, live * 2);
    if (needed > capacity && needed <= live * MAX_GROWTH_AHEAD) capacity = needed;
    const pending = Buffer.allocUnsafe(capacity);
    buf.copy(pending, 0, pos, end);
    this.#pending = pending;
    this.#start = 0;
    this.#end = live;
  }

  /** Appends a chunk to the unfinished frame; grows into a new buffer, so views already handed out stay intact. */
  #append(bytes: Buffer): void {
    let pending = this.#pending as Buffer;
    if (this.#end + bytes.length > pending.length) {
      const live = this.#end - this.#start;
      const arrived = live + bytes.length;
      const needed = this.#scanner.needed;
      let capacity = Math.max(arrived, pending.length * 2);
      if (needed > capacity && needed <= arrived * MAX_GROWTH_AHEAD) capacity = needed;
      const grown = Buffer.allocUnsafeSlow(capacity);
      pending.copy(grown, 0, this.#start, this.#end);
      pending = grown;
      this.#pending = grown;
      this.#start = 0;
      this.#end = live;
    }
    bytes.copy(pending, this.#end);
    this.#end += bytes.length;
  }

  #poison(err: RespProtocolError): void {
    this.#poisoned = err;
    this.#pending = undefined;
    this.#start = 0;
    this.#end = 0;
    this.#sink.error(err);
  }
}

/**
 * Creates the JS streaming decoder: any chunking in, replies out to `sink` in order.
 * See `DecodeOptions` for how values are shaped and limited.
 */
export function createJsDecoder(sink: ReplySink, options?: DecodeOptionsInput): ReplyDecoder {
  return new JsDecoder(sink, resolveDecodeOptions(options));
}
