import { ReplyError } from '@fusedis/resp';
import { KEPT } from './kept-instances.js';

/**
 * The parts of `@fusedis/graph` the native graph decoder builds its values with. Pass the module
 * itself (`import * as graph from '@fusedis/graph'`): the decoder then returns graph's own
 * classes, records and errors, so its results are indistinguishable from graph's JS decoder's.
 * This package does not import `@fusedis/graph`, so either installs without the other.
 */
export interface GraphModule<Statistics = unknown> {
  readonly GraphNode: new (id: never, labels: string[], properties: never) => object;
  readonly GraphEdge: new (
    id: never,
    relationshipType: string,
    sourceId: never,
    destinationId: never,
    properties: never,
  ) => object;
  readonly GraphPath: new (nodes: never, edges: never) => object;
  readonly GraphPoint: new (latitude: number, longitude: number) => object;
  readonly GraphTime: new (secondsOfDay: number) => object;
  readonly GraphDuration: new (seconds: number) => object;
  /** Makes an empty record (graph's null-prototype-chained `GraphRecord`). */
  readonly createRecord: () => object;
  readonly parseStatistics: (lines: readonly unknown[]) => Statistics;
  readonly GraphError: new (
    message: string,
    code: 'ERR_GRAPH' | 'ERR_GRAPH_REPLY',
    options?: ErrorOptions,
  ) => Error;
  readonly SCHEMA_LABELS: number;
  readonly SCHEMA_RELATIONSHIP_TYPES: number;
  readonly SCHEMA_PROPERTY_KEYS: number;
  /** graph's JS wire decoder: used for frames shorter than `minBytes` (see the options). */
  readonly CompactWireDecoder?: new (
    labels: readonly string[],
    relationshipTypes: readonly string[],
    propertyKeys: readonly string[],
  ) => {
    readonly missing: number;
    result(bytes: Uint8Array, asArrays: boolean): NativeGraphResult<Statistics>;
  };
}

/** Options of `createGraphWireDecoder`. */
export interface GraphWireDecoderOptions {
  /**
   * Frames shorter than this many bytes go to graph's own `CompactWireDecoder` instead: below a
   * few KB the Node-API crossing costs more than native decoding saves (a one-node reply: 3.7 µs
   * native against 2.0 µs JS, measured). A client choosing per reply size sets it (e.g. 65,536).
   * @default 0 (every frame is decoded natively)
   */
  readonly minBytes?: number;
}

/** What one decode returns: graph's `GraphResult`. */
export interface NativeGraphResult<Statistics> {
  readonly columns: string[];
  readonly rows: unknown[];
  readonly statistics: Statistics;
}

/**
 * One decoder over one snapshot of a graph's name tables: graph's `WireDecoder` contract. After
 * `result`, `missing` holds the `SCHEMA_*` bits of the tables that lacked an id.
 */
export interface NativeGraphWireDecoder<Statistics> {
  /** The tables that lacked an id in the last `result` (a bit set of graph's `SCHEMA_*`). */
  missing: number;
  /** Decodes the bytes of one whole compact reply frame; `asArrays` makes rows arrays. */
  result(bytes: Uint8Array, asArrays: boolean): NativeGraphResult<Statistics>;
}

/** graph's `WireDecoderFactory`: a decoder per name-table snapshot. */
export type NativeGraphWireDecoderFactory<Statistics> = (
  labels: readonly string[],
  relationshipTypes: readonly string[],
  propertyKeys: readonly string[],
) => NativeGraphWireDecoder<Statistics>;

/** The addon's graph entry point (`decode_graph_reply` in `src/lib.rs`). */
export type DecodeGraphReply = (bytes: Uint8Array, scratch: Float64Array, hooks: unknown[]) => unknown[];

// Tape tags, in step with `src/graph/parse.rs`.
const T_NULL = 1;
const T_SHORT = 2;
const T_REF = 3;
const T_NUMBER = 4;
const T_TRUE = 5;
const T_FALSE = 6;
const T_ARRAY = 7;
const T_NODE = 8;
const T_EDGE = 9;
const T_PATH = 10;
const T_MAP = 11;
const T_POINT = 12;
const T_VECTOR = 13;
const T_DATE = 14;
const T_TIME = 15;
const T_DURATION = 16;

// Slot 0 of the addon's result: decoded, else the kind of failure (`src/graph/mod.rs`).
const DECODED = 0;
const EXPECTED = 1;
const PARTS = 2;
const UNKNOWN_TYPE = 3;
const ARRAY_LENGTH = 4;
const TYPED_ARRAY_LENGTH = 5;
const SERVER = 6;
const UNREADABLE = 7;
const TOO_DEEP = 8;
/** What an `EXPECTED` failure expected, by `Expect`'s index (`src/graph/parse.rs`): its name there, its words here. */
const EXPECTED_WHAT: readonly (readonly [name: string, words: string])[] = [
  ['Pair', 'a [type, value] pair'],
  ['Array', 'an array'],
  ['Integer', 'an integer'],
  ['Text', 'a string'],
  ['Double', 'a double'],
  ['Property', 'a property'],
];

