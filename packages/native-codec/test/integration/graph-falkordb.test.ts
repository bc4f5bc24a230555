import * as graph from '@fusedis/graph';
import { findServers, type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphWireDecoder } from '../../src/index.js';
import { difference } from '../support/graph-difference.js';
import { GraphTestExecutor } from '../support/graph-executor.js';

const { Graph, GraphError, GraphNode, GraphPath } = graph;

// This project's global setup starts no FalkorDB (only graph:integration's does): start our own.
let server: RedisServer;
let executor: GraphTestExecutor;
let executor3: GraphTestExecutor;
const NAME = `native-graph:${process.pid}`;

beforeAll(async () => {
  const { falkordbModule } = await findServers();
  if (falkordbModule === undefined) throw new Error('no FalkorDB module: run scripts/setup.sh');
  server = await startRedis({ module: falkordbModule });
  executor = await GraphTestExecutor.open(server.port);
  executor3 = await GraphTestExecutor.open(server.port, 3);
  const seed = new Graph(executor, NAME);
  await seed.query(
    "CREATE (a:Person {name: 'Ada', age: 36, score: 1.5, active: true, tags: ['x', 'y'], born: date('1990-05-01')})" +
      "-[:KNOWS {since: 2020, w: 0.25}]->(b:Person:Dev {name: 'Bob', `__proto__`: 'data', at: point({latitude: 51.5, longitude: -0.125})})",
  );
  await seed.query(
    'UNWIND range(1, 1000) AS i CREATE (:N {id: i, name: "node-" + toString(i), score: i / 7.0, active: i % 2 = 0})',
  );
}, 60_000);

afterAll(async () => {
  await executor?.close();
  await executor3?.close();
  await server?.stop();
});

const QUERIES = [
  'MATCH (n:N) RETURN n ORDER BY n.id',
  'MATCH (n:N) RETURN n.id AS id, n.name AS name, n.score AS score, n.active AS active ORDER BY id',
  'MATCH (a:Person)-[r:KNOWS]->(b) RETURN a, r, b',
  "MATCH p = (:Person {name: 'Ada'})-[:KNOWS]->() RETURN p",
  "RETURN null AS n, 'héllo 🎉' AS s, 9223372036854775807 AS big, 1.0/0 AS inf, -0.0 AS nz, [1, 'a', [2.5, null]] AS arr, {k: 1, `__proto__`: 'v'} AS m",
  "RETURN vecf32([0.1, -2.5, 3]) AS v, localdatetime('2024-01-02T03:04:05') AS dt, localtime('23:59:59') AS t, duration('P1DT2H') AS d",
  'MATCH (n:Nope) RETURN n',
  'CREATE (:Tmp {x: 1})',
];

describe('Graph with the native wire decoder, over a real FalkorDB', () => {
  it.each([
    ['RESP2', () => executor],
    ['RESP3', () => executor3],
  ])(
    'returns what the built-in decoder returns (%s), for every query, as records and as arrays',
    async (_, on) => {
      const factory = createGraphWireDecoder(graph);
      let decodes = 0;
      // Counts replies, not decoders: a Graph keeps one decoder per schema snapshot.
      const wireDecoder: graph.WireDecoderFactory = (labels, types, keys) => {
        const inner = factory(labels, types, keys);
        return {
          get missing() {
            return inner.missing;
          },
          result(bytes, asArrays) {
            decodes++;
            return inner.result(bytes, asArrays);
          },
        };
      };
      const native = new Graph(on(), NAME, { wireDecoder });
      const js = new Graph(on(), NAME);
      for (const query of QUERIES) {
        for (const rows of ['records', 'arrays'] as const) {
          const a = await js.query(query, { rows });
          const b = await native.query(query, { rows });
          // Timings and cache hits differ between two runs; everything else must not.
          expect(difference(a.columns, b.columns), query).toBeUndefined();
          expect(difference(a.rows, b.rows), query).toBeUndefined();
          expect(Object.getPrototypeOf(b.statistics)).toBe(graph.GraphStatistics.prototype);
        }
      }
      // Every reply went through the native decoder (plus one retry per schema refresh).
      expect(decodes).toBeGreaterThanOrEqual(QUERIES.length * 2);
    },
  );

  it('builds graph classes with names resolved, refreshing an empty schema first', async () => {
    const native = new Graph(executor, NAME, { wireDecoder: createGraphWireDecoder(graph) });
    expect(native.schema.labels).toEqual([]);
    const { rows } = await native.roQuery<{ p: graph.GraphPath }>(
      "MATCH p = (:Person {name: 'Ada'})-[:KNOWS]->() RETURN p",
    );
    const path = rows[0]?.p;
    expect(path).toBeInstanceOf(GraphPath);
    expect(path?.nodes[0]).toBeInstanceOf(GraphNode);
    expect(path?.nodes[1]?.labels).toEqual(['Person', 'Dev']);
    // A property named __proto__ is own data, not a prototype.
    const bob = path?.nodes[1]?.properties ?? {};
    expect(Object.getOwnPropertyDescriptor(bob, '__proto__')?.value).toBe('data');
    expect(path?.edges[0]?.relationshipType).toBe('KNOWS');
    expect(native.schema.refreshCount).toBeGreaterThan(0);
  });

  it('rejects a server error with GraphError ERR_GRAPH', async () => {
    const native = new Graph(executor, NAME, { wireDecoder: createGraphWireDecoder(graph) });
    const error = await native.query('RETURN nope(').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ code: 'ERR_GRAPH' });
  });
});
