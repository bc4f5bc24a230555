import { ReplyError } from '@fusedis/resp';
import { GraphError } from './graph-error.js';
import {
  SCHEMA_LABELS,
  SCHEMA_PROPERTY_KEYS,
  SCHEMA_RELATIONSHIP_TYPES,
  type SchemaKinds,
} from './schema-cache.js';
import { type GraphStatistics, parseStatistics } from './statistics.js';
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

// Value type ids of FalkorDB's compact replies (ValueType in src/resultset/formatters/resultset_formatter.h).
const VALUE_NULL = 1;
const VALUE_STRING = 2;
const VALUE_INTEGER = 3;
const VALUE_BOOLEAN = 4;
const VALUE_DOUBLE = 5; // a bulk string, printf "%.15g": "1.5", "1e+300", "inf", "-nan"
const VALUE_ARRAY = 6; // [[type, value], …]
const VALUE_EDGE = 7; // [id, typeId, srcId, dstId, [[keyId, type, value], …]]
const VALUE_NODE = 8; // [id, [labelId, …], [[keyId, type, value], …]]
const VALUE_PATH = 9; // [[ARRAY, [[NODE, node], …]], [ARRAY, [[EDGE, edge], …]]]
const VALUE_MAP = 10; // [key, [type, value], key, [type, value], …]
const VALUE_POINT = 11; // [latitude, longitude] as "%.15g" strings
const VALUE_VECTORF32 = 12; // [element, …]: RESP doubles ("%.17g" bulk strings in RESP2)
const VALUE_DATETIME = 13; // integer: seconds since the Unix epoch (UTC)
const VALUE_DATE = 14; // integer: seconds since the Unix epoch, at midnight UTC
const VALUE_TIME = 15; // integer: seconds since the epoch of 1900-01-01 plus the time of day
const VALUE_DURATION = 16; // integer: epoch + duration, in seconds

// localtime values are stamped on 1900-01-01: the seconds from there to 1970-01-01.
const TIME_EPOCH_OFFSET = 2_208_988_800;

type Raw = readonly unknown[];

/** The decoded reply of a query: column names, rows, statistics. */
export interface GraphResult<T> {
  /** Column names, in RETURN order; empty for a query without RETURN. */
  readonly columns: string[];
  /** One entry per row: a {@link GraphRecord} by column name, or an array in column order. */
  readonly rows: T[];
  /** The statistics block. */
  readonly statistics: GraphStatistics;
}

/**
 * Turns a compact `GRAPH.QUERY` reply (as `@fusedis/resp` decoded it) into a {@link GraphResult} in
 * one pass, building the final objects directly. Names come from the schema tables given at
 * construction; an id past the end of its table does not throw: it sets its bit in `missing`, and
 * the caller refreshes the schema and decodes again (rare: only right after a schema change).
 */
export class CompactDecoder {
  /** Schema tables that lacked an id during the last decode; 0 when every name was found. */
  missing: SchemaKinds = 0;
  readonly #labels: readonly string[];
  readonly #types: readonly string[];
  readonly #keys: readonly string[];

  constructor(
    labels: readonly string[],
    relationshipTypes: readonly string[],
    propertyKeys: readonly string[],
  ) {
    this.#labels = labels;
    this.#types = relationshipTypes;
    this.#keys = propertyKeys;
  }

  /** Decodes a whole reply; `asArrays` makes each row an array instead of a record. */
  result(reply: unknown, asArrays: boolean): GraphResult<unknown> {
    if (!Array.isArray(reply)) throw badReply('a query reply is an array');
    for (let i = 0; i < reply.length; i++) {
      const part: unknown = reply[i];
      if (part instanceof ReplyError) throw new GraphError(part.message, 'ERR_GRAPH', { cause: part });
    }
    if (reply.length === 1) return { columns: [], rows: [], statistics: stats(reply[0]) };
    if (reply.length !== 3) throw badReply('a query reply has 1 or 3 parts');
    const header = reply[0] as unknown;
    const rawRows = reply[1] as unknown;
    if (!Array.isArray(header) || !Array.isArray(rawRows)) throw badReply('header and rows are arrays');
    const columns = new Array<string>(header.length);
    for (let i = 0; i < header.length; i++) columns[i] = String((header[i] as Raw)[1]);
    const rows = asArrays ? this.arrayRows(rawRows, columns.length) : this.recordRows(rawRows, columns);
    return { columns, rows, statistics: stats(reply[2]) };
  }

  /** Rows as records keyed by column name. */
  recordRows(raw: Raw, columns: readonly string[]): GraphRecord[] {
    const n = raw.length;
    const width = columns.length;
    const rows = new Array<GraphRecord>(n);
    for (let r = 0; r < n; r++) {
      const cells = raw[r] as Raw;
      const row = createRecord();
      for (let c = 0; c < width; c++) {
        const cell = cells[c] as Raw;
        row[columns[c] as string] = this.value(cell[0] as number, cell[1]);
      }
      rows[r] = row;
    }
    return rows;
  }

