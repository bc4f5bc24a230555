import {
  type DecodeOptions,
  type DecodeOptionsInput,
  type ReplyDecoder,
  ReplyError,
  type ReplySink,
  RespProtocolError,
  resolveDecodeOptions,
  type StringMode,
} from '@fusedis/resp';
import type { DecodeEvent } from './decode-all.js';
import { INCOMPLETE, parseFrame } from './oracle-parse.js';
import type { RespEntry, RespNode } from './resp-node.js';

/*
 * The oracle's second pass: `RespNode` tree → JS values, with the same options as the fast
 * decoders, and `createOracleDecoder`, a `ReplyDecoder` that glues both passes together by
 * re-parsing its whole buffer on every chunk (simple, and quadratic: test sizes only).
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INF = /^[+-]?[iI][nN][fF]$/;
const NAN = /^[+-]?[nN][aA][nN]$/;

/** Where attribute maps go while a tree is converted (pre-order: an attribute before what it annotates). */
type AttributeListener = ((attributes: unknown) => void) | undefined;

function text(bytes: Buffer, strings: StringMode): string | Buffer {
  return strings === 'buffer' ? Buffer.from(bytes) : bytes.toString('utf8');
}

function integer(node: string, options: DecodeOptions): number | bigint {
  const big = BigInt(node);
  if (options.integers === 'bigint') return big;
  return big >= -MAX_SAFE && big <= MAX_SAFE ? Number(big) : big;
}

function double(node: string): number {
  if (INF.test(node)) return node.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (NAN.test(node)) return Number.NaN;
  return Number(node);
}

/**
 * The text of a non-string key of an object-mode map: `String(value)`, except that a nested
 * map (a null-prototype object, which `String()` cannot convert) reads as a plain object does.
 */
function keyText(value: unknown): string {
  if (Array.isArray(value))
    return value.map((item) => (item === null || item === undefined ? '' : keyText(item))).join(',');
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null)
    return '[object Object]';
  return String(value);
}

