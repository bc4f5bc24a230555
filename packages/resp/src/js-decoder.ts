import { resolveDecodeOptions } from './decode-options.js';
import { checkChunk, checkReplySink } from './decoder-arguments.js';
import type {
  DecodeOptions,
  DecodeOptionsInput,
  ReplyDecoder,
  ReplyMode,
  ReplySink,
} from './decoder-contract.js';
import {
  type DecodedFrame,
  decodeFrame,
  decodeListElements,
  frameScanStarted,
  type ModeDecider,
  releaseDecoded,
} from './internal/decode-frame.js';
import { checkUnfinished, FrameScanner } from './internal/frame-scanner.js';
import { StreamedList } from './internal/streamed-list.js';
import { STREAMED_TEXT_MIN_BYTES, StreamedText } from './internal/streamed-text.js';
import { ARRAY, BULK_STRING, INCOMPLETE, PUSH, SET, simpleLength, simpleLengthCr } from './internal/wire.js';
import { RespProtocolError } from './resp-protocol-error.js';

/** Smallest buffer kept for an unfinished reply; it then grows by doubling. */
const MIN_PENDING_BYTES = 16 * 1024;
/**
 * When a bulk body announces how many bytes the frame needs, the buffer grows to that size at
 * once — if it is at most this many times what has arrived, so a few bytes announcing a huge
 * body cannot make the decoder allocate it (the limit `maxReplyBytes` bounds it anyway).
 */
const MAX_GROWTH_AHEAD = 8;
/** The empty rest of a streamed list cut at an element boundary (never written: appending grows). */
const NO_BYTES = Buffer.alloc(0);
/** An unfinished reply this small is finished from the next chunk's head, not by appending the chunk. */
const SMALL_CUT_SHORT = 1024;

/**
 * The JS streaming decoder.
 *
 * A reply that arrived whole is decoded straight from the chunk, in one pass. A reply cut short
 * is never re-parsed on every chunk (the quadratic trap): its bytes are gathered while the
 * resumable `FrameScanner` walks only the new ones, and it is decoded once, when whole. A small
 * rest is finished from the head of the next chunk, so the rest of that chunk is decoded in place
 * rather than copied; the chunks of a large bulk body are held as they are, unscanned, and joined
 * once.
 *
 * A large top-level list (`*`, `~`, `>`) cut short is streamed instead: its whole elements are
 * decoded as they arrive and their bytes dropped, the element cut short is scanned as it arrives
 * and decoded once whole, and the list is delivered after its last element. Memory stays at the
 * values plus one element's bytes, and whole elements are walked once, not scanned then decoded.
 * (An earlier element-by-element attempt re-decoded the cut element from its start and threw per
 * chunk, and lost to gathering; scanning the cut element is what makes this one pay.)
 *
 * A large top-level bulk string wanted as text and cut short is decoded as it arrives, a piece at
 * a time (`StreamedText`): no chunk held, no joined copy of the body.
 *
 *   idle ──chunk──► decode replies in place ──cut short──► gathering (scan new bytes per chunk)
 *     ▲                 │ large list cut short                 │ whole
 *     │                 └──► streaming (decode whole elements, │
 *     │                      scan the cut one) ──last element──┤
 *     └────────────────────── deliver it, go on ◄──────────────┘
 *   any violation ──► poisoned (sink.error once; feed throws until reset())
 */
class JsDecoder implements ReplyDecoder {
  /**
   * Keeps the hidden class alive (README, "Hidden classes kept alive"): a process that closed its
   * last connection, or a benchmark making a decoder per run, lost `feed`'s optimized code to the
   * next full GC.
   */
  static readonly kept: JsDecoder = new JsDecoder(
    { reply: ignore, push: ignore, error: ignore, replyMode: () => 'utf8' },
    resolveDecodeOptions(undefined),
  );

