import { describe, expect, it } from 'vitest';
import { CompactDecoder, CompactWireDecoder, GraphError } from '../../src/index.js';
import { FIXTURE_QUERIES, type FixtureName, RESP3_FIXTURES } from '../support/fixture-queries.js';
import { fixtures, respDecode, wireOf } from '../support/fixtures.js';

const { labels, relationshipTypes, propertyKeys } = fixtures.schema;
const names = Object.keys(FIXTURE_QUERIES) as FixtureName[];

// The fused decoder must build exactly what the array walker builds from the same bytes.
describe('CompactWireDecoder (fused, bytes → values)', () => {
  for (const name of names) {
    const protocols: (2 | 3)[] = RESP3_FIXTURES.includes(name) ? [2, 3] : [2];
    for (const protocol of protocols) {
      it(`matches CompactDecoder on ${name} (RESP${protocol}), as records and as arrays`, () => {
        for (const asArrays of [false, true]) {
          const bytes = wireOf(name, protocol);
          const walker = new CompactDecoder(labels, relationshipTypes, propertyKeys);
          const expected = walker.result(respDecode(bytes), asArrays);
          const fused = new CompactWireDecoder(labels, relationshipTypes, propertyKeys);
          const actual = fused.result(bytes, asArrays);
          expect(actual).toEqual(expected);
          expect(fused.missing).toBe(0);
          // Same classes and prototypes, not only the same fields.
          expect(actual.rows.map((r) => Object.getPrototypeOf(r))).toEqual(
            expected.rows.map((r) => Object.getPrototypeOf(r)),
          );
        }
      });
    }
  }

  it('reads from a Uint8Array that is not a Buffer, at an offset', () => {
    const bytes = wireOf('nested');
    const backing = new Uint8Array(bytes.length + 7);
    backing.set(bytes, 7);
    const view = backing.subarray(7);
    const fused = new CompactWireDecoder(labels, relationshipTypes, propertyKeys).result(view, false);
    const walker = new CompactDecoder(labels, relationshipTypes, propertyKeys).result(
      respDecode(bytes),
      false,
    );
    expect(fused).toEqual(walker);
  });

  it('flags unknown ids like the walker does', () => {
    const fused = new CompactWireDecoder([], [], []);
    fused.result(wireOf('path'), false);
    const walker = new CompactDecoder([], [], []);
    walker.result(respDecode(wireOf('path')), false);
    expect(fused.missing).toBe(walker.missing);
    expect(fused.missing).not.toBe(0);
  });

  it('reads booleans in every form as the walker does (true only for the text true)', () => {
    const forms: [string, boolean][] = [
      ['$4\r\ntrue\r\n', true],
      ['$5\r\nfalse\r\n', false],
      ['$4\r\nTRUE\r\n', false],
      ['$4\r\ntrux\r\n', false],
      ['$5\r\ntrue!\r\n', false],
      ['$3\r\nyes\r\n', false],
      ['+true\r\n', true],
      ['$-1\r\n', false],
      ['_\r\n', false],
    ];
    const rows = forms.map(([value]) => `*1\r\n*2\r\n:4\r\n${value}`).join('');
    const bytes = Buffer.from(`*3\r\n*1\r\n*2\r\n:1\r\n$1\r\nb\r\n*${forms.length}\r\n${rows}*0\r\n`);
    const fused = new CompactWireDecoder(labels, relationshipTypes, propertyKeys).result(bytes, true);
    expect(fused.rows).toEqual(forms.map(([, expected]) => [expected]));
    const walker = new CompactDecoder(labels, relationshipTypes, propertyKeys).result(
      respDecode(bytes),
      true,
    );
    expect(fused).toEqual(walker);
  });

  it('refuses a frame cut inside a number line with GraphError, never looping', () => {
    for (const cut of ['*3\r\n*12', '*3\r\n*1\r\n*2\r\n:1', '*1\r\n*1\r\n:-']) {
      const fused = new CompactWireDecoder(labels, relationshipTypes, propertyKeys);
      expect(() => fused.result(Buffer.from(cut), false), cut).toThrow(GraphError);
    }
    const fused = new CompactWireDecoder(labels, relationshipTypes, propertyKeys);
    expect(() => fused.result(Buffer.from('*3\r\n*12'), false)).toThrow(
      'unexpected FalkorDB reply: unreadable at byte 7',
    );
  });

  it('turns an error frame into GraphError and rejects bytes of another shape', () => {
    const decoder = new CompactWireDecoder(labels, relationshipTypes, propertyKeys);
    expect(() => decoder.result(Buffer.from('-Query timed out\r\n'), false)).toThrow(/Query timed out/);
    try {
      decoder.result(Buffer.from('!11\r\nERR no such\r\n'), false);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GraphError);
      expect((err as GraphError).code).toBe('ERR_GRAPH');
    }
    expect(() => decoder.result(Buffer.from('+OK\r\n'), false)).toThrow(GraphError);
    expect(() => decoder.result(Buffer.from('*2\r\n*0\r\n*0\r\n'), false)).toThrow(/1 or 3 parts/);
  });
});