const TIME_EPOCH_OFFSET = 2_208_988_800;
/** Tapes up to this many slots (32 MiB: a reply of ~250,000 nodes) are kept for the next reply; larger ones are let go. */
const SCRATCH_MAX = 1 << 22;

// graph's own slow path for a double's text (`CompactWireDecoder#double`).
function numberText(text: string): number {
  const n = +text;
  if (!Number.isNaN(n)) return n;
  return text === 'inf' ? Number.POSITIVE_INFINITY : text === '-inf' ? Number.NEGATIVE_INFINITY : Number.NaN;
}
/** The helpers the addon calls, by index (`HOOK_BIGINT`, `HOOK_NUMBER_TEXT` in `src/graph/mod.rs`). */
const HOOKS: unknown[] = [BigInt, numberText];

/**
 * The numbers above that Rust must agree with, named as `wireLayout()` names them (`src/layout.rs`);
 * `test/unit/layout.test.ts` compares the two. Read by nothing else.
 */
export const GRAPH_DECODER_LAYOUT: Readonly<Record<string, number>> = {
  'graphHook.BigInt': HOOKS.indexOf(BigInt),
  'graphHook.numberText': HOOKS.indexOf(numberText),
  'graph.DECODED': DECODED,
  'graph.EXPECTED': EXPECTED,
  'graph.PARTS': PARTS,
  'graph.UNKNOWN_TYPE': UNKNOWN_TYPE,
  'graph.ARRAY_LENGTH': ARRAY_LENGTH,
  'graph.TYPED_ARRAY_LENGTH': TYPED_ARRAY_LENGTH,
  'graph.SERVER': SERVER,
  'graph.UNREADABLE': UNREADABLE,
  'graph.TOO_DEEP': TOO_DEEP,
  'tape.T_NULL': T_NULL,
  'tape.T_SHORT': T_SHORT,
  'tape.T_REF': T_REF,
  'tape.T_NUMBER': T_NUMBER,
  'tape.T_TRUE': T_TRUE,
  'tape.T_FALSE': T_FALSE,
  'tape.T_ARRAY': T_ARRAY,
  'tape.T_NODE': T_NODE,
  'tape.T_EDGE': T_EDGE,
  'tape.T_PATH': T_PATH,
  'tape.T_MAP': T_MAP,
  'tape.T_POINT': T_POINT,
  'tape.T_VECTOR': T_VECTOR,
  'tape.T_DATE': T_DATE,
  'tape.T_TIME': T_TIME,
  'tape.T_DURATION': T_DURATION,
  ...Object.fromEntries(EXPECTED_WHAT.map(([name], index) => [`graphExpected.${name}`, index])),
};
const EMPTY = new Float64Array(0);
const NO_REFS: unknown[] = [];

type Row = Record<string, unknown>;

/**
 * Builds graph's objects from the addon's tape, in the order the JS decoder builds them. Each
 * method consumes exactly the slots its Rust counterpart in `parse.rs` wrote.
 */
class TapeWalker<S> {
  missing = 0;
  #t: Float64Array = new Float64Array(0);
  #p = 0;
  #text = '';
  #sp = 0;
  #refs: unknown[] = [];
  #r = 0;
  readonly #g: GraphModule<S>;
  readonly #labels: readonly string[];
  readonly #types: readonly string[];
  readonly #keys: readonly string[];

  constructor(
    g: GraphModule<S>,
    labels: readonly string[],
    types: readonly string[],
    keys: readonly string[],
  ) {
    this.#g = g;
    this.#labels = labels;
    this.#types = types;
    this.#keys = keys;
  }

