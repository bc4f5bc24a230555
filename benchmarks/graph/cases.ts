/**
 * The graph benchmark's data set and cases. The graph is seeded once per run (seed.ts); every peer
 * runs the same queries against the same server.
 */

/** Nodes in the seeded graph, each `(:N {id, name, score, active})`. */
export const NODE_COUNT = 200_000;
/** Edges: two per node, `(:N)-[:E {w}]->(:N)`. */
export const EDGE_COUNT = 400_000;
/** The graph's key. */
export const GRAPH_NAME = 'bench:graph';

export interface GraphCase {
  readonly id: string;
  readonly title: string;
  readonly query: string;
  /** Rows the query returns. */
  readonly rows: number;
  /** The column summed by the cross-peer check (a number, or a node/edge whose `id` is summed). */
  readonly digestColumn: string;
  /** Warm-up and measured iterations per child process, end to end and decode-only. */
  readonly warmup: number;
  readonly iterations: number;
  readonly decodeWarmup: number;
  readonly decodeIterations: number;
  /**
   * Decode-only: runs timed back to back per sample (the sample is their mean), gc() before each
   * sample. A reply decoded in tens of µs needs it: gc() before every single run would time the
   * first run after a full GC (cold caches) and the timer's grain, never the steady state.
   */
  readonly decodeBatch: number;
}

export const CASES: readonly GraphCase[] = [
  {
    id: 'g1',
    title: '100,000 nodes, 4 properties as scalar columns',
    query: 'MATCH (n:N) RETURN n.id AS id, n.name AS name, n.score AS score, n.active AS active LIMIT 100000',
    rows: 100_000,
    digestColumn: 'id',
    warmup: 2,
    iterations: 4,
    decodeWarmup: 5,
    decodeIterations: 10,
    decodeBatch: 1,
  },
  {
    id: 'g2',
    title: '100,000 full Node objects (4 properties each)',
    query: 'MATCH (n:N) RETURN n LIMIT 100000',
    rows: 100_000,
    digestColumn: 'n',
    warmup: 2,
    iterations: 4,
    decodeWarmup: 5,
    decodeIterations: 10,
    decodeBatch: 1,
  },
  {
    id: 'g3',
    title: '100,000 edges (1 property each)',
    query: 'MATCH ()-[e:E]->() RETURN e LIMIT 100000',
    rows: 100_000,
    digestColumn: 'e',
    warmup: 2,
    iterations: 4,
    decodeWarmup: 5,
    decodeIterations: 10,
    decodeBatch: 1,
  },
  {
    id: 'g4',
    title: '2-hop traversal, 100,000 rows',
    query: 'MATCH (a:N)-[:E]->(b:N)-[:E]->(c:N) RETURN a.id AS a, b.id AS b, c.name AS c LIMIT 100000',
    rows: 100_000,
    digestColumn: 'a',
    warmup: 2,
    iterations: 4,
    decodeWarmup: 5,
    decodeIterations: 10,
    decodeBatch: 1,
  },
  {
    id: 'g5',
    title: '100-row aggregation (server-bound control)',
    query: 'MATCH (n:N) RETURN n.id % 100 AS bucket, count(n) AS c, avg(n.score) AS s ORDER BY bucket',
    rows: 100,
    digestColumn: 'c',
    warmup: 2,
    iterations: 20,
    decodeWarmup: 200,
    decodeIterations: 10,
    decodeBatch: 200,
  },
];

/** Sums `row[column]`, or its `.id` for a node or edge: the same number whichever peer decoded it. */
export function digest(rows: readonly Record<string, unknown>[], column: string): number {
  let sum = 0;
  for (const row of rows) {
    const v = row[column];
    sum += typeof v === 'object' && v !== null ? Number((v as { id: unknown }).id) : Number(v);
  }
  return sum;
}
