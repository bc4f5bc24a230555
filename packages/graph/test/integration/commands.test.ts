import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, GraphError, type GraphRecord, GraphServer } from '../../src/index.js';
import type { SocketExecutor } from '../support/socket-executor.js';
import { openExecutor, uniqueGraphName } from './falkordb.js';

let executor: SocketExecutor;
let graph: Graph;
let server: GraphServer;

beforeAll(async () => {
  executor = await openExecutor();
  graph = new Graph(executor, uniqueGraphName('commands'));
  server = new GraphServer(executor);
  await graph.query(
    "UNWIND range(1, 50) AS i CREATE (:Doc {id: i, title: 'doc ' + toString(i), emb: vecf32([i, 0])})",
  );
});

afterAll(async () => {
  await graph.delete().catch(() => {});
  await executor.close();
});

describe('graph commands', () => {
  it('explain and profile return the plan lines', async () => {
    const plan = await graph.explain('MATCH (d:Doc) WHERE d.id > $min RETURN d', { params: { min: 3 } });
    expect(plan.some((line) => /Node By Label Scan|Filter/.test(line))).toBe(true);
    const profile = await graph.profile('MATCH (d:Doc) RETURN count(d)');
    expect(profile.some((line) => /Records produced/.test(line))).toBe(true);
  });

  it('copy makes a second graph; list shows both; delete removes it', async () => {
    const copyName = `${graph.name}:copy`;
    await graph.copy(copyName);
    expect(await server.list()).toEqual(expect.arrayContaining([graph.name, copyName]));
    const copy = new Graph(executor, copyName);
    expect((await copy.roQuery('MATCH (d:Doc) RETURN count(d) AS c')).rows[0]?.c).toBe(50);
    await copy.delete();
    expect(await server.list()).not.toContain(copyName);
  });

  it('slowlog lists entries and resets', async () => {
    await graph.slowlogReset();
    expect(await graph.slowlog()).toEqual([]);
    await graph.roQuery('UNWIND range(1, 300000) AS x WITH x WHERE x % 3 = 0 RETURN count(x)');
    const entries = await graph.slowlog();
    // Only queries slower than the server's threshold are kept: the entry shape is what is checked.
    for (const e of entries) {
      expect(typeof e.timestamp).toBe('number');
      expect(e.command).toMatch(/^GRAPH\./);
      expect(typeof e.query).toBe('string');
      expect(e.duration).toBeGreaterThan(0);
    }
  });

  it('memoryUsage reports sizes in MB', async () => {
    const usage = await graph.memoryUsage({ samples: 10 });
    expect(typeof usage.total_graph_sz_mb).toBe('number');
    expect(usage.amortized_node_attributes_by_label_sz_mb).toHaveProperty('Doc');
  });

  it('range, full-text and vector indexes: create, use, list, drop', async () => {
    const range = await graph.createIndex({ label: 'Doc', properties: ['id'] });
    expect(range.statistics.indicesCreated).toBe(1);
    const fulltext = await graph.createIndex({ kind: 'fulltext', label: 'Doc', properties: ['title'] });
    expect(fulltext.statistics.indicesCreated).toBeGreaterThanOrEqual(1);
    const vector = await graph.createIndex({
      kind: 'vector',
      label: 'Doc',
      properties: ['emb'],
      options: { dimension: 2, similarityFunction: 'euclidean' },
    });
    expect(vector.statistics.indicesCreated).toBe(1);
    const indexes = await graph.indexes();
    expect(indexes.map((i) => i.label)).toContain('Doc');
    // Full-text and vector queries run once the indexes are built (asynchronously).
    await expect
      .poll(async () => (await graph.indexes()).every((i) => i.status === 'OPERATIONAL'), { timeout: 10_000 })
      .toBe(true);
    const hits = await graph.roQuery(
      "CALL db.idx.fulltext.queryNodes('Doc', 'doc') YIELD node RETURN count(node) AS c",
    );
    expect(hits.rows[0]?.c).toBe(50);
    const nearest = await graph.roQuery(
      "CALL db.idx.vector.queryNodes('Doc', 'emb', 1, vecf32([7.1, 0])) YIELD node RETURN node.id AS id",
    );
    expect(nearest.rows[0]?.id).toBe(7);
    for (const kind of ['range', 'fulltext', 'vector'] as const) {
      const props = kind === 'range' ? ['id'] : kind === 'fulltext' ? ['title'] : ['emb'];
      const dropped = await graph.dropIndex({ kind, label: 'Doc', properties: props });
      expect(dropped.statistics.indicesDeleted).toBe(1);
    }
    expect(await graph.indexes()).toEqual([]);
  });

  it('constraints: create (with its index), list, drop', async () => {
    await graph.createIndex({ label: 'Doc', properties: ['id'] });
    await graph.createConstraint({ type: 'unique', label: 'Doc', properties: ['id'] });
    await expect
      .poll(async () => (await graph.constraints()).map((c: GraphRecord) => c.status), { timeout: 10_000 })
      .toEqual(['OPERATIONAL']);
    await expect(graph.query('CREATE (:Doc {id: 1})')).rejects.toBeInstanceOf(GraphError);
    await graph.dropConstraint({ type: 'unique', label: 'Doc', properties: ['id'] });
    expect(await graph.constraints()).toEqual([]);
  });
});

describe('server commands', () => {
  it('configGet one and all, configSet', async () => {
    const before = await server.configGet('RESULTSET_SIZE');
    expect(Object.keys(before)).toEqual(['RESULTSET_SIZE']);
    await server.configSet('RESULTSET_SIZE', 1000);
    expect((await server.configGet('RESULTSET_SIZE')).RESULTSET_SIZE).toBe(1000);
    await server.configSet('RESULTSET_SIZE', before.RESULTSET_SIZE as number);
    const all = await server.configGet('*');
    expect(all).toHaveProperty('TIMEOUT_DEFAULT');
    await expect(server.configSet('NO_SUCH_SETTING', 1)).rejects.toBeInstanceOf(GraphError);
  });

  it('info answers', async () => {
    expect(await server.info()).toBeDefined();
  });

  it('UDF libraries: load, call, list with code, delete, flush', async () => {
    await server.udfFlush();
    const code = "function triple(a) { return a * 3; } falkor.register('triple', triple);";
    await server.udfLoad('mathlib', code);
    expect((await graph.roQuery('RETURN mathlib.triple(14) AS t')).rows[0]?.t).toBe(42);
    await expect(server.udfLoad('mathlib', code)).rejects.toBeInstanceOf(GraphError);
    await server.udfLoad('mathlib', code.replaceAll('3', '4'), { replace: true });
    expect((await graph.roQuery('RETURN mathlib.triple(10) AS t')).rows[0]?.t).toBe(40);
    expect(await server.udfList()).toEqual([{ name: 'mathlib', functions: ['triple'] }]);
    const [withCode] = await server.udfList({ library: 'mathlib', withCode: true });
    expect(withCode?.code).toContain('a * 4');
    await server.udfLoad('other', "falkor.register('one', () => 1);");
    await server.udfDelete('mathlib');
    expect((await server.udfList()).map((l) => l.name)).toEqual(['other']);
    await server.udfFlush();
    expect(await server.udfList()).toEqual([]);
  });
});
