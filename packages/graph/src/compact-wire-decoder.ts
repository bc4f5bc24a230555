import { asciiText as ascii, ReplyError, utf8Text as utf8 } from '@fusedis/resp';
import type { GraphResult } from './compact-decoder.js';
import { GraphError } from './graph-error.js';
import { fastDouble } from './internal/fast-double.js';
import {
  SCHEMA_LABELS,
  SCHEMA_PROPERTY_KEYS,
  SCHEMA_RELATIONSHIP_TYPES,
  type SchemaKinds,
} from './schema-cache.js';
import { parseStatistics } from './statistics.js';
import {
  createRecord,
  GraphDuration,
  GraphEdge,
  GraphNode,
  GraphPath,
  GraphPoint,
  type GraphRecord,
  GraphTime,
  type GraphValue,
} from './values.js';

// RESP type bytes this decoder meets in FalkorDB compact replies.
const ARRAY = 0x2a; // *
const BULK = 0x24; // $
const INTEGER = 0x3a; // :
const SIMPLE = 0x2b; // +
const ERROR = 0x2d; // -
const NULL3 = 0x5f; // _ (RESP3 null)
const DOUBLE3 = 0x2c; // , (RESP3 double: vector elements)
const BULK_ERROR = 0x21; // !
const MINUS = 0x2d;
const CR = 0x0d;
// The bytes `#boolean` compares: the digits 4 and 5, and `true`.
const FOUR = 0x34;
const FIVE = 0x35;
const T = 0x74;
const R = 0x72;
const U = 0x75;
const E = 0x65;

// Compact value type ids (FalkorDB's ValueType enum); see compact-decoder.ts for each encoding.
const VALUE_NULL = 1;
const VALUE_STRING = 2;
const VALUE_INTEGER = 3;
const VALUE_BOOLEAN = 4;
const VALUE_DOUBLE = 5;
const VALUE_ARRAY = 6;
const VALUE_EDGE = 7;
const VALUE_NODE = 8;
const VALUE_PATH = 9;
const VALUE_MAP = 10;
const VALUE_POINT = 11;
const VALUE_VECTORF32 = 12;
const VALUE_DATETIME = 13;
const VALUE_DATE = 14;
const VALUE_TIME = 15;
const VALUE_DURATION = 16;
const TIME_EPOCH_OFFSET = 2_208_988_800;
const NO_BYTES = Buffer.alloc(0);

/**
 * The fused decoder: one compact `GRAPH.QUERY` reply, as the RESP bytes of one whole frame (RESP2
 * or RESP3), straight to a {@link GraphResult}, with no intermediate RESP values. It builds exactly
 * the objects {@link CompactDecoder} builds from decoded arrays (the tests hold both to the same
 * fixtures), without allocating the arrays, the `[type, value]` pairs and the number strings those
 * need. Unknown schema ids set `missing`, as in CompactDecoder.
 */
export class CompactWireDecoder {
  /**
   * Keeps the hidden class alive (`@fusedis/resp` README, "Hidden classes kept alive"): a graph
   * made per query (`client.graph(name)`) left no decoder alive across a full GC, which then cost
   * the next 100-row reply ~10×.
   */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: held, never read: it keeps the class's hidden class alive
  static readonly #kept: CompactWireDecoder = new CompactWireDecoder([], [], []);

  missing: SchemaKinds = 0;
  readonly #labels: readonly string[];
  readonly #types: readonly string[];
  readonly #keys: readonly string[];
  #b: Buffer = NO_BYTES;
  #p = 0;

  constructor(
    labels: readonly string[],
    relationshipTypes: readonly string[],
    propertyKeys: readonly string[],
  ) {
    this.#labels = labels;
    this.#types = relationshipTypes;
    this.#keys = propertyKeys;
  }

  /**
   * Decodes the frame in `bytes`; `asArrays` makes each row an array instead of a record. May be
   * called again for another frame: `missing` then describes the last one.
   */
  result(bytes: Uint8Array, asArrays: boolean): GraphResult<unknown> {
    this.#b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#p = 0;
    this.missing = 0;
    try {
      return this.#result(asArrays);
    } finally {
      this.#b = NO_BYTES; // a decoder kept for the next reply must not keep this one's bytes alive
    }
  }

