import type { CommandArg } from '@fusedis/resp';
import type { CommandExecutor, SendOptions } from './command-executor.js';
import { CompactDecoder, type GraphResult } from './compact-decoder.js';
import { GraphError } from './graph-error.js';
import { asArgumentError, checkSignal, checkString } from './internal/argument-checks.js';
import { asGraphError } from './internal/as-graph-error.js';
import { checkGraphArguments } from './internal/graph-arguments.js';
import { createIndexQuery, dropIndexQuery, type IndexSpec } from './internal/index-queries.js';
import { pairsToRecord } from './internal/pairs.js';
import { checkQueryOptions } from './internal/query-options.js';
import { cypherParamsPrefix, type GraphParams } from './params.js';
import { SchemaCache } from './schema-cache.js';
import type { GraphRecord, GraphValue } from './values.js';
import { jsWireDecoder, type WireDecoder, type WireDecoderFactory } from './wire-decoder.js';

/** What `explain` and `profile` take, and `memoryUsage`. */
const PLAN_OPTIONS: readonly string[] = ['params', 'signal'];
const MEMORY_OPTIONS: readonly string[] = ['samples', 'signal'];

/** Options of {@link Graph}. */
export interface GraphOptions {
  /**
   * Decodes replies that arrive as frame bytes (executors that honour `SendOptions.raw`): e.g.
   * `createGraphWireDecoder(graph)` from `@fusedis/native-codec`. Replies already decoded to RESP
   * values always go through the JS `CompactDecoder`.
   * @default jsWireDecoder (graph's `CompactWireDecoder`)
   */
  readonly wireDecoder?: WireDecoderFactory;
}

/** Options of `query` and `roQuery`. */
export interface QueryOptions {
  /** Parameters, read in Cypher as `$name`; sent as a `CYPHER name=value …` prefix. */
  readonly params?: GraphParams;
  /**
   * Server-side query timeout in milliseconds (`TIMEOUT n`); the server fails the query with
   * "Query timed out". Absent: the server's `TIMEOUT_DEFAULT`.
   */
  readonly timeout?: number;
  /**
   * Rows as records keyed by column name, or as arrays in column order.
   * @default 'records'
   */
  readonly rows?: 'records' | 'arrays';
  /** Aborts the wait for the reply (the query may still run on the server). */
  readonly signal?: AbortSignal;
}

/**
 * A graph query as data, for pipelines: send `args` (with `SendOptions.raw` when the pipeline can
 * hand back frame bytes: the fused decoder is faster), then hand the reply, decoded or as bytes, or
 * the `ReplyError` in its place, to `decode`.
 */
export interface GraphCommand<T> {
  readonly args: readonly CommandArg[];
  /** Only `GRAPH.RO_QUERY`, `GRAPH.EXPLAIN`…: safe on a replica. */
  readonly readOnly: boolean;
  /** Decodes this command's reply; rejects with `GraphError` for an error reply. */
  decode(reply: unknown): Promise<GraphResult<T>>;
}

/** One `GRAPH.SLOWLOG` entry. */
export interface SlowlogEntry {
  /** When the query ran, in seconds since the Unix epoch. */
  readonly timestamp: number;
  /** `GRAPH.QUERY`, `GRAPH.RO_QUERY`… */
  readonly command: string;
  readonly query: string;
  /** Execution time, in milliseconds. */
  readonly duration: number;
}

/** A unique or mandatory constraint, for `createConstraint` / `dropConstraint`. */
export interface ConstraintSpec {
  readonly type: 'unique' | 'mandatory';
  /** @default 'node' */
  readonly entity?: 'node' | 'relationship';
  /** The label (nodes) or relationship type. */
  readonly label: string;
  readonly properties: readonly string[];
}

// How many decode passes a reply gets: a refresh can race a concurrent one that started before our
// reply arrived, so an id may stay unknown once; a third miss means the schema really changed.
const DECODE_ATTEMPTS = 3;
const UTF8: SendOptions = Object.freeze({ stringMode: 'utf8' });
const RAW_UTF8: SendOptions = Object.freeze({ stringMode: 'utf8', raw: true });