  readonly #sink: ReplySink;
  readonly #options: DecodeOptions;
  readonly #scanner: FrameScanner;
  /** Bytes of the unfinished reply, `[#start, #end)`; undefined while idle. Never rewritten once filled. */
  #pending: Buffer | undefined;
  #start = 0;
  #end = 0;
  /** Chunks that arrived inside a large bulk body, after `#pending`'s bytes: joined once, when whole. */
  #held: Buffer[] = [];
  #heldBytes = 0;
  /** The mode of the current reply, once decided (asked once per reply); undefined before. */
  #frameMode: ReplyMode | undefined;
  /** Asks the sink for the current reply's mode and remembers it; undefined when the sink has no say. */
  readonly #decideMode: ModeDecider | undefined;
  #poisoned: RespProtocolError | undefined;
  /** The top-level list being decoded element by element as it arrives, if any. */
  #list: StreamedList | undefined;
  /** The large top-level bulk string being decoded into text as it arrives, if any. */
  #text: StreamedText | undefined;
  /** Where `#frame` left a list it started streaming: the first byte not yet decoded. */
  #listResume = 0;
  /**
   * A sink threw: the bytes kept start at a frame boundary and may hold whole frames not yet
   * delivered, so the next feed decodes them in place before anything else.
   */
  #rescan = false;
  /**
   * `#pending` was allocated while a text-mode list streamed, so no value views its bytes and it
   * may be reused in place. (One that held earlier replies may be viewed by buffer-mode values.)
   */
  #pendingReusable = false;

  constructor(sink: ReplySink, options: DecodeOptions) {
    this.#sink = sink;
    this.#options = options;
    this.#scanner = new FrameScanner(options.limits);
    const stringMode = (sink.replyMode ?? sink.stringMode)?.bind(sink);
    this.#decideMode =
      stringMode === undefined
        ? undefined
        : (kind) => {
            const mode = stringMode(kind);
            this.#frameMode = mode;
            return mode;
          };
  }

  feed(chunk: Uint8Array): void {
    checkChunk(chunk);
    try {
      this.#feed(chunk);
    } finally {
      releaseDecoded();
    }
  }