  /** Rows as arrays in column order. */
  arrayRows(raw: Raw, width: number): GraphValue[][] {
    const n = raw.length;
    const rows = new Array<GraphValue[]>(n);
    for (let r = 0; r < n; r++) {
      const cells = raw[r] as Raw;
      const row = new Array<GraphValue>(width);
      for (let c = 0; c < width; c++) {
        const cell = cells[c] as Raw;
        row[c] = this.value(cell[0] as number, cell[1]);
      }
      rows[r] = row;
    }
    return rows;
  }

  /** One `[type, value]` pair's value. */
  value(type: number, v: unknown): GraphValue {
    switch (type) {
      case VALUE_STRING:
        return v as string;
      case VALUE_INTEGER:
        return v as number | bigint;
      case VALUE_DOUBLE:
        return toDouble(v);
      case VALUE_NODE:
        return this.node(v as Raw);
      case VALUE_EDGE:
        return this.edge(v as Raw);
      case VALUE_NULL:
        return null;
      case VALUE_BOOLEAN:
        return v === 'true';
      case VALUE_ARRAY:
        return this.array(v as Raw);
      case VALUE_PATH:
        return this.path(v as Raw);
      case VALUE_MAP:
        return this.map(v as Raw);
      case VALUE_POINT:
        return new GraphPoint(toDouble((v as Raw)[0]), toDouble((v as Raw)[1]));
      case VALUE_VECTORF32:
        return vector(v as Raw);
      case VALUE_DATETIME:
      case VALUE_DATE:
        return new Date(Number(v) * 1000);
      case VALUE_TIME:
        return new GraphTime(Number(v) + TIME_EPOCH_OFFSET);
      case VALUE_DURATION:
        return new GraphDuration(Number(v));
      default:
        throw badReply(`unknown value type ${String(type)}`);
    }
  }

  node(raw: Raw): GraphNode {
    const ids = raw[1] as Raw;
    const n = ids.length;
    const labels = new Array<string>(n);
    const table = this.#labels;
    for (let i = 0; i < n; i++) {
      const name = table[ids[i] as number];
      if (name === undefined) {
        this.missing |= SCHEMA_LABELS;
        labels[i] = '';
      } else {
        labels[i] = name;
      }
    }
    return new GraphNode(raw[0] as number, labels, this.properties(raw[2] as Raw));
  }

  edge(raw: Raw): GraphEdge {
    let type = this.#types[raw[1] as number];
    if (type === undefined) {
      this.missing |= SCHEMA_RELATIONSHIP_TYPES;
      type = '';
    }
    return new GraphEdge(
      raw[0] as number,
      type,
      raw[2] as number,
      raw[3] as number,
      this.properties(raw[4] as Raw),
    );
  }

  properties(raw: Raw): GraphRecord {
    const props = createRecord();
    const keys = this.#keys;
    for (let i = 0; i < raw.length; i++) {
      const p = raw[i] as Raw;
      const key = keys[p[0] as number];
      if (key === undefined) this.missing |= SCHEMA_PROPERTY_KEYS;
      else props[key] = this.value(p[1] as number, p[2]);
    }
    return props;
  }

  array(raw: Raw): GraphValue[] {
    const out = new Array<GraphValue>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const item = raw[i] as Raw;
      out[i] = this.value(item[0] as number, item[1]);
    }
    return out;
  }

  path(raw: Raw): GraphPath {
    const rawNodes = (raw[0] as Raw)[1] as Raw;
    const rawEdges = (raw[1] as Raw)[1] as Raw;
    const nodes = new Array<GraphNode>(rawNodes.length);
    for (let i = 0; i < rawNodes.length; i++) nodes[i] = this.node((rawNodes[i] as Raw)[1] as Raw);
    const edges = new Array<GraphEdge>(rawEdges.length);
    for (let i = 0; i < rawEdges.length; i++) edges[i] = this.edge((rawEdges[i] as Raw)[1] as Raw);
    return new GraphPath(nodes, edges);
  }

  map(raw: Raw): GraphRecord {
    const out = createRecord();
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const item = raw[i + 1] as Raw;
      out[String(raw[i])] = this.value(item[0] as number, item[1]);
    }
    return out;
  }
}

/** A RESP2 double string (`%.15g`/`%.17g`, with `inf`, `-inf`, `nan`, `-nan`) or a RESP3 double. */
function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  const n = +(v as string);
  if (!Number.isNaN(n)) return n; // the common case
  const s = v as string;
  return s === 'inf' ? Number.POSITIVE_INFINITY : s === '-inf' ? Number.NEGATIVE_INFINITY : Number.NaN;
}

function vector(raw: Raw): Float32Array {
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = toDouble(raw[i]);
  return out;
}

function stats(raw: unknown): GraphStatistics {
  if (!Array.isArray(raw)) throw badReply('statistics are an array');
  return parseStatistics(raw);
}

function badReply(what: string): GraphError {
  return new GraphError(`unexpected FalkorDB reply: ${what}`, 'ERR_GRAPH_REPLY');
}