  walk(t: Float64Array, text: string, refs: unknown[], asArrays: boolean): NativeGraphResult<S> {
    this.#t = t;
    this.#p = 0;
    this.#text = text;
    this.#sp = 0;
    this.#refs = refs;
    this.#r = 0;
    this.missing = 0;
    if (t[this.#p++] === 1) return { columns: [], rows: [], statistics: this.#statistics() };
    const width = t[this.#p++] as number;
    const columns = new Array<string>(width);
    for (let c = 0; c < width; c++) columns[c] = this.#value() as string;
    const n = t[this.#p++] as number;
    let rows: unknown[];
    if (asArrays) {
      const out = new Array<unknown[]>(n);
      for (let r = 0; r < n; r++) {
        const row = new Array<unknown>(width);
        for (let c = 0; c < width; c++) row[c] = this.#value();
        out[r] = row;
      }
      rows = out;
    } else {
      const out = new Array<Row>(n);
      const createRecord = this.#g.createRecord;
      for (let r = 0; r < n; r++) {
        const row = createRecord() as Row;
        for (let c = 0; c < width; c++) row[columns[c] as string] = this.#value();
        out[r] = row;
      }
      rows = out;
    }
    return { columns, rows, statistics: this.#statistics() };
  }

  /** Lets the reply's text and values go: the walker is kept for the next reply. */
  release(): void {
    this.#text = '';
    this.#refs = NO_REFS;
    this.#t = EMPTY;
  }

  #statistics(): S {
    const n = this.#t[this.#p++] as number;
    const lines = new Array<string>(n);
    for (let i = 0; i < n; i++) lines[i] = this.#value() as string;
    return this.#g.parseStatistics(lines);
  }

  #value(): unknown {
    const t = this.#t;
    switch (t[this.#p++]) {
      case T_SHORT: {
        const end = t[this.#p++] as number;
        const s = this.#text.slice(this.#sp, end);
        this.#sp = end;
        return s;
      }
      case T_NUMBER:
        return t[this.#p++];
      case T_REF:
        return this.#refs[this.#r++];
      case T_NODE:
        return this.#node();
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_NULL:
        return null;
      case T_EDGE:
        return this.#edge();
      case T_ARRAY: {
        const n = t[this.#p++] as number;
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = this.#value();
        return out;
      }
      case T_MAP: {
        const n = t[this.#p++] as number;
        const out = this.#g.createRecord() as Row;
        for (let i = 0; i < n; i++) {
          const key = this.#value() as string;
          out[key] = this.#value();
        }
        return out;
      }
      case T_PATH:
        return this.#path();
      case T_POINT: {
        const latitude = t[this.#p++] as number;
        return new this.#g.GraphPoint(latitude, t[this.#p++] as number);
      }
      case T_VECTOR: {
        const n = t[this.#p++] as number;
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) out[i] = t[this.#p++] as number;
        return out;
      }
      case T_DATE:
        return new Date(Number(this.#slot()) * 1000);
      case T_TIME:
        return new this.#g.GraphTime(Number(this.#slot()) + TIME_EPOCH_OFFSET);
      case T_DURATION:
        return new this.#g.GraphDuration(Number(this.#slot()));
      default:
        throw new Error(`native graph decoder: bad tape at slot ${this.#p - 1}`);
    }
  }

  /** An int slot: the number, or (NaN) the next ref, a bigint. */
  #slot(): unknown {
    const v = this.#t[this.#p++] as number;
    return Number.isNaN(v) ? this.#refs[this.#r++] : v;
  }

  #node(): object {
    const t = this.#t;
    const id = this.#slot();
    const n = t[this.#p++] as number;
    const labels = new Array<string>(n);
    const table = this.#labels;
    for (let i = 0; i < n; i++) {
      const name = table[t[this.#p++] as number];
      if (name === undefined) {
        this.missing |= this.#g.SCHEMA_LABELS;
        labels[i] = '';
      } else {
        labels[i] = name;
      }
    }
    return new this.#g.GraphNode(id as never, labels, this.#properties() as never);
  }

  #edge(): object {
    const id = this.#slot();
    let type = this.#types[this.#t[this.#p++] as number];
    if (type === undefined) {
      this.missing |= this.#g.SCHEMA_RELATIONSHIP_TYPES;
      type = '';
    }
    const source = this.#slot();
    const destination = this.#slot();
    return new this.#g.GraphEdge(
      id as never,
      type,
      source as never,
      destination as never,
      this.#properties() as never,
    );
  }

  #properties(): Row {
    const t = this.#t;
    const n = t[this.#p++] as number;
    const props = this.#g.createRecord() as Row;
    const keys = this.#keys;
    for (let i = 0; i < n; i++) {
      const key = keys[t[this.#p++] as number];
      const value = this.#value();
      if (key === undefined) this.missing |= this.#g.SCHEMA_PROPERTY_KEYS;
      else props[key] = value;
    }
    return props;
  }

  #path(): object {
    const t = this.#t;
    const nodeCount = t[this.#p++] as number;
    const nodes = new Array<object>(nodeCount);
    for (let i = 0; i < nodeCount; i++) nodes[i] = this.#node();
    const edgeCount = t[this.#p++] as number;
    const edges = new Array<object>(edgeCount);
    for (let i = 0; i < edgeCount; i++) edges[i] = this.#edge();
    return new this.#g.GraphPath(nodes as never, edges as never);
  }
}

/** Throws the error the JS decoder throws for the failure the addon reported. */
function fail(g: GraphModule<unknown>, out: unknown[]): never {
  const kind = out[0] as number;
  const a = out[1];
  const badReply = (what: string) =>
    new g.GraphError(`unexpected FalkorDB reply: ${what}`, 'ERR_GRAPH_REPLY');
  switch (kind) {
    case EXPECTED:
      throw badReply(`expected ${EXPECTED_WHAT[a as number]?.[1]} at byte ${String(out[2])}`);
    case PARTS:
      throw badReply('a query reply has 1 or 3 parts');
    case UNKNOWN_TYPE: {
      const refs = out[3] as unknown[];
      const type = a === undefined ? refs[refs.length - 1] : a;
      throw badReply(`unknown value type ${String(type)}`);
    }
    case ARRAY_LENGTH:
      // The RangeError `new Array(n)` throws, exactly as the JS decoder meets it.
      new Array(a as number);
      break;
    case TYPED_ARRAY_LENGTH:
      new Float32Array(a as number);
      break;
    case SERVER: {
      const message = a as string;
      throw new g.GraphError(message, 'ERR_GRAPH', { cause: new ReplyError(message) });
    }
    case UNREADABLE:
      // Where graph's JS decoder would loop forever or read past the end: never a whole server frame.
      throw badReply(`unreadable at byte ${String(a)}`);
    case TOO_DEEP:
      throw badReply(`nested deeper than 2048 levels at byte ${String(a)}`);
  }
  throw badReply(`native decoder failure ${kind}`);
}

/**
 * A graph `WireDecoderFactory` that decodes in Rust: the addon reads the frame's bytes once into
 * a tape of numbers (one Node-API call per reply), then this module builds graph's objects from
 * it. Same values, same `missing` bits, same errors as graph's `CompactWireDecoder`.
 */
export function graphWireDecoderFactory<S>(
  decode: DecodeGraphReply,
  graph: GraphModule<S>,
  options?: GraphWireDecoderOptions,
): NativeGraphWireDecoderFactory<S> {
  const minBytes = options?.minBytes ?? 0;
  const Small = graph.CompactWireDecoder;
  if (minBytes > 0 && Small === undefined) {
    throw new TypeError(
      'createGraphWireDecoder: minBytes needs the graph module to include CompactWireDecoder',
    );
  }
  let scratch: Float64Array = new Float64Array(4096);
  // A plain object with the members copied once: loads from a module namespace object are slower.
  const g: GraphModule<S> = {
    GraphNode: graph.GraphNode,
    GraphEdge: graph.GraphEdge,
    GraphPath: graph.GraphPath,
    GraphPoint: graph.GraphPoint,
    GraphTime: graph.GraphTime,
    GraphDuration: graph.GraphDuration,
    createRecord: graph.createRecord,
    parseStatistics: graph.parseStatistics,
    GraphError: graph.GraphError,
    SCHEMA_LABELS: graph.SCHEMA_LABELS,
    SCHEMA_RELATIONSHIP_TYPES: graph.SCHEMA_RELATIONSHIP_TYPES,
    SCHEMA_PROPERTY_KEYS: graph.SCHEMA_PROPERTY_KEYS,
  };
  let walking = 0;
  // A graph made per query leaves no walker alive across a full GC otherwise.
  KEPT.graphWalker ??= new TapeWalker(g, [], [], []);
  return (labels, relationshipTypes, propertyKeys) => {
    const reused = new TapeWalker(g, labels, relationshipTypes, propertyKeys);
    let small: InstanceType<NonNullable<GraphModule<S>['CompactWireDecoder']>> | undefined;
    const decoder: NativeGraphWireDecoder<S> = {
      missing: 0,
      result(bytes: Uint8Array, asArrays: boolean): NativeGraphResult<S> {
        if (bytes.length < minBytes && Small !== undefined) {
          // graph's decoder may be called again (it resets `missing`): one per table snapshot.
          small ??= new Small(labels, relationshipTypes, propertyKeys);
          const js = small;
          try {
            return js.result(bytes, asArrays);
          } finally {
            decoder.missing = js.missing;
          }
        }
        // A decode started from inside a walk (a graph class that decodes in its constructor)
        // must not overwrite the tape being walked: it gets a tape of its own.
        const nested = walking > 0;
        const out = decode(bytes, nested ? EMPTY : scratch, HOOKS);
        if (out[0] !== DECODED) fail(g as GraphModule<unknown>, out);
        const tape = out[1] as Float64Array;
        if (!nested && tape !== scratch && tape.length <= SCRATCH_MAX) scratch = tape;
        const walker = nested ? new TapeWalker(g, labels, relationshipTypes, propertyKeys) : reused;
        walking++;
        try {
          return walker.walk(tape, out[2] as string, out[3] as unknown[], asArrays);
        } finally {
          walking--;
          decoder.missing = walker.missing;
          walker.release();
        }
      },
    };
    return decoder;
  };
}
