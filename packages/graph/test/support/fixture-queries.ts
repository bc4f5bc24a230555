/**
 * TEST SUPPORT ONLY: the graph and queries the decode fixtures are recorded from
 * (`record-fixtures.ts` writes test/fixtures/replies.json; unit tests decode those bytes).
 */
export const FIXTURE_GRAPH = 'fixtures';

export const FIXTURE_SEED = [
  "CREATE (a:Person {name: 'Ada', age: 36, score: 1.5, active: true})-[:KNOWS {since: 2020}]->(b:Person:Dev {name: 'Bob'})",
  "CREATE (:City {name: 'Zürich', `__proto__`: 'data'})",
];

/** name → query; recorded in RESP2, and the names in {@link RESP3_FIXTURES} in RESP3 too. */
export const FIXTURE_QUERIES = {
  scalars:
    'RETURN null AS n, \'héllo "q" \\\\ 🎉\' AS s, 42 AS i, true AS t, false AS f, 3.25 AS d, -0.0 AS nz, 1e300 AS big, 1.0/0 AS inf, -1.0/0 AS ninf, 9223372036854775807 AS i64',
  nan: 'RETURN 0.0/0 AS nan',
  collections:
    "RETURN [1, 'a', [2.5, null]] AS arr, {k: 1, m: {z: 'q'}, `__proto__`: 'data'} AS map, [] AS empty, {} AS emptyMap",
  node: "MATCH (n:Person {name: 'Ada'}) RETURN n",
  multiLabel: 'MATCH (n:Dev) RETURN n',
  protoNode: 'MATCH (c:City) RETURN c',
  edge: 'MATCH ()-[r:KNOWS]->() RETURN r',
  path: "MATCH p = (:Person {name: 'Ada'})-[:KNOWS]->() RETURN p",
  path0: "MATCH p = (:Person {name: 'Ada'}) RETURN p",
  nested: "MATCH (a {name: 'Ada'})-[r]->(b) RETURN [a, b] AS nodes, {edge: r, who: b} AS m",
  point: 'RETURN point({latitude: 51.5, longitude: -0.125}) AS p',
  vector: 'RETURN vecf32([0.1, -2.5, 3]) AS v',
  temporal:
    "RETURN localdatetime('2024-01-02T03:04:05') AS dt, date('2024-01-02') AS d, localtime('23:59:59') AS t, duration('P1DT2H') AS dur",
  write: 'CREATE (:Tmp {x: 1})',
  empty: 'MATCH (n:Nope) RETURN n',
  protoColumn: 'RETURN 1 AS `__proto__`, 2 AS toString',
} as const;

export type FixtureName = keyof typeof FIXTURE_QUERIES;

export const RESP3_FIXTURES: readonly FixtureName[] = [
  'scalars',
  'nan',
  'vector',
  'node',
  'point',
  'temporal',
];
