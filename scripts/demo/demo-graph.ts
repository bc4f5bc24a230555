/**
 * Demo part 4: FalkorDB through `client.graph(name)` — typed nodes and edges with their label,
 * type and property names resolved, parameters sent safely, statistics parsed.
 */
import { inspect } from 'node:util';
import { createClient, type GraphEdge, type GraphNode } from '@fusedis/client';

export async function demoGraph(url: string): Promise<void> {
  console.log('\n── part 4: FalkorDB through client.graph(name) ──');
  const redis = createClient(url);
  const graph = redis.graph('demo:social');
  try {
    const created = await graph.query(
      'UNWIND range(1, $n) AS i CREATE (:Person {name: $prefix + toString(i), born: 1800 + i})',
      { params: { n: 1_000, prefix: "person 'quoted' #" } },
    );
    console.log(
      `created ${created.statistics.nodesCreated} nodes, ${created.statistics.propertiesSet} properties (params sent as a CYPHER prefix, quotes escaped)`,
    );
    await graph.query(
      'MATCH (a:Person {born: 1801}), (b:Person {born: 1802}) CREATE (a)-[:KNOWS {since: 1833}]->(b)',
    );
    const { rows } = await graph.roQuery<{ a: GraphNode; r: GraphEdge; b: GraphNode }>(
      'MATCH (a:Person)-[r:KNOWS]->(b:Person) RETURN a, r, b',
    );
    const row = rows[0];
    console.log(
      `roQuery → a ${row?.a.labels.join(':')} named ${inspect(row?.a.properties.name)} ─[${row?.r.relationshipType} since ${row?.r.properties.since}]→ ${inspect(row?.b.properties.name)}`,
    );
    const started = process.hrtime.bigint();
    const all = await graph.roQuery<{ p: GraphNode }>('MATCH (p:Person) RETURN p');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${all.rows.length} full Node objects decoded in ${ms.toFixed(1)} ms (round trip included)`);
    const info = redis.decoderInfo;
    console.log(
      `compact replies reach @fusedis/graph as frame bytes; FalkorDB decoder: ${info?.graphDecoder === 'native' ? "native-codec's" : "graph's JS one (the faster)"}; RESP decoder: ${info?.kind ?? '?'}`,
    );
  } finally {
    await graph.delete().catch(() => {});
    await redis.quit();
  }
}