/**
 * One FalkorDB graph (a key holding a graph) over any {@link CommandExecutor}. It sends compact
 * queries, decodes them in one pass into typed values with names resolved through its
 * {@link SchemaCache}, and wraps every server error reply in a {@link GraphError}.
 */
export class Graph {
  /** The graph's key. */
  readonly name: string;
  /** The id → name tables of this graph; shared by every query through this object. */
  readonly schema: SchemaCache;
  readonly #executor: CommandExecutor;
  readonly #wireDecoder: WireDecoderFactory;
  /**
   * The wire decoder over the current schema snapshot, kept while the tables stay the same: one
   * long-lived decoder rather than one per reply, so a full GC between replies finds a decoder
   * alive and leaves its class's hidden class, and the optimized code that depends on it, in place
   * (a new decoder per reply made a 100-row reply ~10× slower after every full GC).
   */
  #cachedWire: { readonly schema: readonly (readonly string[])[]; readonly decoder: WireDecoder } | undefined;

  constructor(executor: CommandExecutor, name: string, options?: GraphOptions) {
    checkGraphArguments(executor, name, options);
    this.#executor = executor;
    this.name = name;
    this.schema = new SchemaCache(executor, name);
    this.#wireDecoder = options?.wireDecoder ?? jsWireDecoder;
  }

  /** Runs a query (`GRAPH.QUERY … --compact`). */
  query<T = GraphRecord>(cypher: string, options?: QueryOptions): Promise<GraphResult<T>> {
    return this.#runQuery<T>(cypher, options, false);
  }

  /** Runs a read-only query (`GRAPH.RO_QUERY`): the server refuses writes; replicas may serve it. */
  roQuery<T = GraphRecord>(cypher: string, options?: QueryOptions): Promise<GraphResult<T>> {
    return this.#runQuery<T>(cypher, options, true);
  }

