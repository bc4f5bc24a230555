import {
  checkChunk,
  checkReplySink,
  type DecodeOptions,
  type DecodeOptionsInput,
  InvalidArgumentError,
  type ReplyDecoder,
  ReplyError,
  type ReplySink,
  RespProtocolError,
  type RespProtocolErrorReason,
  resolveDecodeOptions,
  utf8Text,
} from '@fusedis/resp';
import { IGNORING_SINK, KEPT } from './kept-instances.js';
import type { NativeBinding, NativeDecoderHandle } from './load-binding.js';

/** Option bits of the native constructor (`src/lib.rs`). */
const STRINGS_BUFFER = 1;
const MAPS_MAP = 2;
const SETS_SET = 4;
const INTEGERS_BIGINT = 8;
const ATTRIBUTES_SINK = 16;

/** Slots of the hooks array: the JS helpers Rust calls (`Hook` in `src/js.rs`)… */
const HOOK = {
  StringMode: 0,
  NullObject: 1,
  KeyText: 2,
  ReplyError: 3,
  MakeMap: 4,
  MakeSet: 5,
  BigInt: 6,
  ArrayOf: 7,
  Fill: 8,
  ObjectOf: 9,
  Ends: 10,
  FillRun: 11,
  FillObjectRun: 12,
  Text: 13,
  Numbers: 14,
  Deliver: 15,
  FillTextRun: 16,
} as const;
/** …then where a streamed list keeps its state between feeds (`Stash`). */
const STASH_LIST = 17;
const STASH_ATTRIBUTES = 18;
const HOOK_SLOTS = 19;

/** Kinds of output (`src/decoder.rs`). */
const KIND_REPLY = 0;
const KIND_PUSH = 1;
const KIND_ATTRIBUTE = 2;
const KIND_ERROR = 3;

/** `String(key)`, except that a null-prototype object (which `String()` cannot convert) reads as an object: as the JS decoder does. */
function keyText(key: unknown): string {
  if (Array.isArray(key))
    return key.map((item) => (item === null || item === undefined ? '' : keyText(item))).join(',');
  if (typeof key === 'object' && key !== null && Object.getPrototypeOf(key) === null)
    return '[object Object]';
  return String(key);
}

const nullObject = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;
const replyError = (message: string): ReplyError => new ReplyError(message);
const makeSet = (items: unknown[]): Set<unknown> => new Set(items);
const arrayOf = (...items: unknown[]): unknown[] => items;
function fill(array: unknown[], at: number, ...items: unknown[]): void {
  // Sized once rather than grown by the stores (a dozen times per feed of small replies); the
  // same length the stores would leave.
  const length = at + items.length;
  if (array.length < length) array.length = length;
  for (let i = 0; i < items.length; i++) array[at + i] = items[i];
}
function objectOf(...entries: unknown[]): Record<string, unknown> {
  // No prototype: a key named __proto__ is an own data property, never a prototype change.
  const object = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < entries.length; i += 2) object[entries[i] as string] = entries[i + 1];
  return object;
}
/** `ends` entry of a run element that is a value passed along rather than a slice of the run's text. */
const VALUE = 0xffffffff;
/** `ends` entry: the element is the run's next number (`NUMBER` in `values.rs`). */
const NUMBER = 0xfffffffe;
/** `ends` entry `ROW + k`: the element is an array of the next `k` entries (`ROW` in `values.rs`). */
const ROW = 0xffff0000;
/** Elements in a run, longest row, longest string whose bytes go into a run's text (`values.rs`). */
const RUN = 512;
const ROW_MAX = 8;
const SLICE_MAX = 24;
/** Where each element of the run being stored ends in its text (written by Rust; see `values.rs`). */
const ends = new Uint32Array(RUN * (1 + ROW_MAX));
/**
 * The run's text: its short ASCII strings' bytes, back to back (written by Rust). Each string is
 * built from its bytes here, with `String.fromCharCode`: cheaper than a Node-API string each.
 */
