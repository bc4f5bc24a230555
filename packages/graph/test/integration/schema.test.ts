import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, type GraphEdge, type GraphNode, type GraphRecord } from '../../src/index.js';
import type { SocketExecutor } from '../support/socket-executor.js';
import { openExecutor, uniqueGraphName } from './falkordb.js';

let executor: SocketExecutor;
let other: SocketExecutor;

beforeAll(async () => {
  executor = await openExecutor();
  other = await openExecutor();
});

afterAll(async () => {
  await executor.close();
  await other.close();
});

function nodeOf(rows: GraphRecord[]): GraphNode {
  return (rows[0] as GraphRecord).n as GraphNode;
}

describe('schema cache against a changing graph', () => {
  it('resolves a label, type and key that appear mid-session, with one refresh each time', async () => {
    const name = uniqueGraphName('schema');
    const graph = new Graph(executor, name);
    try {
      await graph.query('CREATE (:A {a: 1})');
      expect(nodeOf((await graph.query('MATCH (n:A) RETURN n')).rows).labels).toEqual(['A']);
      const refreshes = graph.schema.refreshCount;
      // Another connection (another client) adds a label, a type and a key the cache never saw.
      await new Graph(other, name).query("CREATE (:B {b: 'x'})-[:R {w: 2}]->(:A {a: 2})");
      const { rows } = await graph.query('MATCH (n:B)-[r]->(m) RETURN n, r, m');
      const row = rows[0] as GraphRecord;
      expect((row.n as GraphNode).labels).toEqual(['B']);
      expect((row.n as GraphNode).properties.b).toBe('x');
      expect((row.r as GraphEdge).relationshipType).toBe('R');
      expect((row.r as GraphEdge).properties.w).toBe(2);
      expect(graph.schema.refreshCount).toBe(refreshes + 1);
      // Known ids now: no more refreshes.
      await graph.query('MATCH (n:B)-[r]->(m) RETURN n, r, m');
      expect(graph.schema.refreshCount).toBe(refreshes + 1);
    } finally {
      await graph.delete();
    }
  });

  it('is correct after GRAPH.DELETE and re-creation with the same ids meaning other names', async () => {
    const graph = new Graph(executor, uniqueGraphName('recreate'));
    await graph.query('CREATE (:First {p: 1})');
    expect(nodeOf((await graph.query('MATCH (n) RETURN n')).rows).labels).toEqual(['First']);
    await graph.delete();
    // Label id 0 and key id 0 now belong to other names.
    await graph.query('CREATE (:Second {q: 2})');
    const node = nodeOf((await graph.query('MATCH (n) RETURN n')).rows);
    expect(node.labels).toEqual(['Second']);
    expect(Object.keys(node.properties)).toEqual(['q']);
    await graph.delete();
  });

  it('keeps concurrent queries to one refresh when they miss together', async () => {
    const name = uniqueGraphName('flight');
    const seed = new Graph(other, name);
    await seed.query('UNWIND range(1, 5) AS i CREATE (:L {k: i})');
    const graph = new Graph(executor, name);
    const results = await Promise.all(Array.from({ length: 8 }, () => graph.query('MATCH (n:L) RETURN n')));
    expect(results.every((r) => r.rows.length === 5)).toBe(true);
    expect(graph.schema.refreshCount).toBe(1);
    await seed.delete();
  });
});
