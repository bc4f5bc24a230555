import { describe, expect, it } from 'vitest';
import {
  CompactDecoder,
  createRecord,
  GraphDuration,
  GraphEdge,
  GraphError,
  GraphNode,
  GraphPath,
  GraphPoint,
  type GraphRecord,
  GraphTime,
  type GraphValue,
  RECORD_PROTOTYPE,
  SCHEMA_LABELS,
  SCHEMA_PROPERTY_KEYS,
  SCHEMA_RELATIONSHIP_TYPES,
} from '../../src/index.js';
import type { FixtureName } from '../support/fixture-queries.js';
import { fixtures, respDecode, wireOf } from '../support/fixtures.js';

// Fixtures recorded from a real FalkorDB (see test/support/record-fixtures.ts). Node ids: Ada 0,
// Bob 1 (Person:Dev), the City 2; the KNOWS edge is 0.
const { labels, relationshipTypes, propertyKeys } = fixtures.schema;

function rec(entries: [string, GraphValue][]): GraphRecord {
  const out = createRecord();
  for (const [k, v] of entries) out[k] = v;
  return out;
}

function decode(name: FixtureName, protocol: 2 | 3 = 2, asArrays = false) {
  const decoder = new CompactDecoder(labels, relationshipTypes, propertyKeys);
  const result = decoder.result(respDecode(wireOf(name, protocol)), asArrays);
  expect(decoder.missing).toBe(0);
  return result;
}

const ada = new GraphNode(
  0,
  ['Person'],
  rec([
    ['name', 'Ada'],
    ['age', 36],
    ['score', 1.5],
    ['active', true],
  ]),
);
const bob = new GraphNode(1, ['Person', 'Dev'], rec([['name', 'Bob']]));
const knows = new GraphEdge(0, 'KNOWS', 0, 1, rec([['since', 2020]]));