  #feed(chunk: Uint8Array): void {
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
    if (this.#text !== undefined) {
      this.#continueText(bytes);
      return;
    }
    if (this.#pending === undefined) {
      this.#rescan = false;
      this.#run(bytes, 0, bytes.length, false);
      return;
    }
    if (this.#rescan) {
      this.#rescan = false;
      this.#append(bytes);
      this.#run(this.#pending as Buffer, this.#start, this.#end, false);
      return;
    }
    if (this.#list !== undefined) {
      this.#append(bytes);
      this.#continueList();
      return;
    }
    const consumed = this.#held.length === 0 ? this.#finishWithHead(bytes) : -1;
    if (consumed >= 0) {
      this.#run(bytes, consumed, bytes.length, false);
      return;
    }
    // Deep inside a large bulk body: hold the chunk as it is, and join them all once, when whole.
    const buffered = this.#end - this.#start + this.#heldBytes + bytes.length;
    if (this.#scanner.stillInBody(buffered)) {
      if (this.#held.length === 0 && this.#startText(bytes)) return;
      this.#held.push(bytes);
      this.#heldBytes += bytes.length;
      return;
    }
    if (this.#held.length > 0) this.#joinHeld(bytes);
    else this.#append(bytes);
    const pending = this.#pending as Buffer;
    let started: boolean;
    try {
      started = this.#startList(pending, this.#start, this.#end);
    } catch (err) {
      if (!(err instanceof RespProtocolError)) throw err;
      this.#poison(err);
      return;
    }
    if (started) {
      this.#start = this.#listResume;
      this.#continueList();
      return;
    }
    this.#run(pending, this.#start, this.#end, true);
  }

  /**
   * At a top-level list cut short: starts decoding it element by element, when it is worth it
   * (more than a small rest has arrived, and its reply is not wanted as bytes). Decodes the whole
   * elements of `buf[pos, end)` and sets `#listResume` past them. False: gather it as usual.
   */
  #startList(buf: Buffer, pos: number, end: number): boolean {
    const type = buf[pos];
    if ((type !== ARRAY && type !== SET && type !== PUSH) || end - pos <= SMALL_CUT_SHORT) return false;
    const count = simpleLength(buf, pos, end);
    if (count < 0) return false; // a null or an unusual header: the general path
    const options = this.#options;
    const body = simpleLengthCr + 2;
    const mode = this.#frameMode ?? options.strings;
    if (mode === 'frame') return false; // wanted as bytes: gathered whole
    this.#list = new StreamedList(
      type,
      count,
      body - pos,
      mode,
      options.attributes === 'sink' ? [] : undefined,
    );
    this.#scanner.begin();
    this.#listResume = this.#listStep(buf, body, end);
    return true;
  }

  /**
   * Decodes the whole elements `buf[from, end)` holds; returns the first byte not yet decoded.
   * Elements that start at least the largest element's size before `end` are decoded at once
   * (almost always whole); each one after them is scanned first and decoded once whole, so the
   * element a chunk cuts short is found without a throw. Its scan resumes with the next bytes
   * (each byte once, and a broken one is reported as soon as the broken bytes are in, as when
   * gathering): it is never decoded again from its start with every chunk.
   */
  #listStep(buf: Buffer, from: number, end: number): number {
    const list = this.#list as StreamedList;
    const options = this.#options;
    let at = from;
    for (;;) {
      // Whole already (its last element may have come with the bytes that started it): what
      // follows is the next reply, not an element.
      if (list.whole) return at;
      if (list.scanning) {
        const frameEnd = this.#scanner.scan(buf, at - list.consumed, end);
        if (frameEnd === -1) return this.#listIncomplete(list, at, end);
        list.scanning = false;
        const elementEnd = at + frameEnd - list.consumed;
        const filled = list.filled;
        at = decodeListElements(buf, at, elementEnd, options, list.mode, list, filled + 1, end);
        // The scanner found a whole element here, so decoding it must take it. If the two ever
        // disagree (a bug), fail loudly: the loop would otherwise spin on the same bytes forever.
        if (list.filled === filled) throw new Error(`@fusedis/resp: list decoding made no progress (${at})`);
        if (list.whole) return at;
      }
      const before = end - list.largest;
      if (at < before) {
        at = decodeListElements(buf, at, end, options, list.mode, list, list.count, before);
        if (list.whole) return at;
      }
      if (at === end) return at;
      list.scanning = true;
      this.#scanner.begin(1, list.consumed);
    }
  }

  /** Still unfinished: the limit on what one reply may buffer holds for the whole frame. */
  #listIncomplete(list: StreamedList, at: number, end: number): number {
    checkUnfinished(list.consumed + (end - at), this.#options.limits);
    return at;
  }

  /** More bytes of the streamed list arrived in `#pending`: decode them; deliver it once whole, then go on. */
  #continueList(): void {
    const pending = this.#pending as Buffer;
    const end = this.#end;
    let at: number;
    try {
      at = this.#listStep(pending, this.#start, end);
    } catch (err) {
      if (!(err instanceof RespProtocolError)) throw err;
      this.#poison(err);
      return;
    }
    this.#start = at;
    const list = this.#wholeList();
    if (list === undefined) return;
    try {
      this.#deliver(list.value(this.#options.sets), list.type === PUSH, list.attributes);
    } catch (err) {
      this.#keep(pending, at, end);
      this.#rescan = true;
      throw err;
    }
    this.#run(pending, at, end, false);
  }

  /**
   * Inside the body of the unfinished reply, which `bytes` does not finish: if it is a large
   * top-level bulk string wanted as text, starts decoding it as it arrives (`StreamedText`), from
   * the bytes kept and `bytes`. False: hold the chunks as usual.
   */
  #startText(bytes: Buffer): boolean {
    const pending = this.#pending as Buffer;
    const start = this.#start;
    if (pending[start] !== BULK_STRING) return false;
    const length = simpleLength(pending, start, this.#end);
    if (length < STREAMED_TEXT_MIN_BYTES) return false;
    const headerBytes = simpleLengthCr + 2 - start;
    // A frame over the size limit fails as it grows, on the usual path.
    if (headerBytes + length + 2 > this.#options.limits.maxReplyBytes) return false;
    // A sink with a say was asked when the frame's first byte was decoded (`#frameMode`).
    if ((this.#frameMode ?? this.#options.strings) !== 'utf8') return false;
    const text = new StreamedText(length, headerBytes);
    text.take(pending, start + headerBytes, this.#end);
    text.take(bytes, 0, bytes.length);
    this.#text = text;
    this.#pending = undefined;
    this.#start = 0;
    this.#end = 0;
    return true;
  }

  /** More bytes of the streamed text: take them; deliver it once whole, then decode what follows. */
  #continueText(bytes: Buffer): void {
    const text = this.#text as StreamedText;
    let at: number;
    try {
      at = text.take(bytes, 0, bytes.length);
    } catch (err) {
      if (!(err instanceof RespProtocolError)) throw err;
      this.#poison(err);
      return;
    }
    if (!text.done) return;
    this.#text = undefined;
    this.#scanner.begin();
    this.#frameMode = undefined;
    try {
      this.#deliver(text.value(), false, undefined);
    } catch (err) {
      this.#keep(bytes, at, bytes.length);
      this.#rescan = true;
      throw err;
    }
    this.#run(bytes, at, bytes.length, false);
  }

  /** Joins the unfinished frame, the chunks held while its body arrived, and `bytes`, in one copy. */
  #joinHeld(bytes: Buffer): void {
    const pending = this.#pending as Buffer;
    const live = this.#end - this.#start;
    const joined = Buffer.allocUnsafeSlow(live + this.#heldBytes + bytes.length);
    // TypedArray#set, not Buffer#copy: the latter's per-call checks cost ~1 µs, times tens of thousands of chunks.
    joined.set(pending.subarray(this.#start, this.#end), 0);
    let at = live;
    for (const chunk of this.#held) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    joined.set(bytes, at);
    this.#pending = joined;
    this.#start = 0;
    this.#end = joined.length;
    this.#held = [];
    this.#heldBytes = 0;
  }

  /**
   * A small reply cut short at the end of the last chunk is usually finished by the
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
    try {
      this.#run(joined, 0, length, true);
    } catch (err) {
      // The sink threw: #run kept what it had not delivered of the joined frame; the rest of this
      // chunk follows it, for the next feed to decode in place.
      if (this.#pending === undefined) this.#keep(bytes, length - live, bytes.length);
      else this.#append(bytes.subarray(length - live));
      throw err;
    }
    return this.#poisoned === undefined ? length - live : bytes.length;
  }

  /** See `ReplyDecoder.idle`. */
  get idle(): boolean {
    return (
      this.#pending === undefined &&
      this.#poisoned === undefined &&
      this.#list === undefined &&
      this.#text === undefined &&
      this.#held.length === 0
    );
  }

  reset(): void {
    this.#list = undefined;
    this.#text = undefined;
    this.#pendingReusable = false;
    this.#rescan = false;
    this.#held = [];
    this.#heldBytes = 0;
    this.#pending = undefined;
    this.#start = 0;
    this.#end = 0;
    this.#poisoned = undefined;
    this.#scanner.begin();
  }

  /**
   * Decodes every whole reply in `buf[pos, end)`; keeps the unfinished rest. `gathering`: the
   * reply at `pos` was cut short before and the scanner holds its progress.
   */
  #run(buf: Buffer, pos: number, end: number, gathering: boolean): void {
    try {
      while (pos < end) {
        const frame = this.#frame(buf, pos, end, gathering);
        gathering = false;
        if (frame === undefined) {
          if (this.#list !== undefined) pos = this.#listResume;
          break;
        }
        pos = frame.end;
        this.#deliver(frame.value, frame.push, frame.attributes);
      }
    } catch (err) {
      if (!(err instanceof RespProtocolError)) {
        // The sink threw: keep what is left so the stream stays consistent, and let it propagate.
        // The rest starts at a whole frame boundary; the scanner may hold another frame's state.
        this.#scanner.begin();
        this.#keep(buf, pos, end);
        this.#rescan = true;
        throw err;
      }
      this.#poison(err);
      return;
    }
    this.#keep(buf, pos, end);
  }

  /** The reply at `pos`, decoded; or undefined when it is cut short (the scanner holds its progress). */
  #frame(buf: Buffer, pos: number, end: number, gathering: boolean): DecodedFrame | undefined {
    const options = this.#options;
    if (!gathering) {
      this.#frameMode = undefined;
      try {
        return decodeFrame(buf, pos, end, options, undefined, this.#decideMode, this.#scanner, false);
      } catch (err) {
        if (err !== INCOMPLETE) throw err;
      }
      if (this.#startList(buf, pos, end)) return this.#streamedWhole();
      // A cut-short frame-mode reply was already scanned as far as it goes: resume from there.
      if (!frameScanStarted()) this.#scanner.begin();
    }
    const length = this.#scanner.scan(buf, pos, end);
    if (length === -1) return undefined;
    const decided = this.#frameMode;
    const decider = decided === undefined ? this.#decideMode : undefined;
    // The scanner has just walked this whole frame: a frame-mode reply needs no second scan.
    return decodeFrame(buf, pos, pos + length, options, decided, decider, this.#scanner, true);
  }

  /**
   * The list `#startList` just began, as a frame when the bytes at hand held all of it (a list
   * `decodeFrame` only guessed was cut short: its later elements were smaller than its first);
   * undefined while it is unfinished.
   */
  #streamedWhole(): DecodedFrame | undefined {
    const list = this.#wholeList();
    if (list === undefined) return undefined;
    const value = list.value(this.#options.sets);
    return { value, end: this.#listResume, push: list.type === PUSH, attributes: list.attributes };
  }

  /** The streamed list, let go of, once its last element is in (the next reply starts afresh); else undefined. */
  #wholeList(): StreamedList | undefined {
    const list = this.#list as StreamedList;
    if (!list.whole) return undefined;
    this.#list = undefined;
    this.#pendingReusable = false;
    this.#scanner.begin();
    this.#frameMode = undefined;
    return list;
  }

  #deliver(value: unknown, push: boolean, attributes: unknown[] | undefined): void {
    const sink = this.#sink;
    if (attributes !== undefined && attributes.length > 0 && sink.attribute !== undefined) {
      for (const attribute of attributes) sink.attribute(attribute);
    }
    if (push) sink.push(value as unknown[]);
    else sink.reply(value);
  }

  /** Keeps `buf[pos, end)`, the start of an unfinished reply, for the next chunk (the scanner has checked its size). */
  #keep(buf: Buffer, pos: number, end: number): void {
    const live = end - pos;
    if (live === 0 && this.#list !== undefined) {
      // A streamed list cut at an element boundary: nothing to keep, but the list goes on.
      this.#pending = NO_BYTES;
      this.#start = 0;
      this.#end = 0;
      return;
    }
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
    // Only this rest is in it: reusable while a text-mode list streams (see `#pendingReusable`).
    this.#pendingReusable = this.#list?.mode === 'utf8' && live > SMALL_CUT_SHORT;
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
      if (this.#pendingReusable && this.#list !== undefined && live + bytes.length <= pending.length) {
        // A streamed list of text views no byte of this buffer: slide the rest down and reuse it,
        // rather than allocate a buffer every few chunks.
        pending.copyWithin(0, this.#start, this.#end);
        this.#start = 0;
        this.#end = live;
        pending.set(bytes, live);
        this.#end += bytes.length;
        return;
      }
      const grown = Buffer.allocUnsafeSlow(this.#capacityFor(live + bytes.length));
      this.#pendingReusable = this.#list?.mode === 'utf8';
      pending.copy(grown, 0, this.#start, this.#end);
      pending = grown;
      this.#pending = grown;
      this.#start = 0;
      this.#end = live;
    }
    pending.set(bytes, this.#end);
    this.#end += bytes.length;
  }

  /** Room for `arrived` bytes and what follows: double them, or the size a bulk body announced when close. */
  #capacityFor(arrived: number): number {
    // While a streamed list's element is scanned, the scanner counts from the frame's dropped start.
    const needed = this.#scanner.needed - (this.#list === undefined ? 0 : this.#list.consumed);
    const capacity = Math.max(MIN_PENDING_BYTES, arrived * 2);
    return needed > capacity && needed <= arrived * MAX_GROWTH_AHEAD ? needed : capacity;
  }

  #poison(err: RespProtocolError): void {
    this.#poisoned = err;
    this.#list = undefined;
    this.#text = undefined;
    this.#pendingReusable = false;
    this.#held = [];
    this.#heldBytes = 0;
    this.#pending = undefined;
    this.#start = 0;
    this.#end = 0;
    this.#sink.error(err);
  }
}

function ignore(): void {}

/**
 * Creates the JS streaming decoder: any chunking in, replies out to `sink` in order.
 * See `DecodeOptions` for how values are shaped and limited.
 */
export function createJsDecoder(sink: ReplySink, options?: DecodeOptionsInput): ReplyDecoder {
  checkReplySink(sink);
  return new JsDecoder(sink, resolveDecodeOptions(options));
}
