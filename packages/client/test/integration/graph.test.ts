import { findServers, type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient, type GraphEdge, GraphError, type GraphNode } from '../../src/index.js';

// client.graph(name): @fusedis/graph over the client, against a real FalkorDB.
let server: RedisServer | undefined;
let redis: Client | undefined;
const falkordb = (await findServers()).falkordbModule;

beforeAll(async () => {
  if (falkordb === undefined) return;
  server = await startRedis({ module: falkordb });
  redis = createClient({ host: server.host, port: server.port });
}, 60_000);

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

describe.skipIf(falkordb === undefined)(
  'client.graph(name) (skipped: no FalkorDB module on this machine)',
  () => {
    it('creates and reads typed nodes and edges with names resolved, params escaped', async () => {
      const graph = (redis as Client).graph('client-social');
      const created = await graph.query(
        'CREATE (:Person {name: $a})-[:KNOWS {since: 1833}]->(:Person {name: $b})',
        {
          params: { a: "Ada 'the first' \\ Lovelace", b: 'Charles' },
        },
      );
      expect(created.statistics.nodesCreated).toBe(2);
      const { rows } = await graph.roQuery<{ a: GraphNode; r: GraphEdge; b: GraphNode }>(
        'MATCH (a:Person)-[r:KNOWS]->(b) RETURN a, r, b',
      );
      const row = rows[0];
      expect(row?.a.labels).toEqual(['Person']);
      expect(row?.a.properties.name).toBe("Ada 'the first' \\ Lovelace");
      expect(row?.r.relationshipType).toBe('KNOWS');
      expect(row?.b.properties.name).toBe('Charles');
      await graph.delete();
    });

    it('turns server errors into GraphError and honours an AbortSignal', async () => {
      const graph = (redis as Client).graph('client-errors');
      await expect(graph.query('THIS IS NOT CYPHER')).rejects.toBeInstanceOf(GraphError);
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(graph.query('RETURN 1', { signal: controller.signal })).rejects.toThrow('stop');
    });

    it('works in a client that returns buffers: graph replies still decode as strings', async () => {
      const buffers = createClient({
        host: server?.host ?? '',
        port: server?.port ?? 0,
        returnBuffers: true,
      });
      try {
        const { rows } = await buffers.graph('client-buffers').query<{ s: string }>("RETURN 'text' AS s");
        expect(rows[0]?.s).toBe('text');
      } finally {
        await buffers.quit();
      }
    });
  },
);
