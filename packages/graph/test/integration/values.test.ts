import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Graph,
  GraphDuration,
  GraphEdge,
  type GraphNode,
  GraphPath,
  GraphPoint,
  type GraphRecord,
  GraphTime,
  RECORD_PROTOTYPE,
  SCHEMA_LABELS,
  SCHEMA_PROPERTY_KEYS,
  SCHEMA_RELATIONSHIP_TYPES,
} from '../../src/index.js';
import { FIXTURE_QUERIES, FIXTURE_SEED, type FixtureName } from '../support/fixture-queries.js';
import { fixtures, respDecode, wireOf } from '../support/fixtures.js';
import type { SocketExecutor } from '../support/socket-executor.js';
import { openExecutor, uniqueGraphName } from './falkordb.js';

let executor: SocketExecutor;
let graph: Graph;

beforeAll(async () => {
  executor = await openExecutor();
  graph = new Graph(executor, uniqueGraphName('values'));
});

afterAll(async () => {
  await graph.delete().catch(() => {});
  await executor.close();
});

async function one(cypher: string, params?: Record<string, never>): Promise<GraphRecord> {
  const { rows } = await graph.query(cypher, params === undefined ? undefined : { params });
  expect(rows).toHaveLength(1);
  return rows[0] as GraphRecord;
}

describe('every FalkorDB value type through real queries', () => {
  it('scalars: null, strings, integers, booleans, doubles', async () => {
    const row = await one(
      "RETURN null AS n, 'ü 🎉 \\u0001' AS s, -7 AS i, true AS t, 0.1 AS d, 1e-300 AS tiny, -9223372036854775808 AS min",
    );
    expect(row.n).toBeNull();
    expect(row.s).toBe('ü 🎉 \\u0001');
    expect(row.i).toBe(-7);
    expect(row.t).toBe(true);
    expect(row.d).toBe(0.1);
    expect(row.tiny).toBe(1e-300);
    expect(row.min).toBe(-9223372036854775808n);
  });

  it('binary-ish strings (control characters, quotes, backslashes) survive both ways', async () => {
    let text = '';
    for (let c = 1; c < 128; c++) text += String.fromCharCode(c);
    text += '\u00ff\u0100\uffff😀';
    const { rows } = await graph.query('RETURN $p AS p, size($p) AS n', { params: { p: text } });
    expect((rows[0] as GraphRecord).p).toBe(text);
  });

  it('nodes, edges and paths of length 0, 1 and many, with names resolved', async () => {
    await graph.query(
      "CREATE (a:Station {name: 'A', n: 0})-[:LINE {km: 1.5}]->(:Station {name: 'B', n: 1})-[:LINE {km: 2.5}]->(:Station:Terminal {name: 'C', n: 2})-[:LINE {km: 3.5}]->(:Station {name: 'D', n: 3})",
    );
    const row = await one(
      "MATCH p = (a:Station {name: 'A'})-[:LINE*3]->(d) MATCH p0 = (a) MATCH (x)-[r:LINE {km: 2.5}]->(y) RETURN p, p0, r, y",
    );
    const p = row.p as GraphPath;
    expect(p).toBeInstanceOf(GraphPath);
    expect(p.nodes.map((n) => n.properties.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(p.nodes[2]?.labels).toEqual(['Station', 'Terminal']);
    expect(p.edges.map((e) => e.properties.km)).toEqual([1.5, 2.5, 3.5]);
    expect(
      p.edges.every((e, i) => e.sourceId === p.nodes[i]?.id && e.destinationId === p.nodes[i + 1]?.id),
    ).toBe(true);
    expect(row.p0).toEqual(new GraphPath([p.nodes[0] as GraphNode], []));
    const r = row.r as GraphEdge;
    expect(r).toBeInstanceOf(GraphEdge);
    expect(r.relationshipType).toBe('LINE');
    expect(row.y).toEqual(p.nodes[2]);
    expect(Object.getPrototypeOf(r.properties)).toBe(RECORD_PROTOTYPE);
  });

  it('nested arrays and maps of nodes and paths', async () => {
    const row = await one(
      "MATCH p = (a:Station {name: 'A'})-[e]->(b) RETURN [a, [b, {path: p, list: [e, null]}]] AS deep, {nodes: collect(a), n: {m: {x: [1, 2.5, 'z']}}} AS m",
    );
    const deep = row.deep as [GraphNode, [GraphNode, GraphRecord]];
    expect(deep[0].properties.name).toBe('A');
    expect(deep[1][0].properties.name).toBe('B');
    expect(deep[1][1].path).toBeInstanceOf(GraphPath);
    expect((deep[1][1].list as unknown[])[0]).toBeInstanceOf(GraphEdge);
    expect((deep[1][1].list as unknown[])[1]).toBeNull();
    const m = row.m as GraphRecord;
    expect((m.nodes as GraphNode[])[0]?.properties.name).toBe('A');
    expect(((m.n as GraphRecord).m as GraphRecord).x).toEqual([1, 2.5, 'z']);
  });

  it('points, vectors and temporal values', async () => {
    const row = await one(
      "RETURN point({latitude: -33.8688, longitude: 151.2093}) AS p, vecf32([1.5, -0.25, 1e-3]) AS v, localdatetime('1999-12-31T23:59:58') AS dt, date('1969-07-20') AS d, localtime('00:00:01') AS t, duration('PT90M') AS dur",
    );
    // FalkorDB keeps point coordinates as float32 and prints them with 15 digits.
    const p = row.p as GraphPoint;
    expect(p).toBeInstanceOf(GraphPoint);
    expect(p.latitude).toBeCloseTo(-33.8688, 5);
    expect(p.longitude).toBeCloseTo(151.2093, 5);
    expect([...(row.v as Float32Array)]).toEqual([1.5, -0.25, Math.fround(1e-3)]);
    expect(row.dt).toEqual(new Date('1999-12-31T23:59:58Z'));
    expect(row.d).toEqual(new Date('1969-07-20T00:00:00Z'));
    expect(row.t).toEqual(new GraphTime(1));
    expect(row.dur).toEqual(new GraphDuration(5400));
  });

  it('decodes the live replies exactly like the recorded fixtures', async () => {
    const g = new Graph(executor, uniqueGraphName('fixtures'));
    try {
      for (const q of FIXTURE_SEED) await g.query(q);
      for (const [name, query] of Object.entries(FIXTURE_QUERIES) as [FixtureName, string][]) {
        const live = await g.query(query);
        const recorded = await g.decodeReply(respDecode(wireOf(name)));
        const scrub = (r: typeof live) => ({ columns: r.columns, rows: r.rows });
        expect(scrub(live), name).toEqual(scrub(recorded));
      }
      // Same graph, same statements: the ids the fixtures were decoded with are this server's ids.
      await g.schema.refresh(SCHEMA_LABELS | SCHEMA_RELATIONSHIP_TYPES | SCHEMA_PROPERTY_KEYS);
      expect(g.schema.labels).toEqual(fixtures.schema.labels);
      expect(g.schema.relationshipTypes).toEqual(fixtures.schema.relationshipTypes);
      expect(g.schema.propertyKeys).toEqual(fixtures.schema.propertyKeys);
    } finally {
      await g.delete();
    }
  });
});