  /** A query built and run; what building throws (bad params or options) becomes the rejection. */
  #runQuery<T>(
    cypher: string,
    options: QueryOptions | undefined,
    readOnly: boolean,
  ): Promise<GraphResult<T>> {
    let command: GraphCommand<T>;
    try {
      command = this.command<T>(cypher, options, readOnly);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#run(command, options?.signal);
  }

  /** Builds a query without sending it (for pipelines); `readOnly` picks `GRAPH.RO_QUERY`. */
  command<T = GraphRecord>(cypher: string, options?: QueryOptions, readOnly = false): GraphCommand<T> {
    const query = queryText(readOnly ? 'roQuery' : 'query', cypher, options);
    const args: CommandArg[] = [readOnly ? 'GRAPH.RO_QUERY' : 'GRAPH.QUERY', this.name, query];
    if (options?.timeout !== undefined) args.push('TIMEOUT', Math.max(0, Math.trunc(options.timeout)));
    args.push('--compact');
    const asArrays = options?.rows === 'arrays';
    return { args, readOnly, decode: (reply) => this.decodeReply<T>(reply, asArrays) };
  }

  /**
   * Decodes a compact reply to one of this graph's queries: its RESP bytes (one whole frame, the
   * fast path) or the reply as `@fusedis/resp` decoded it. An unknown label, type or property key
   * id refreshes the schema (single-flight) and decodes again.
   */
  async decodeReply<T = GraphRecord>(reply: unknown, asArrays = false): Promise<GraphResult<T>> {
    if (reply instanceof Error) throw asGraphError(reply);
    for (let attempt = 1; ; attempt++) {
      const s = this.schema;
      let result: GraphResult<unknown>;
      let missing: number;
      if (reply instanceof Uint8Array) {
        const decoder = this.#wireDecoderFor(s);
        result = decoder.result(reply, asArrays);
        missing = decoder.missing;
      } else {
        const decoder = new CompactDecoder(s.labels, s.relationshipTypes, s.propertyKeys);
        result = decoder.result(reply, asArrays);
        missing = decoder.missing;
      }
      if (missing === 0) return result as GraphResult<T>;
      if (attempt === DECODE_ATTEMPTS) {
        throw new GraphError(`graph ${this.name}: schema ids unknown after a refresh`, 'ERR_GRAPH_SCHEMA');
      }
      await s.refresh(missing);
    }
  }

  /** The wire decoder over `s`'s tables: the cached one while they are the same arrays. */
  #wireDecoderFor(s: SchemaCache): WireDecoder {
    const cached = this.#cachedWire;
    // The cache replaces a table on refresh, never edits it: the same arrays are the same names.
    if (
      cached !== undefined &&
      cached.schema[0] === s.labels &&
      cached.schema[1] === s.relationshipTypes &&
      cached.schema[2] === s.propertyKeys
    ) {
      return cached.decoder;
    }
    const decoder = this.#wireDecoder(s.labels, s.relationshipTypes, s.propertyKeys);
    this.#cachedWire = { schema: [s.labels, s.relationshipTypes, s.propertyKeys], decoder };
    return decoder;
  }

  /** The execution plan of a query (`GRAPH.EXPLAIN`), one line per operation. */
  async explain(cypher: string, options?: Pick<QueryOptions, 'params' | 'signal'>): Promise<string[]> {
    const query = queryText('explain', cypher, options, PLAN_OPTIONS);
    return lines(await this.#send(['GRAPH.EXPLAIN', this.name, query], options?.signal));
  }

  /** Runs a query and returns its plan with records and timings per operation (`GRAPH.PROFILE`). */
  async profile(cypher: string, options?: Pick<QueryOptions, 'params' | 'signal'>): Promise<string[]> {
    const query = queryText('profile', cypher, options, PLAN_OPTIONS);
    return lines(await this.#send(['GRAPH.PROFILE', this.name, query], options?.signal));
  }

  /** Deletes the graph (`GRAPH.DELETE`) and forgets its schema. Rejects for a missing graph. */
  async delete(signal?: AbortSignal): Promise<void> {
    this.schema.clear();
    try {
      await this.#send(['GRAPH.DELETE', this.name], signal);
    } finally {
      this.schema.clear();
    }
  }

  /** Copies the graph to a new key (`GRAPH.COPY`); rejects if `destination` exists. */
  async copy(destination: string, signal?: AbortSignal): Promise<void> {
    checkString('copy', 'destination', destination);
    await this.#send(['GRAPH.COPY', this.name, destination], signal);
  }

  /** The graph's slow queries (`GRAPH.SLOWLOG`), slowest 10 kept by the server. */
  async slowlog(signal?: AbortSignal): Promise<SlowlogEntry[]> {
    const reply = await this.#send(['GRAPH.SLOWLOG', this.name], signal);
    return (reply as unknown[][]).map((e) => ({
      timestamp: Number(e[0]),
      command: String(e[1]),
      query: String(e[2]),
      duration: Number(e[3]),
    }));
  }

  /** Empties the graph's slow log (`GRAPH.SLOWLOG … RESET`). */
  async slowlogReset(signal?: AbortSignal): Promise<void> {
    await this.#send(['GRAPH.SLOWLOG', this.name, 'RESET'], signal);
  }

  /**
   * Estimated memory use (`GRAPH.MEMORY USAGE`), in MB per part, as the server names them
   * (`total_graph_sz_mb`, `label_matrices_sz_mb`, per-label maps…). `samples` sets how many
   * entities per label the server samples.
   */
  async memoryUsage(options?: {
    readonly samples?: number;
    readonly signal?: AbortSignal;
  }): Promise<GraphRecord<unknown>> {
    checkQueryOptions('memoryUsage', options, MEMORY_OPTIONS);
    const args: CommandArg[] = ['GRAPH.MEMORY', 'USAGE', this.name];
    if (options?.samples !== undefined) args.push('SAMPLES', options.samples);
    const record = pairsToRecord(await this.#send(args, options?.signal));
    for (const key of Object.keys(record)) {
      const value = record[key];
      // Per-label and per-type sizes come as nested pair lists.
      if (Array.isArray(value)) record[key] = pairsToRecord(value);
    }
    return record;
  }

  /** Creates a range, full-text or vector index; resolves with the query's result. */
  createIndex(spec: IndexSpec, signal?: AbortSignal): Promise<GraphResult<GraphRecord>> {
    return this.#indexQuery('createIndex', createIndexQuery, spec, signal);
  }

  /** Drops an index made by `createIndex` (same spec, `options` ignored). */
  dropIndex(spec: IndexSpec, signal?: AbortSignal): Promise<GraphResult<GraphRecord>> {
    return this.#indexQuery('dropIndex', dropIndexQuery, spec, signal);
  }

  /** The query `make` writes for `spec`, run; a spec it cannot write rejects (never throws). */
  #indexQuery(
    method: string,
    make: (spec: IndexSpec) => string,
    spec: IndexSpec,
    signal: AbortSignal | undefined,
  ): Promise<GraphResult<GraphRecord>> {
    let query: string;
    try {
      query = make(spec);
    } catch (err) {
      return Promise.reject(asArgumentError(method, err));
    }
    return this.query(query, signal === undefined ? undefined : { signal });
  }

  /** The graph's indexes (`CALL db.indexes()`), one record per index. */
  async indexes(signal?: AbortSignal): Promise<GraphRecord<GraphValue>[]> {
    return (await this.roQuery('CALL db.indexes()', signal === undefined ? undefined : { signal })).rows;
  }

  /**
   * Creates a constraint (`GRAPH.CONSTRAINT CREATE`); resolves once the server accepted it (it is
   * built in the background: `constraints()` shows its status). A unique constraint needs a range
   * index on the same properties first.
   */
  createConstraint(spec: ConstraintSpec, signal?: AbortSignal): Promise<void> {
    return this.#constraint('CREATE', 'createConstraint', spec, signal);
  }

  /** Drops a constraint (`GRAPH.CONSTRAINT DROP`). */
  dropConstraint(spec: ConstraintSpec, signal?: AbortSignal): Promise<void> {
    return this.#constraint('DROP', 'dropConstraint', spec, signal);
  }

  /** `GRAPH.CONSTRAINT CREATE|DROP`: a bad spec rejects as `method`'s argument error. */
  async #constraint(
    verb: 'CREATE' | 'DROP',
    method: string,
    spec: ConstraintSpec,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    let args: CommandArg[];
    try {
      args = constraintArgs(verb, this.name, spec);
    } catch (err) {
      throw asArgumentError(method, err);
    }
    await this.#send(args, signal);
  }

  /** The graph's constraints (`CALL db.constraints()`), one record per constraint. */
  async constraints(signal?: AbortSignal): Promise<GraphRecord<GraphValue>[]> {
    return (await this.roQuery('CALL db.constraints()', signal === undefined ? undefined : { signal })).rows;
  }

  async #run<T>(command: GraphCommand<T>, signal: AbortSignal | undefined): Promise<GraphResult<T>> {
    return command.decode(await this.#send(command.args, signal, true));
  }

  async #send(args: readonly CommandArg[], signal: AbortSignal | undefined, raw = false): Promise<unknown> {
    checkSignal(String(args[0]), signal);
    const options: SendOptions = raw
      ? signal === undefined
        ? RAW_UTF8
        : { stringMode: 'utf8', raw, signal }
      : signal === undefined
        ? UTF8
        : { stringMode: 'utf8', signal };
    try {
      return await this.#executor.sendCommand(args, options);
    } catch (err) {
      throw asGraphError(err);
    }
  }
}

/**
 * The text sent for `cypher` with `options.params` before it (`CYPHER name=value … query`), after
 * checking what `method` was given: a string query, known options, parameters it can write.
 */
function queryText(
  method: string,
  cypher: string,
  options: Pick<QueryOptions, 'params'> | undefined,
  known?: readonly string[],
): string {
  checkString(method, 'the query', cypher);
  checkQueryOptions(method, options, known);
  try {
    return cypherParamsPrefix(options?.params) + cypher;
  } catch (err) {
    throw asArgumentError(method, err);
  }
}

function constraintArgs(op: 'CREATE' | 'DROP', graph: string, spec: ConstraintSpec): CommandArg[] {
  return [
    'GRAPH.CONSTRAINT',
    op,
    graph,
    spec.type === 'unique' ? 'UNIQUE' : 'MANDATORY',
    (spec.entity ?? 'node') === 'node' ? 'NODE' : 'RELATIONSHIP',
    spec.label,
    'PROPERTIES',
    spec.properties.length,
    ...spec.properties,
  ];
}

function lines(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.map(String) : [String(reply)];
}
