import { Graph } from '@fusedis/graph';
import { SocketExecutor } from '../../packages/graph/test/support/socket-executor.js';
import { EDGE_COUNT, GRAPH_NAME, NODE_COUNT } from './cases.js';

const BATCH = 50_000;

/** Seeds GRAPH_NAME (replacing it) with NODE_COUNT nodes and EDGE_COUNT edges, in UNWIND batches. */
export async function seedGraph(port: number, log: (line: string) => void): Promise<void> {
  const executor = await SocketExecutor.open(port);
  try {
    const graph = new Graph(executor, GRAPH_NAME);
    await graph.delete().catch(() => {});
    const started = performance.now();
    for (let from = 0; from < NODE_COUNT; from += BATCH) {
      await graph.query(
        "UNWIND range($from, $to) AS i CREATE (:N {id: i, name: 'node-' + toString(i), score: i / 7.0, active: i % 2 = 0})",
        { params: { from, to: Math.min(from + BATCH, NODE_COUNT) - 1 } },
      );
    }
    log(`  ${NODE_COUNT} nodes created`);
    await graph.createIndex({ label: 'N', properties: ['id'] });
    // The index is built in the background; until it is OPERATIONAL the edge MATCHes below would
    // scan every node (50,000 × 200,000 per batch).
    while (!(await graph.indexes()).every((index) => index.status === 'OPERATIONAL')) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Two edges per node: i → 7i+1 and i → 13i+5 (mod NODE_COUNT).
    for (const [mul, add] of [
      [7, 1],
      [13, 5],
    ] as const) {
      for (let from = 0; from < NODE_COUNT; from += BATCH) {
        await graph.query(
          'UNWIND range($from, $to) AS i MATCH (a:N {id: i}), (b:N {id: (i * $mul + $add) % $n}) CREATE (a)-[:E {w: i}]->(b)',
          { params: { from, to: Math.min(from + BATCH, NODE_COUNT) - 1, mul, add, n: NODE_COUNT } },
        );
      }
      log(`  edges i → ${mul}i+${add} created`);
    }
    const { rows } = await graph.roQuery(
      'MATCH (n:N) WITH count(n) AS nodes MATCH ()-[e:E]->() RETURN nodes, count(e) AS edges',
    );
    const counts = rows[0] ?? {};
    if (counts.nodes !== NODE_COUNT || counts.edges !== EDGE_COUNT) {
      throw new Error(`seeding produced ${String(counts.nodes)} nodes and ${String(counts.edges)} edges`);
    }
    log(
      `seeded ${NODE_COUNT} nodes and ${EDGE_COUNT} edges in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await executor.close();
  }
}