describe('CompactDecoder on recorded FalkorDB replies', () => {
  for (const protocol of [2, 3] as const) {
    it(`decodes every scalar type (RESP${protocol})`, () => {
      const { columns, rows } = decode('scalars', protocol);
      expect(columns).toEqual(['n', 's', 'i', 't', 'f', 'd', 'nz', 'big', 'inf', 'ninf', 'i64']);
      const row = rows[0] as GraphRecord;
      expect(row.n).toBeNull();
      expect(row.s).toBe('héllo "q" \\ 🎉');
      expect(row.i).toBe(42);
      expect(row.t).toBe(true);
      expect(row.f).toBe(false);
      expect(row.d).toBe(3.25);
      expect(Object.is(row.nz, -0)).toBe(true);
      expect(row.big).toBe(1e300);
      expect(row.inf).toBe(Number.POSITIVE_INFINITY);
      expect(row.ninf).toBe(Number.NEGATIVE_INFINITY);
      // Beyond 2^53 the RESP decoder hands over a bigint rather than lose digits.
      expect(row.i64).toBe(9223372036854775807n);
    });

    it(`decodes NaN, points, vectors, nodes and temporal values (RESP${protocol})`, () => {
      expect(Number.isNaN((decode('nan', protocol).rows[0] as GraphRecord).nan)).toBe(true);
      expect((decode('point', protocol).rows[0] as GraphRecord).p).toEqual(new GraphPoint(51.5, -0.125));
      const v = (decode('vector', protocol).rows[0] as GraphRecord).v as Float32Array;
      expect(v).toBeInstanceOf(Float32Array);
      expect([...v]).toEqual([Math.fround(0.1), -2.5, 3]);
      expect((decode('node', protocol).rows[0] as GraphRecord).n).toEqual(ada);
      const t = decode('temporal', protocol).rows[0] as GraphRecord;
      expect(t.dt).toEqual(new Date('2024-01-02T03:04:05Z'));
      expect(t.d).toEqual(new Date('2024-01-02T00:00:00Z'));
      expect(t.t).toEqual(new GraphTime(86_399));
      expect(String(t.t)).toBe('23:59:59');
      expect(t.dur).toEqual(new GraphDuration(26 * 3600));
    });
  }

  it('decodes arrays and maps, nested, with __proto__ as a plain key', () => {
    const row = decode('collections').rows[0] as GraphRecord;
    expect(row.arr).toEqual([1, 'a', [2.5, null]]);
    expect(row.map).toEqual(
      rec([
        ['k', 1],
        ['m', rec([['z', 'q']])],
        ['__proto__', 'data'],
      ]),
    );
    const map = row.map as GraphRecord;
    expect(Object.hasOwn(map, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(map)).toBe(RECORD_PROTOTYPE);
    expect(row.empty).toEqual([]);
    expect(row.emptyMap).toEqual(createRecord());
  });

  it('decodes nodes with several labels, edges, and paths of length 1 and 0', () => {
    expect((decode('multiLabel').rows[0] as GraphRecord).n).toEqual(bob);
    expect((decode('edge').rows[0] as GraphRecord).r).toEqual(knows);
    const path = (decode('path').rows[0] as GraphRecord).p as GraphPath;
    expect(path).toBeInstanceOf(GraphPath);
    expect(path).toEqual(new GraphPath([ada, bob], [knows]));
    expect((decode('path0').rows[0] as GraphRecord).p).toEqual(new GraphPath([ada], []));
    const nested = decode('nested').rows[0] as GraphRecord;
    expect(nested.nodes).toEqual([ada, bob]);
    expect(nested.m).toEqual(
      rec([
        ['edge', knows],
        ['who', bob],
      ]),
    );
  });

  it('keeps a property named __proto__ as data, and rows have no inherited keys', () => {
    const city = (decode('protoNode').rows[0] as GraphRecord).c as GraphNode;
    const proto = '__proto__';
    expect(city.properties[proto]).toBe('data');
    expect(Object.keys(city.properties)).toEqual(['name', '__proto__']);
    const row = decode('protoColumn').rows[0] as GraphRecord;
    expect(Object.keys(row)).toEqual(['__proto__', 'toString']);
    expect(row[proto]).toBe(1);
    expect(row.toString).toBe(2);
    expect('hasOwnProperty' in row).toBe(false);
    expect(Object.getPrototypeOf(RECORD_PROTOTYPE)).toBeNull();
    expect(Object.isFrozen(RECORD_PROTOTYPE)).toBe(true);
  });

  it('returns rows as arrays when asked', () => {
    const { rows } = decode('nested', 2, true);
    expect(rows).toEqual([
      [
        [ada, bob],
        rec([
          ['edge', knows],
          ['who', bob],
        ]),
      ],
    ]);
  });

  it('parses the statistics of a write and of an empty result', () => {
    const write = decode('write');
    expect(write.columns).toEqual([]);
    expect(write.rows).toEqual([]);
    expect(write.statistics.nodesCreated).toBe(1);
    expect(write.statistics.propertiesSet).toBe(1);
    expect(write.statistics.labelsAdded).toBe(1);
    expect(write.statistics.executionTime).toBeGreaterThan(0);
    expect(write.statistics.raw).toContain('Nodes created: 1');
    const empty = decode('empty');
    expect(empty.columns).toEqual(['n']);
    expect(empty.rows).toEqual([]);
    expect(empty.statistics.nodesCreated).toBe(0);
  });

  it('flags unknown ids instead of guessing a name', () => {
    const decoder = new CompactDecoder([], [], []);
    decoder.result(respDecode(wireOf('path')), false);
    expect(decoder.missing).toBe(SCHEMA_LABELS | SCHEMA_RELATIONSHIP_TYPES | SCHEMA_PROPERTY_KEYS);
    const labelsOnly = new CompactDecoder([], relationshipTypes, propertyKeys);
    labelsOnly.result(respDecode(wireOf('node')), false);
    expect(labelsOnly.missing).toBe(SCHEMA_LABELS);
  });

  it('rejects a reply that is not a compact result set', () => {
    const decoder = new CompactDecoder(labels, relationshipTypes, propertyKeys);
    expect(() => decoder.result('OK', false)).toThrow(GraphError);
    expect(() => decoder.result([[], []], false)).toThrow(/1 or 3 parts/);
    try {
      decoder.result([[[1, 'x']], [[[99, 'v']]], []], false);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GraphError);
      expect((err as GraphError).code).toBe('ERR_GRAPH_REPLY');
    }
  });
});
