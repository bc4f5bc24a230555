import { resolveDecodeOptions } from './decode-options.js';
import type {
  DecodeOptions,
  DecodeOptionsInput,
  ReplyDecoder,
  ReplySink,
  StringMode,
} from './decoder-contract.js';
import {
  aggregateHeader,
  type DecodedFrame,
  decodeElement,
  decodeFrame,
  decodeInto,
  type ModeDecider,
} from './internal/decode-frame.js';
import { FrameScanner } from './internal/frame-scanner.js';
import { StreamedAggregate } from './internal/streamed-aggregate.js';
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
/** An unfinished reply or element this small is finished from the next chunk's head, not by appending the chunk. */
const SMALL_CUT_SHORT = 1024;

/**
 * The JS streaming decoder.
 *
 * A reply that arrived whole is decoded straight from the chunk, in one pass. A reply cut short
 * is never re-parsed on every chunk (the quadratic trap):
 * - a top-level array, set, push or map is decoded element by element, each element once it is
 *   whole, and delivered with its last element (most large replies: MGET, HGETALL, LRANGE, SCAN);
 * - any other reply, or an element cut short, is gathered in one growing buffer while the
 *   resumable `FrameScanner` walks only the new bytes, and decoded once it is whole.
 *
 *   idle ──chunk──► decode replies in place ──cut short──► aggregate? ──► element by element ─┐
 *     ▲                                          │ no                     (each cut-short    │
 *     │                                          ▼                         element gathered) │
 *     └───────── deliver ◄── decode once whole ◄── gather + scan new bytes                   │
 *     └───────────────────────────────── deliver when the last element is in ◄──────────────┘
 *   any violation ──► poisoned (sink.error once; feed throws until reset())
 */
