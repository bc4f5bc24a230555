/**
 * Graph values as `@fusedis/graph` returns them. The shapes are plain and fixed, because a native
 * decoder must build exactly the same objects: class instances with the fields listed, in that
 * order, and property maps as {@link GraphRecord}s.
 */

/**
 * A record of graph data: a property map or a result row. Its prototype is {@link RECORD_PROTOTYPE},
 * an empty, frozen object whose own prototype is `null`, so nothing is inherited (`'toString' in
 * record` is `false`) and a key named `__proto__` is an own data property. Not `Object.create(null)`
 * itself: V8 makes such objects dictionaries, and building 100,000 of them costs ~3× more
 * (measured: 55–69 ms against 20 ms); see the README.
 */
export type GraphRecord<V = GraphValue> = Record<string, V>;

/** The prototype of every {@link GraphRecord}: empty, frozen, with a `null` prototype of its own. */
export const RECORD_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

/** Creates an empty {@link GraphRecord}. */
export function createRecord<V = GraphValue>(): GraphRecord<V> {
  return Object.create(RECORD_PROTOTYPE) as GraphRecord<V>;
}

/** Every value a FalkorDB result can hold. Integers beyond ±(2^53-1) arrive as `bigint`. */
export type GraphValue =
  | null
  | string
  | number
  | bigint
  | boolean
  | GraphValue[]
  | GraphNode
  | GraphEdge
  | GraphPath
  | GraphPoint
  | Float32Array
  | Date
  | GraphTime
  | GraphDuration
  | { [key: string]: GraphValue };

/** A node: its id, its label names in the server's order, and its properties by name. */
export class GraphNode {
  constructor(
    /** The node's internal id (reused after deletion). */
    readonly id: number,
    /** Label names, in the order the server lists them. */
    readonly labels: string[],
    /** Properties by name. */
    readonly properties: GraphRecord,
  ) {}
}

/** A relationship: its id, type name, endpoints and properties by name. */
export class GraphEdge {
  constructor(
    /** The relationship's internal id. */
    readonly id: number,
    /** The relationship type name, e.g. `KNOWS`. */
    readonly relationshipType: string,
    /** Id of the source node. */
    readonly sourceId: number,
    /** Id of the destination node. */
    readonly destinationId: number,
    /** Properties by name. */
    readonly properties: GraphRecord,
  ) {}
}

/** A path: `nodes.length === edges.length + 1` (one node and no edge for a path of length 0). */
export class GraphPath {
  constructor(
    readonly nodes: GraphNode[],
    readonly edges: GraphEdge[],
  ) {}
}

/**
 * A geographic point (WGS-84), in degrees. FalkorDB stores coordinates as float32 and sends them with
 * 15 significant digits: 51.5 comes back exact, -33.8688 as -33.8688011169434.
 */
export class GraphPoint {
  constructor(
    readonly latitude: number,
    readonly longitude: number,
  ) {}
}

/**
 * A `localtime` value: the time of day in whole seconds (FalkorDB stores seconds; fractions are
 * dropped by the server).
 */
export class GraphTime {
  constructor(
    /** Seconds since midnight, 0 ≤ secondsOfDay < 86,400. */
    readonly secondsOfDay: number,
  ) {}

  /** `HH:MM:SS`. */
  toString(): string {
    const s = this.secondsOfDay;
    return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  }
}

/**
 * A `duration` value. FalkorDB sends it as the instant reached by adding it to 1970-01-01T00:00:00Z,
 * in whole seconds, so calendar parts are not recoverable: `P1M` arrives as 2,678,400 seconds
 * (31 days, January's length).
 */
export class GraphDuration {
  constructor(
    /** The duration added to the Unix epoch, in seconds. */
    readonly seconds: number,
  ) {}
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
