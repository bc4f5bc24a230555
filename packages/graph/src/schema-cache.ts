import type { CommandExecutor } from './command-executor.js';
import { GraphError } from './graph-error.js';
import { asGraphError } from './internal/as-graph-error.js';

/** Which name tables a refresh reloads: a bit set of {@link SCHEMA_LABELS} and friends. */
export type SchemaKinds = number;
/** Label names (`CALL db.labels()`). */
export const SCHEMA_LABELS = 1;
/** Relationship type names (`CALL db.relationshipTypes()`). */
export const SCHEMA_RELATIONSHIP_TYPES = 2;
/** Property key names (`CALL db.propertyKeys()`). */
export const SCHEMA_PROPERTY_KEYS = 4;

const PROCEDURES: readonly (readonly [SchemaKinds, string])[] = [
  [SCHEMA_LABELS, 'CALL db.labels()'],
  [SCHEMA_RELATIONSHIP_TYPES, 'CALL db.relationshipTypes()'],
  [SCHEMA_PROPERTY_KEYS, 'CALL db.propertyKeys()'],
];

/**
 * One graph's id → name tables. Compact replies name labels, relationship types and property keys
 * by id (their index in these arrays); FalkorDB only ever appends to them, until the graph is
 * deleted. A decoder that meets an id past the end asks for a refresh of that table.
 *
 * Refreshes are single-flight: while one runs, other callers wait for it instead of sending their
 * own. A caller whose id is still unknown afterwards calls `refresh` again (that refresh starts
 * after its reply arrived, so it sees every name the reply can use).
 */
export class SchemaCache {
  /** Label names by id. */
  labels: readonly string[] = [];
  /** Relationship type names by id. */
  relationshipTypes: readonly string[] = [];
  /** Property key names by id. */
  propertyKeys: readonly string[] = [];

  readonly #executor: CommandExecutor;
  readonly #graph: string;
  #inflight: Promise<void> | undefined;
  #inflightKinds: SchemaKinds = 0;
  // Bumped by clear(): a refresh started before a GRAPH.DELETE must not write its stale names back.
  #generation = 0;
  #refreshes = 0;

  constructor(executor: CommandExecutor, graph: string) {
    this.#executor = executor;
    this.#graph = graph;
  }

  /** How many refreshes reached the server so far (for tests and diagnostics). */
  get refreshCount(): number {
    return this.#refreshes;
  }

  /** Forgets every name: after `GRAPH.DELETE`, ids are handed out again from 0. */
  clear(): void {
    this.labels = [];
    this.relationshipTypes = [];
    this.propertyKeys = [];
    this.#generation++;
  }

  /**
   * Reloads the tables in `kinds`, or waits for the refresh already running. Rejects with a
   * `GraphError` when the server refuses the procedure calls.
   */
  async refresh(kinds: SchemaKinds): Promise<void> {
    // Join a running refresh that covers every table asked for; otherwise let it finish first.
    while (this.#inflight !== undefined) {
      const running = this.#inflight;
      if ((kinds & ~this.#inflightKinds) === 0) return running;
      await running.catch(() => {});
    }
    const run = this.#load(kinds).finally(() => {
      this.#inflight = undefined;
    });
    this.#inflight = run;
    this.#inflightKinds = kinds;
    return run;
  }

  async #load(kinds: SchemaKinds): Promise<void> {
    const generation = this.#generation;
    this.#refreshes++;
    const wanted = PROCEDURES.filter(([kind]) => (kinds & kind) !== 0);
    const tables = await Promise.all(wanted.map(([, call]) => this.#names(call)));
    if (generation !== this.#generation) return;
    wanted.forEach(([kind], i) => {
      const names = tables[i] ?? [];
      if (kind === SCHEMA_LABELS) this.labels = names;
      else if (kind === SCHEMA_RELATIONSHIP_TYPES) this.relationshipTypes = names;
      else this.propertyKeys = names;
    });
  }

  async #names(call: string): Promise<string[]> {
    let reply: unknown;
    try {
      reply = await this.#executor.sendCommand(['GRAPH.RO_QUERY', this.#graph, call, '--compact'], {
        stringMode: 'utf8',
      });
    } catch (err) {
      throw asGraphError(err);
    }
    // [header, rows, stats]; each row is [[type, name]].
    const rows = Array.isArray(reply) ? (reply[1] as unknown) : undefined;
    if (!Array.isArray(rows)) throw new GraphError(`unexpected reply to ${call}`, 'ERR_GRAPH_REPLY');
    const names = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const cell = (rows[i] as unknown[] | undefined)?.[0] as unknown[] | undefined;
      names[i] = String(cell?.[1]);
    }
    return names;
  }
}