function mapValue(
  entries: readonly RespEntry[],
  options: DecodeOptions,
  strings: StringMode,
  onAttribute: AttributeListener,
): unknown {
  if (options.maps === 'map') {
    const map = new Map<unknown, unknown>();
    for (const [key, value] of entries) {
      const k = nodeToValue(key, options, strings, onAttribute);
      map.set(k, nodeToValue(value, options, strings, onAttribute));
    }
    return map;
  }
  const object: Record<string, unknown> = Object.create(null);
  for (const [key, value] of entries) {
    // Keys are text whatever the string mode: the key's whole subtree is read as UTF-8.
    const k = nodeToValue(key, options, 'utf8', onAttribute);
    const name = typeof k === 'string' ? k : keyText(k);
    Object.defineProperty(object, name, {
      value: nodeToValue(value, options, strings, onAttribute),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return object;
}

/**
 * Converts a tree to its JS value under `options`, strings in mode `strings`. Attribute maps
 * are handed to `onAttribute` (when given) in wire order and skipped otherwise. A nested push
 * is an array; only `deliverNode` treats a top-level push as a push.
 */
export function nodeToValue(
  node: RespNode,
  options: DecodeOptions,
  strings: StringMode,
  onAttribute: AttributeListener,
): unknown {
  switch (node.type) {
    case 'simple-string':
    case 'bulk-string':
    case 'verbatim':
      return text(node.bytes, strings);
    case 'simple-error':
    case 'bulk-error':
      return new ReplyError(node.bytes.toString('utf8'));
    case 'integer':
      return integer(node.text, options);
    case 'null':
      return null;
    case 'double':
      return double(node.text);
    case 'boolean':
      return node.value;
    case 'big-number':
      return BigInt(node.text);
    case 'array':
    case 'push':
      return node.items.map((item) => nodeToValue(item, options, strings, onAttribute));
    case 'set': {
      const items = node.items.map((item) => nodeToValue(item, options, strings, onAttribute));
      return options.sets === 'set' ? new Set(items) : items;
    }
    case 'map':
      return mapValue(node.entries, options, strings, onAttribute);
    case 'attribute': {
      const attributes = mapValue(node.entries, options, strings, onAttribute);
      onAttribute?.(attributes);
      return nodeToValue(node.value, options, strings, onAttribute);
    }
  }
}

/** The value a top-level frame stands for, once its attributes are peeled off. */
function annotated(node: RespNode): RespNode {
  let inner = node;
  while (inner.type === 'attribute') inner = inner.value;
  return inner;
}

/**
 * Hands one top-level frame to `sink` the way every decoder must: `stringMode` asked once
 * (with 'push' for a push, also behind attributes), then its attributes (with
 * `attributes: 'sink'`), then `push` or `reply`.
 */
export function deliverNode(node: RespNode, sink: ReplySink, options: DecodeOptions): void {
  const isPush = annotated(node).type === 'push';
  const strings =
    sink.stringMode === undefined ? options.strings : sink.stringMode(isPush ? 'push' : 'reply');
  const attributes: unknown[] = [];
  const value = nodeToValue(
    node,
    options,
    strings,
    options.attributes === 'sink' ? (a) => attributes.push(a) : undefined,
  );
  if (sink.attribute !== undefined) for (const attribute of attributes) sink.attribute(attribute);
  if (isPush) sink.push(value as unknown[]);
  else sink.reply(value);
}

class OracleDecoder implements ReplyDecoder {
  readonly #sink: ReplySink;
  readonly #options: DecodeOptions;
  /** Bytes of the unfinished frame. */
  #pending: Buffer = Buffer.alloc(0);
  #poisoned: RespProtocolError | undefined;

  constructor(sink: ReplySink, options: DecodeOptions) {
    this.#sink = sink;
    this.#options = options;
  }

  feed(chunk: Uint8Array): void {
    if (this.#poisoned !== undefined) {
      throw new RespProtocolError('decoder-poisoned', 'oracle: input after a protocol error', -1, {
        cause: this.#poisoned,
      });
    }
    this.#pending = Buffer.concat([this.#pending, chunk]);
    const limits = this.#options.limits;
    for (;;) {
      let frame: ReturnType<typeof parseFrame>;
      try {
        frame = parseFrame(this.#pending, 0, limits);
        if (frame === INCOMPLETE && this.#pending.length > limits.maxReplyBytes) {
          throw new RespProtocolError(
            'reply-too-large',
            'oracle: unfinished reply too large',
            this.#pending.length,
          );
        }
      } catch (err) {
        if (!(err instanceof RespProtocolError)) throw err;
        this.#poisoned = err;
        this.#pending = Buffer.alloc(0);
        this.#sink.error(err);
        return;
      }
      if (frame === INCOMPLETE) return;
      this.#pending = this.#pending.subarray(frame.end);
      deliverNode(frame.node, this.#sink, this.#options);
    }
  }

  reset(): void {
    this.#pending = Buffer.alloc(0);
    this.#poisoned = undefined;
  }
}

/**
 * The two-pass reference decoder (bytes → tree → values), as a `DecoderFactory`: it runs the
 * same contract suite as the fast decoders and is their reference in property tests.
 */
export function createOracleDecoder(sink: ReplySink, options?: DecodeOptionsInput): ReplyDecoder {
  return new OracleDecoder(sink, resolveDecodeOptions(options));
}

/**
 * The sink calls a decoder must make for these top-level frames under `options`, computed
 * from the trees (no bytes involved): the expected side of property tests.
 */
export function oracleEvents(nodes: readonly RespNode[], options?: DecodeOptionsInput): DecodeEvent[] {
  const events: DecodeEvent[] = [];
  const sink: ReplySink = {
    reply: (value) => void events.push({ kind: 'reply', value }),
    push: (value) => void events.push({ kind: 'push', value }),
    error: (error) => void events.push({ kind: 'error', error }),
    attribute: (value) => void events.push({ kind: 'attribute', value }),
  };
  const resolved = resolveDecodeOptions(options);
  for (const node of nodes) deliverNode(node, sink, resolved);
  return events;
}