const text = Buffer.allocUnsafeSlow(RUN * ROW_MAX * SLICE_MAX);
/** The run's integers that become numbers, in order (written by Rust): no Node-API value each. */
const numbers = new Float64Array(RUN * ROW_MAX);
/** Reads a run's `ends` and text, in order (one reader per run: no state between runs). */
let entry = 0;
let textStart = 0;
let nextValue = 0;
let nextNumber = 0;
function runItem(values: unknown[]): unknown {
  const end = ends[entry++] as number;
  if (end === VALUE) return values[nextValue++];
  if (end === NUMBER) return numbers[nextNumber++];
  if (end >= ROW) {
    const row = new Array<unknown>(end - ROW);
    for (let j = 0; j < row.length; j++) row[j] = runItem(values);
    return row;
  }
  const item = utf8Text(text, textStart, end);
  textStart = end;
  return item;
}
/** Starts reading a new run from its first entry. */
function beginRun(): void {
  entry = 0;
  textStart = 0;
  nextValue = 0;
  nextNumber = 0;
}
function fillRun(array: unknown[], at: number, count: number, ...values: unknown[]): void {
  beginRun();
  for (let i = 0; i < count; i++) array[at + i] = runItem(values);
}
/** A run of text slices alone (Rust checked): no entry to tell apart, so a plain loop. */
function fillTextRun(array: unknown[], at: number, count: number): void {
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = ends[i] as number;
    array[at + i] = utf8Text(text, start, end);
    start = end;
  }
}
/** `count` entries, keys and values alternating (an even count: a run never splits an entry). */
function fillObjectRun(object: Record<string, unknown>, count: number, ...values: unknown[]): void {
  beginRun();
  for (let i = 0; i < count; i += 2) {
    const key = runItem(values) as string;
    object[key] = runItem(values);
  }
}
function makeMap(flat: unknown[]): Map<unknown, unknown> {
  const map = new Map<unknown, unknown>();
  for (let i = 0; i < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
  return map;
}

/** The hooks every decoder shares, in their slots; each decoder adds its own `StringMode` and `Deliver`. */
const SHARED_HOOKS: unknown[] = new Array<unknown>(HOOK_SLOTS).fill(undefined);
SHARED_HOOKS[HOOK.NullObject] = nullObject;
SHARED_HOOKS[HOOK.KeyText] = keyText;
SHARED_HOOKS[HOOK.ReplyError] = replyError;
SHARED_HOOKS[HOOK.MakeMap] = makeMap;
SHARED_HOOKS[HOOK.MakeSet] = makeSet;
SHARED_HOOKS[HOOK.BigInt] = BigInt;
SHARED_HOOKS[HOOK.ArrayOf] = arrayOf;
SHARED_HOOKS[HOOK.Fill] = fill;
SHARED_HOOKS[HOOK.ObjectOf] = objectOf;
SHARED_HOOKS[HOOK.Ends] = ends;
SHARED_HOOKS[HOOK.FillRun] = fillRun;
SHARED_HOOKS[HOOK.FillObjectRun] = fillObjectRun;
SHARED_HOOKS[HOOK.Text] = text;
SHARED_HOOKS[HOOK.Numbers] = numbers;
SHARED_HOOKS[HOOK.FillTextRun] = fillTextRun;

/**
 * The numbers above that Rust must agree with, named as `wireLayout()` names them (`src/layout.rs`);
 * `test/unit/layout.test.ts` compares the two. Read by nothing else.
 */
export const NATIVE_DECODER_LAYOUT: Readonly<Record<string, number>> = {
  ...Object.fromEntries(Object.entries(HOOK).map(([name, slot]) => [`hook.${name}`, slot])),
  'stash.List': STASH_LIST,
  'stash.Attributes': STASH_ATTRIBUTES,
  hookSlots: HOOK_SLOTS,
  'flag.STRINGS_BUFFER': STRINGS_BUFFER,
  'flag.MAPS_MAP': MAPS_MAP,
  'flag.SETS_SET': SETS_SET,
  'flag.INTEGERS_BIGINT': INTEGERS_BIGINT,
  'flag.ATTRIBUTES_SINK': ATTRIBUTES_SINK,
  'kind.REPLY': KIND_REPLY,
  'kind.PUSH': KIND_PUSH,
  'kind.ATTRIBUTE': KIND_ATTRIBUTE,
  'kind.ERROR': KIND_ERROR,
  'run.RUN': RUN,
  'run.ROW_MAX': ROW_MAX,
  'run.SLICE_MAX': SLICE_MAX,
  'run.VALUE': VALUE,
  'run.NUMBER': NUMBER,
  'run.ROW': ROW,
};

/** Values of one batch the sink has not taken yet, because it threw while taking an earlier one. */
interface Backlog {
  readonly out: unknown[];
  readonly kinds: readonly number[] | undefined;
  next: number;
}

/**
 * The JS face of the native decoder: one `feed` crosses into Rust once, which returns the batch
 * of finished replies (built natively, as resp's own values and classes); this hands them to the
 * sink. A sink with `stringMode` must be asked only once the reply before was delivered (a
 * client matches replies to its queue of commands): then the replies built so far ride along with
 * each `stringMode` call, and are delivered first.
 */
class NativeReplyDecoder implements ReplyDecoder {
  readonly #sink: ReplySink;
  readonly #native: NativeDecoderHandle;
  readonly #feedNative: NativeBinding['feedDecoder'];
  /**
   * The JS helpers Rust calls, by index; then two slots where Rust keeps a large list it is
   * building as the bytes arrive, and its attribute maps (`STASH_LIST`, `STASH_ATTRIBUTES`).
   */
  readonly #hooks: unknown[];
  readonly #decide: boolean;
  #poisoned: RespProtocolError | undefined;
  #busy = false;
  #backlog: Backlog | undefined;
  /**
   * Inside a large bulk body, chunks are held here, not handed over one by one: Rust said how many
   * more bytes cannot complete the body (`#allowance`), and one crossing then takes them all.
   */
  #held: Uint8Array[] = noChunks();
  #heldBytes = 0;
  #allowance = 0;
  /**
   * What the last feed said Rust holds: part of a reply (true: it finished none, or its batch's
   * slot 0 said so), nothing (false), or unknown (undefined: `idle` asks Rust).
   */
  #rustHolds: boolean | undefined = false;

  constructor(binding: NativeBinding, sink: ReplySink, options: DecodeOptions) {
    this.#sink = sink;
    const flags =
      (options.strings === 'buffer' ? STRINGS_BUFFER : 0) |
      (options.maps === 'map' ? MAPS_MAP : 0) |
      (options.sets === 'set' ? SETS_SET : 0) |
      (options.integers === 'bigint' ? INTEGERS_BIGINT : 0) |
      (options.attributes === 'sink' ? ATTRIBUTES_SINK : 0);
    const { limits } = options;
    this.#feedNative = binding.feedDecoder;
    this.#native = new binding.NativeDecoder(flags, [
      limits.maxElements,
      limits.maxDepth,
      limits.maxBigNumberLength,
      limits.maxReplyBytes,
    ]);
    // `replyMode` may also answer 'frame' (`src/decoder.rs` reads the answer).
    const stringMode = (sink.replyMode ?? sink.stringMode)?.bind(sink);
    this.#decide = stringMode !== undefined;
    const hooks = SHARED_HOOKS.slice();
    if (stringMode !== undefined) {
      hooks[HOOK.StringMode] = (kind: number, ...delivered: unknown[]) => {
        if (delivered.length > 0) this.#deliverPairs(delivered);
        return stringMode(kind === KIND_PUSH ? 'push' : 'reply');
      };
    }
    hooks[HOOK.Deliver] = (...replies: unknown[]) => this.#drain({ out: replies, kinds: undefined, next: 0 });
    this.#hooks = hooks;
  }

  feed(chunk: Uint8Array): void {
    checkChunk(chunk);
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
    if (this.#busy)
      throw new InvalidArgumentError('feed() called from inside a sink callback of the same decoder');
    if (chunk.length === 0 || this.hold(chunk)) return;
    let input: Uint8Array | Uint8Array[] = chunk;
    if (this.#held.length > 0) {
      this.#held.push(chunk);
      input = this.#held;
      this.#held = noChunks();
      this.#heldBytes = 0;
    }
    this.#allowance = 0;
    this.#busy = true;
    try {
      if (this.#backlog !== undefined) this.#drain(this.#backlog);
      this.#rustHolds = undefined; // if the feed throws, `idle` asks Rust
      const out = this.#feedNative(this.#native, input, this.#hooks, this.#decide);
      // Slot 0: the kinds, else null while Rust holds part of a reply, undefined once it holds none.
      const head: unknown = Array.isArray(out) ? out[0] : null;
      this.#rustHolds = head === null ? true : head === undefined ? false : undefined;
      if (typeof out === 'number') this.#allowance = out;
      else if (out !== undefined)
        this.#drain({ out, kinds: Array.isArray(head) ? head : undefined, next: 1 });
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Keeps `chunk` with the chunks of the bulk body being held, when Rust said it cannot complete
   * it (nothing to decode, no sink to call): true when held. What `feed` does first; the `auto`
   * decoder calls it directly for the chunks after the first of a large body, skipping its own
   * per-chunk bookkeeping (~5 % of a4 in 1,460-byte chunks).
   */
  hold(chunk: Uint8Array): boolean {
    if (
      this.#heldBytes + chunk.length > this.#allowance ||
      this.#backlog !== undefined ||
      this.#busy ||
      this.#poisoned !== undefined
    )
      return false;
    this.#held.push(chunk);
    this.#heldBytes += chunk.length;
    return true;
  }

  /** Hands a batch to the sink; if the sink throws, the rest waits for the next `feed`. */
  #drain(batch: Backlog): void {
    const { out, kinds } = batch;
    const sink = this.#sink;
    let i = batch.next;
    this.#backlog = undefined;
    try {
      if (kinds === undefined) {
        for (; i < out.length; i++) sink.reply(out[i]);
      } else {
        for (; i < out.length; i++) this.#deliver(out[i], kinds[i - 1] as number);
      }
    } catch (err) {
      if (i + 1 < out.length && this.#poisoned === undefined) this.#backlog = { out, kinds, next: i + 1 };
      throw err;
    }
  }

  /** Frames handed over with a `stringMode` call, as kind, value pairs; the rest waits if the sink throws. */
  #deliverPairs(pairs: unknown[]): void {
    for (let i = 0; i < pairs.length; i += 2) {
      try {
        this.#deliver(pairs[i + 1], pairs[i] as number);
      } catch (err) {
        if (i + 2 < pairs.length && this.#poisoned === undefined) {
          const out: unknown[] = [undefined];
          const kinds: number[] = [];
          for (let j = i + 2; j < pairs.length; j += 2) {
            kinds.push(pairs[j] as number);
            out.push(pairs[j + 1]);
          }
          this.#backlog = { out, kinds, next: 1 };
        }
        throw err;
      }
    }
  }

  #deliver(value: unknown, kind: number): void {
    const sink = this.#sink;
    if (kind === KIND_REPLY) sink.reply(value);
    else if (kind === KIND_PUSH) sink.push(value as unknown[]);
    else if (kind === KIND_ATTRIBUTE) sink.attribute?.(value);
    else if (kind === KIND_ERROR) {
      const [reason, detail, offset] = value as [RespProtocolErrorReason, string, number];
      const err = new RespProtocolError(reason, detail, offset);
      this.#poisoned = err;
      this.#backlog = undefined;
      this.#dropList();
      sink.error(err);
    }
  }

  /** See `ReplyDecoder.idle` (one crossing into Rust when a feed finished replies and nothing is held here). */
  get idle(): boolean {
    return (
      this.#poisoned === undefined &&
      this.#backlog === undefined &&
      this.#held.length === 0 &&
      this.#rustHolds !== true &&
      (this.#rustHolds === false || this.#native.idle())
    );
  }

  reset(): void {
    this.#held = noChunks();
    this.#heldBytes = 0;
    this.#rustHolds = false;
    this.#allowance = 0;
    this.#native.reset();
    this.#dropList();
    this.#poisoned = undefined;
    this.#backlog = undefined;
  }

  /** Lets a streamed list the native side dropped be collected. */
  #dropList(): void {
    this.#hooks[STASH_LIST] = undefined;
    this.#hooks[STASH_ATTRIBUTES] = undefined;
  }
}

const NO_BYTES = new Uint8Array(0);

/**
 * An empty list of chunks already of the elements kind it ends in (objects): begun as `[]` (small
 * integers), each first chunk held changed its kind under the optimized `hold`, which then
 * deoptimized in the first pass of a large body (`bench:codec --deopts`: "not a Smi").
 */
function noChunks(): Uint8Array[] {
  const chunks = [NO_BYTES];
  chunks.length = 0;
  return chunks;
}

/** Builds the decoder factory over a loaded binding (the seam the tests and `index.ts` use). */
export function nativeDecoderFactory(
  binding: NativeBinding,
): (sink: ReplySink, options?: DecodeOptionsInput) => ReplyDecoder {
  // A benchmark making a decoder per run lost `feed`'s optimized code at every full GC without it.
  KEPT.nativeDecoder ??= new NativeReplyDecoder(binding, IGNORING_SINK, resolveDecodeOptions(undefined));
  return (sink, options) => {
    checkReplySink(sink);
    return new NativeReplyDecoder(binding, sink, resolveDecodeOptions(options));
  };
}
