import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, GraphError, type GraphNode, type GraphRecord } from '../../src/index.js';
import type { SocketExecutor } from '../support/socket-executor.js';
import { openExecutor, uniqueGraphName } from './falkordb.js';

let executor: SocketExecutor;

beforeAll(async () => {
  executor = await openExecutor();
});

afterAll(async () => {
  await executor.close();
});

describe('graph queries in a pipeline', () => {
  for (const raw of [false, true]) {
    it(`sends several graph commands in one write and decodes each reply in order (${raw ? 'frame bytes' : 'decoded replies'})`, async () => {
      const graph = new Graph(executor, uniqueGraphName('pipeline'));
      const commands = [
        graph.command("CREATE (:P {name: 'a'})"),
        graph.command('CREATE (:Q {name: $n})', { params: { n: 'b' } }),
        graph.command('MATCH (n) RETURN n ORDER BY n.name'),
        graph.command('RETURN 1 +'),
        graph.command('MATCH (n) RETURN count(n) AS c', undefined, true),
      ];
      const replies = executor.sendPipeline(
        commands.map((c) => c.args),
        raw ? { raw } : undefined,
      );
      const settled = await Promise.allSettled(replies.map(async (p, i) => commands[i]?.decode(await p)));
      expect(settled.map((s) => s.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const read = (settled[2] as PromiseFulfilledResult<{ rows: GraphRecord[] }>).value;
      expect(read.rows.map((r) => (r.n as GraphNode).labels[0])).toEqual(['P', 'Q']);
      // The error reply stays in its place and is a GraphError once decoded.
      const failed = await commands[3]
        ?.decode(await replies[3]?.catch((e: unknown) => e))
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(GraphError);
      expect((settled[4] as PromiseFulfilledResult<{ rows: GraphRecord[] }>).value.rows[0]?.c).toBe(2);
      await graph.delete();
    });
  }
});