  #result(asArrays: boolean): GraphResult<unknown> {
    const first = this.#b[0];
    if (first === ERROR || first === BULK_ERROR) {
      const message = first === ERROR ? this.#line() : (this.#bulkText() ?? '');
      throw new GraphError(message, 'ERR_GRAPH', { cause: new ReplyError(message) });
    }
    const parts = this.#arrayLength();
    if (parts === 1) return { columns: [], rows: [], statistics: this.#statistics() };
    if (parts !== 3) throw badReply('a query reply has 1 or 3 parts');
    const width = this.#arrayLength();
    const columns = new Array<string>(width);
    for (let c = 0; c < width; c++) {
      this.#arrayLength(); // [column type, name]
      this.#int();
      columns[c] = this.#bulkText() ?? '';
    }
    const n = this.#arrayLength();
    let rows: unknown[];
    if (asArrays) {
      const out = new Array<GraphValue[]>(n);
      for (let r = 0; r < n; r++) {
        this.#arrayLength();
        const row = new Array<GraphValue>(width);
        for (let c = 0; c < width; c++) row[c] = this.#pair();
        out[r] = row;
      }
      rows = out;
    } else {
      const out = new Array<GraphRecord>(n);
      for (let r = 0; r < n; r++) {
        this.#arrayLength();
        const row = createRecord();
        for (let c = 0; c < width; c++) row[columns[c] as string] = this.#pair();
        out[r] = row;
      }
      rows = out;
    }
    return { columns, rows, statistics: this.#statistics() };
  }

  /** `*2 :type value`. */
  #pair(): GraphValue {
    if (this.#b[this.#p] !== ARRAY) throw badReply(`expected a [type, value] pair at byte ${this.#p}`);
    this.#p += 4; // "*2\r\n": every pair header is these four bytes
    return this.#value(this.#int() as number);
  }

  #value(type: number): GraphValue {
    switch (type) {
      case VALUE_STRING:
        return this.#bulkText() ?? '';
      case VALUE_INTEGER:
        return this.#int();
      case VALUE_DOUBLE:
        return this.#double();
      case VALUE_NODE:
        return this.#node();
      case VALUE_EDGE:
        return this.#edge();
      case VALUE_NULL:
        this.#skipNull();
        return null;
      case VALUE_BOOLEAN:
        return this.#boolean();
      case VALUE_ARRAY: {
        const n = this.#arrayLength();
        const out = new Array<GraphValue>(n);
        for (let i = 0; i < n; i++) out[i] = this.#pair();
        return out;
      }
      case VALUE_PATH:
        return this.#path();
      case VALUE_MAP: {
        const n = this.#arrayLength() >> 1;
        const out = createRecord();
        for (let i = 0; i < n; i++) {
          const key = this.#bulkText() ?? '';
          out[key] = this.#pair();
        }
        return out;
      }
      case VALUE_POINT: {
        this.#arrayLength();
        const latitude = this.#double();
        return new GraphPoint(latitude, this.#double());
      }
      case VALUE_VECTORF32: {
        const n = this.#arrayLength();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) out[i] = this.#double();
        return out;
      }
      case VALUE_DATETIME:
      case VALUE_DATE:
        return new Date(Number(this.#int()) * 1000);
      case VALUE_TIME:
        return new GraphTime(Number(this.#int()) + TIME_EPOCH_OFFSET);
      case VALUE_DURATION:
        return new GraphDuration(Number(this.#int()));
      default:
        throw badReply(`unknown value type ${type}`);
    }
  }

  #node(): GraphNode {
    this.#arrayLength(); // 3
    const id = this.#int() as number;
    const n = this.#arrayLength();
    const labels = new Array<string>(n);
    const table = this.#labels;
    for (let i = 0; i < n; i++) {
      const name = table[this.#int() as number];
      if (name === undefined) {
        this.missing |= SCHEMA_LABELS;
        labels[i] = '';
      } else {
        labels[i] = name;
      }
    }
    return new GraphNode(id, labels, this.#properties());
  }

  #edge(): GraphEdge {
    this.#arrayLength(); // 5
    const id = this.#int() as number;
    let type = this.#types[this.#int() as number];
    if (type === undefined) {
      this.missing |= SCHEMA_RELATIONSHIP_TYPES;
      type = '';
    }
    const source = this.#int() as number;
    const destination = this.#int() as number;
    return new GraphEdge(id, type, source, destination, this.#properties());
  }

  /** `*n` of `*3 :keyId :type value`. */
  #properties(): GraphRecord {
    const n = this.#arrayLength();
    const props = createRecord();
    const keys = this.#keys;
    for (let i = 0; i < n; i++) {
      if (this.#b[this.#p] !== ARRAY) throw badReply(`expected a property at byte ${this.#p}`);
      this.#p += 4; // "*3\r\n"
      const key = keys[this.#int() as number];
      const value = this.#value(this.#int() as number);
      if (key === undefined) this.missing |= SCHEMA_PROPERTY_KEYS;
      else props[key] = value;
    }
    return props;
  }

  #path(): GraphPath {
    this.#arrayLength(); // [[ARRAY, nodes], [ARRAY, edges]]
    this.#arrayLength();
    this.#int();
    const nodeCount = this.#arrayLength();
    const nodes = new Array<GraphNode>(nodeCount);
    for (let i = 0; i < nodeCount; i++) {
      this.#arrayLength();
      this.#int();
      nodes[i] = this.#node();
    }
    this.#arrayLength();
    this.#int();
    const edgeCount = this.#arrayLength();
    const edges = new Array<GraphEdge>(edgeCount);
    for (let i = 0; i < edgeCount; i++) {
      this.#arrayLength();
      this.#int();
      edges[i] = this.#edge();
    }
    return new GraphPath(nodes, edges);
  }

  #statistics() {
    const n = this.#arrayLength();
    const lines = new Array<string>(n);
    for (let i = 0; i < n; i++) lines[i] = this.#bulkText() ?? '';
    return parseStatistics(lines);
  }

  // --- RESP primitives. Each starts at a type byte and leaves #p after the value's CRLF. ---

  /** `*n\r\n` → n. */
  #arrayLength(): number {
    if (this.#b[this.#p] !== ARRAY) throw badReply(`expected an array at byte ${this.#p}`);
    return this.#number(this.#p + 1);
  }

  /** `:n\r\n` → n (a bigint beyond ±(2^53−1), like @fusedis/resp). */
  #int(): number | bigint {
    if (this.#b[this.#p] !== INTEGER) throw badReply(`expected an integer at byte ${this.#p}`);
    const start = this.#p + 1;
    const value = this.#number(start);
    if (value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER) {
      return BigInt(ascii(this.#b, start, this.#p - 2));
    }
    return value;
  }

  /** Digits (optional minus) from `pos` up to CRLF; moves #p past the CRLF. */
  #number(pos: number): number {
    const b = this.#b;
    let negative = false;
    if (b[pos] === MINUS) {
      negative = true;
      pos++;
    }
    let n = 0;
    let c = b[pos];
    while (c !== CR) {
      // Past the end (a frame cut short, which no whole server reply is): refuse, never loop.
      if (c === undefined) throw badReply(`unreadable at byte ${pos}`);
      n = n * 10 + (c - 48);
      c = b[++pos];
    }
    this.#p = pos + 2;
    return negative ? -n : n;
  }

  /** `$len\r\nbytes\r\n` or `+text\r\n` → text; null for `$-1` or `_`. */
  #bulkText(): string | null {
    const type = this.#b[this.#p];
    if (type === BULK || type === BULK_ERROR) {
      const length = this.#number(this.#p + 1);
      if (length < 0) return null;
      const start = this.#p;
      this.#p = start + length + 2;
      return utf8(this.#b, start, start + length);
    }
    if (type === SIMPLE) return this.#line();
    if (type === NULL3) {
      this.#p += 3;
      return null;
    }
    throw badReply(`expected a string at byte ${this.#p}`);
  }

  /**
   * A boolean: the text `true` is true, any other text (or a null) false, as the array walker
   * reads it. FalkorDB's `$4\r\ntrue\r\n` and `$5\r\nfalse\r\n` are compared in place (no
   * string made per boolean: ~6 % of decoding 100,000 rows with one boolean each); any other form
   * is read as text.
   */
  #boolean(): boolean {
    const b = this.#b;
    const p = this.#p;
    if (b[p] === BULK && b[p + 2] === CR) {
      if (b[p + 1] === FOUR && p + 10 <= b.length) {
        this.#p = p + 10;
        return b[p + 4] === T && b[p + 5] === R && b[p + 6] === U && b[p + 7] === E;
      }
      if (b[p + 1] === FIVE && p + 11 <= b.length) {
        this.#p = p + 11;
        return false;
      }
    }
    return this.#bulkText() === 'true';
  }

  /** A `+`/`-` line's text. */
  #line(): string {
    const start = this.#p + 1;
    const end = this.#b.indexOf(CR, start);
    this.#p = end + 2;
    return utf8(this.#b, start, end);
  }

  /** A double: `%.15g` text in a bulk string, or a RESP3 `,` double. */
  #double(): number {
    const b = this.#b;
    const type = b[this.#p];
    let start: number;
    let end: number;
    if (type === BULK) {
      const length = this.#number(this.#p + 1);
      start = this.#p;
      end = start + length;
      this.#p = end + 2;
    } else if (type === DOUBLE3) {
      start = this.#p + 1;
      end = b.indexOf(CR, start);
      this.#p = end + 2;
    } else {
      throw badReply(`expected a double at byte ${this.#p}`);
    }
    const fast = fastDouble(b, start, end);
    if (fast !== undefined) return fast;
    const text = ascii(b, start, end);
    const n = +text;
    if (!Number.isNaN(n)) return n;
    return text === 'inf'
      ? Number.POSITIVE_INFINITY
      : text === '-inf'
        ? Number.NEGATIVE_INFINITY
        : Number.NaN;
  }

  /** `$-1\r\n` (RESP2) or `_\r\n` (RESP3). */
  #skipNull(): void {
    this.#p += this.#b[this.#p] === NULL3 ? 3 : 5;
  }
}

function badReply(what: string): GraphError {
  return new GraphError(`unexpected FalkorDB reply: ${what}`, 'ERR_GRAPH_REPLY');
}
