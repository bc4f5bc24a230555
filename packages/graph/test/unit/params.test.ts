import { InvalidArgumentError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { cypherIdentifier, cypherParamsPrefix } from '../../src/index.js';

describe('cypherParamsPrefix', () => {
  it('is empty without parameters', () => {
    expect(cypherParamsPrefix(undefined)).toBe('');
    expect(cypherParamsPrefix({})).toBe('');
  });

  it('writes every supported type as a Cypher literal', () => {
    expect(
      cypherParamsPrefix({
        s: 'a"b\\c\nd',
        i: 42,
        d: 2.5,
        z: -0,
        big: 2n ** 62n,
        t: true,
        n: null,
        u: undefined,
        arr: [1, 'x', [null]],
        obj: { k: 1, 'a b': 'v' },
      }),
    ).toBe(
      'CYPHER s="a\\"b\\\\c\nd" i=42 d=2.5 z=-0.0 big=4611686018427387904 t=true n=null u=null arr=[1, "x", [null]] obj={`k`: 1, `a b`: "v"} ',
    );
    expect(cypherParamsPrefix(new Map([['m', new Map([['k', 1e300]])]]))).toBe('CYPHER m={`k`: 1e+300} ');
    expect(cypherParamsPrefix({ huge: 1e20, tiny: 1e-7 })).toBe('CYPHER huge=1e+20 tiny=1e-7 ');
  });

  it('refuses what it cannot send safely', () => {
    const bad: unknown[] = [
      { 'not-an-identifier': 1 },
      { x: Number.NaN },
      { x: Number.POSITIVE_INFINITY },
      { x: 2n ** 63n },
      { x: 'nul\0byte' },
      { x: new Date() },
      { x: () => 1 },
      { x: Symbol('s') },
      { x: { 'back`tick': 1 } },
    ];
    for (const params of bad) {
      expect(() => cypherParamsPrefix(params as never), String(Object.keys(params as object))).toThrow(
        InvalidArgumentError,
      );
    }
  });

  it('quotes identifiers in backticks', () => {
    expect(cypherIdentifier('a b')).toBe('`a b`');
    expect(() => cypherIdentifier('')).toThrow(InvalidArgumentError);
  });
});
