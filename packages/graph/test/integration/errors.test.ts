import { ReplyError } from '@fusedis/resp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, GraphError } from '../../src/index.js';
import type { SocketExecutor } from '../support/socket-executor.js';
import { openExecutor, uniqueGraphName } from './falkordb.js';

let executor: SocketExecutor;
let graph: Graph;

beforeAll(async () => {
  executor = await openExecutor();
  graph = new Graph(executor, uniqueGraphName('errors'));
  await graph.query('CREATE (:X {v: 1})');
});

afterAll(async () => {
  await graph.delete().catch(() => {});
  await executor.close();
});

async function failure(p: Promise<unknown>): Promise<GraphError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GraphError);
  return err as GraphError;
}

describe('server errors become GraphError', () => {
  it('a Cypher syntax error, with the server message and the ReplyError as cause', async () => {
    const err = await failure(graph.query('RETURN 1 +'));
    expect(err.code).toBe('ERR_GRAPH');
    expect(err.name).toBe('GraphError');
    expect(err.message).toMatch(/Invalid input/);
    expect(err.cause).toBeInstanceOf(ReplyError);
  });

  it('a write sent through roQuery', async () => {
    const err = await failure(graph.roQuery('CREATE (:Y)'));
    expect(err.message).toMatch(/read-only/);
    // Nothing was written.
    expect((await graph.roQuery('MATCH (n:Y) RETURN count(n) AS c')).rows[0]?.c).toBe(0);
  });

  it('a query past its timeout', async () => {
    const err = await failure(
      graph.roQuery('UNWIND range(1, 2000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x)', { timeout: 1 }),
    );
    expect(err.message).toMatch(/timed out/i);
  });

  it('deleting a graph that does not exist, and a runtime error', async () => {
    await failure(new Graph(executor, uniqueGraphName('missing')).delete());
    const err = await failure(graph.query("UNWIND [1, 'a'] AS x RETURN x * 2"));
    expect(err.code).toBe('ERR_GRAPH');
    expect(err.message).toMatch(/Type mismatch/);
  });

  it('the connection keeps working after errors', async () => {
    expect((await graph.query('MATCH (n:X) RETURN n.v AS v')).rows).toEqual([
      Object.assign(Object.create(null) as object, { v: 1 }),
    ]);
  });
});

describe('AbortSignal', () => {
  it('rejects with the signal reason, and the late reply does not reach the next query', async () => {
    const controller = new AbortController();
    const slow = graph.roQuery('UNWIND range(1, 1000000) AS x RETURN count(x) AS c', {
      signal: controller.signal,
    });
    const reason = new Error('user gave up');
    controller.abort(reason);
    await expect(slow).rejects.toBe(reason);
    const { rows } = await graph.roQuery('RETURN 7 AS seven');
    expect(rows[0]?.seven).toBe(7);
  });

  it('rejects at once for an already aborted signal', async () => {
    const reason = new Error('too late');
    await expect(graph.query('RETURN 1', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});