class JsDecoder implements ReplyDecoder {
  readonly #sink: ReplySink;
  readonly #options: DecodeOptions;
  readonly #scanner: FrameScanner;
  /** Bytes of the unfinished frame or element, `[#start, #end)`; undefined while idle. Never rewritten once filled. */
  #pending: Buffer | undefined;
  #start = 0;
  #end = 0;
  /** The top-level aggregate being decoded element by element, if any. */
  #aggregate: StreamedAggregate | undefined;
  /** Set by `#continueAggregate`: an element starts where it stopped, and is cut short. */
  #elementCutShort = false;
  /** The string mode of the current reply, once decided (asked once per reply). */
  #frameMode: StringMode;
  #frameModeDecided = false;
  /** Asks the sink for the current reply's string mode and remembers it; undefined when the sink has no say. */
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
      return;
    }
    const consumed = this.#finishWithHead(bytes);
    if (consumed >= 0) {
      this.#run(bytes, consumed, bytes.length, false);
    } else {
      this.#append(bytes);
      // Deep inside a large bulk body: nothing to scan or decode until it is all here.
      if (this.#scanner.stillInBody(this.#end - this.#start)) return;
      this.#run(this.#pending, this.#start, this.#end, true);
    }
  }

  /**
   * A small reply or element cut short at the end of the last chunk is usually finished by the
   * first bytes of this one: join just those to it, decode it, and let the rest of the chunk be
   * decoded in place rather than copied behind it. Returns how many bytes of `bytes` it took,
   * or -1 when the head was not enough (the scanner has walked it; the caller appends the chunk).
   */
  #finishWithHead(bytes: Buffer): number {
    const pending = this.#pending as Buffer;
    const live = this.#end - this.#start;
    if (live > SMALL_CUT_SHORT || this.#poisoned !== undefined) return -1;
    const headLength = Math.min(bytes.length, live * 2 + 64);
    const joined = Buffer.allocUnsafe(live + headLength);
    pending.copy(joined, 0, this.#start, this.#end);
    bytes.copy(joined, live, 0, headLength);
    let length: number;
    try {
      length = this.#scanner.scan(joined, 0, joined.length);
    } catch (err) {
      if (!(err instanceof RespProtocolError)) throw err;
      // Too large so far: the rest of the chunk may still hold an earlier grammar error, which wins.
      if (err.reason === 'reply-too-large') return -1;
      this.#poison(err);
      return bytes.length;
    }
    if (length === -1) return -1;
    this.#pending = undefined;
    this.#start = 0;
    this.#end = 0;
    this.#run(joined, 0, length, true, false);
    return this.#poisoned === undefined ? length - live : bytes.length;
  }

  reset(): void {
    this.#pending = undefined;
    this.#start = 0;
    this.#end = 0;
    this.#aggregate = undefined;
    this.#poisoned = undefined;
    this.#scanner.begin();
  }

  /**
   * Decodes every whole reply (or element) in `buf[pos, end)`; keeps the unfinished rest.
   * `chunkEnds`: no more bytes of this chunk follow, so an unfinished reply's size is final for now.
   */
  #run(buf: Buffer, pos: number, end: number, gathering: boolean, chunkEnds = true): void {
    try {
      while (pos < end) {
        const aggregate = this.#aggregate;
        if (aggregate !== undefined) {
          pos = this.#continueAggregate(aggregate, buf, pos, end, gathering);
          gathering = this.#elementCutShort;
          if (gathering) break;
          continue;
        }
        const frame = this.#frame(buf, pos, end, gathering);
        gathering = false;
        if (frame === undefined) {
          if (this.#aggregate !== undefined) {
            pos = this.#aggregate.bytes + pos; // past the header: go on element by element
            continue;
          }
          gathering = true;
          break;
        }
        pos = frame.end;
        this.#deliver(frame.value, frame.push, frame.attributes);
      }
      const aggregate = this.#aggregate;
      if (aggregate !== undefined && !gathering && chunkEnds)
        this.#checkBuffered(aggregate.bytes + end - pos);
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

  /**
   * Decodes the elements of `aggregate` that `buf[pos, end)` holds whole, and delivers the reply
   * with its last one. Returns where it stopped; `#elementCutShort` says whether an element
   * starts there that is cut short (the scanner holds it).
   */
  #continueAggregate(
    aggregate: StreamedAggregate,
    buf: Buffer,
    pos: number,
    end: number,
    gathering: boolean,
  ): number {
    if (!gathering) {
      // Every whole element in one call; then the one cut short, if any, is gathered.
      const next = decodeInto(buf, pos, end, this.#options, this.#frameMode, aggregate);
      aggregate.bytes += next - pos;
      pos = next;
    }
    if (!aggregate.done && pos < end) {
      const element = this.#element(aggregate, buf, pos, end, gathering);
      this.#elementCutShort = element === undefined;
      if (element === undefined) return pos;
      aggregate.bytes += element.end - pos;
      pos = element.end;
      if (element.attributes !== undefined && element.attributes.length > 0) {
        aggregate.addAttributes(element.attributes);
      }
      aggregate.add(element.value);
    }
    this.#elementCutShort = false;
    if (aggregate.done) this.#complete(aggregate);
    return pos;
  }

  #complete(aggregate: StreamedAggregate): void {
    this.#aggregate = undefined;
    this.#deliver(aggregate.value(), aggregate.push, aggregate.attributes);
  }

  /**
   * The top-level reply at `pos`, decoded; or undefined when it is cut short — then either
   * `#aggregate` is set (its header ends `#aggregate.bytes` past `pos`), or the scanner holds it.
   */
  #frame(buf: Buffer, pos: number, end: number, gathering: boolean): DecodedFrame | undefined {
    const options = this.#options;
    if (!gathering) {
      this.#frameModeDecided = false;
      this.#frameMode = options.strings;
      try {
        return decodeFrame(buf, pos, end, options, this.#frameMode, this.#decideMode);
      } catch (err) {
        if (err !== INCOMPLETE) throw err;
      }
      const header = aggregateHeader(buf, pos, end, options);
      if (header !== undefined) {
        this.#aggregate = new StreamedAggregate(header, header.end - pos, options);
        return undefined;
      }
      this.#scanner.begin();
    }
    const length = this.#scanner.scan(buf, pos, end);
    if (length === -1) return undefined;
    const decider = this.#frameModeDecided ? undefined : this.#decideMode;
    return decodeFrame(buf, pos, pos + length, options, this.#frameMode, decider);
  }

  /** The element of `aggregate` at `pos`, cut short in an earlier chunk: decoded once the scanner finds it whole, else undefined. */
  #element(
    aggregate: StreamedAggregate,
    buf: Buffer,
    pos: number,
    end: number,
    gathering: boolean,
  ): DecodedFrame | undefined {
    const options = this.#options;
    if (!gathering) this.#scanner.begin(1, aggregate.bytes);
    const length = this.#scanner.scan(buf, pos, end);
    if (length === -1) return undefined;
    return decodeElement(buf, pos, pos + length, options, this.#frameMode, aggregate.nextIsKey);
  }

  /** An unfinished reply decoded element by element holds `bytes`: refused past maxReplyBytes, as when gathered. */
  #checkBuffered(bytes: number): void {
    const limit = this.#options.limits.maxReplyBytes;
    if (bytes > limit) {
      throw new RespProtocolError(
        'reply-too-large',
        `unfinished reply of ${bytes} bytes exceeds maxReplyBytes ${limit}`,
        bytes,
      );
    }
  }

  #deliver(value: unknown, push: boolean, attributes: unknown[] | undefined): void {
    const sink = this.#sink;
    if (attributes !== undefined && attributes.length > 0 && sink.attribute !== undefined) {
      for (const attribute of attributes) sink.attribute(attribute);
    }
    if (push) sink.push(value as unknown[]);
    else sink.reply(value);
  }

  /** Keeps `buf[pos, end)`, the start of an unfinished frame or element, for the next chunk (the scanner has checked its size). */
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
    // A small rest is finished from the next chunk's head (`#finishWithHead`): no room to grow needed.
    const pending = Buffer.allocUnsafe(live <= SMALL_CUT_SHORT ? live : this.#capacityFor(live));
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
      const grown = Buffer.allocUnsafeSlow(this.#capacityFor(live + bytes.length));
      pending.copy(grown, 0, this.#start, this.#end);
      pending = grown;
      this.#pending = grown;
      this.#start = 0;
      this.#end = live;
    }
    bytes.copy(pending, this.#end);
    this.#end += bytes.length;
  }

  /** Room for `arrived` bytes and what follows: double them, or the size a bulk body announced when close. */
  #capacityFor(arrived: number): number {
    const needed = this.#scanner.needed;
    const capacity = Math.max(MIN_PENDING_BYTES, arrived * 2);
    return needed > capacity && needed <= arrived * MAX_GROWTH_AHEAD ? needed : capacity;
  }

  #poison(err: RespProtocolError): void {
    this.#poisoned = err;
    this.#pending = undefined;
    this.#start = 0;
    this.#end = 0;
    this.#aggregate = undefined;
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
