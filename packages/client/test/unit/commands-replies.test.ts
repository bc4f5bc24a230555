import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';
import {
  toBooleans,
  toCursor,
  toDouble,
  toDoubles,
  toFieldValues,
  toRecord,
  toScoredMembers,
} from '../../src/commands/replies.js';

const utf8 = { protocol: 2, stringMode: 'utf8' } as const;

describe('reply transforms give one shape for RESP2 and RESP3', () => {
  it('scored members: flat RESP2 pairs, nested RESP3 pairs, one flat RESP3 pair, nil', () => {
    const expected = [
      { value: 'a', score: 1 },
      { value: 'b', score: 2.5 },
    ];
    expect(toScoredMembers(['a', '1', 'b', '2.5'])).toEqual(expected);
    expect(
      toScoredMembers([
        ['a', 1],
        ['b', 2.5],
      ]),
    ).toEqual(expected);
    expect(toScoredMembers(['a', 1])).toEqual([{ value: 'a', score: 1 }]);
    expect(toScoredMembers([])).toEqual([]);
    expect(toScoredMembers(null)).toEqual([]);
    const bytes = Buffer.from('m');
    expect(toScoredMembers([bytes, Buffer.from('-inf')])).toEqual([{ value: bytes, score: -Infinity }]);
  });

  it('doubles from strings, numbers, inf and nil', () => {
    expect(toDouble('3.25')).toBe(3.25);
    expect(toDouble('inf')).toBe(Infinity);
    expect(toDouble('-inf')).toBe(-Infinity);
    expect(toDouble(Buffer.from('+inf'))).toBe(Infinity);
    expect(toDouble(null)).toBeNull();
    expect(toDoubles(['1', null, 2])).toEqual([1, null, 2]);
  });

  it('records keep __proto__ as data and have no prototype', () => {
    const record = toRecord<string>(['__proto__', 'x', 'a', '1']);
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.keys(record)).toEqual(['__proto__', 'a']);
    expect(toRecord<string>(new Map([['k', 'v']]))).toEqual({ k: 'v' });
  });

  it('field/value pairs, booleans and cursors', () => {
    expect(toFieldValues(['f', 'v'])).toEqual([{ field: 'f', value: 'v' }]);
    expect(toFieldValues([['f', 'v']])).toEqual([{ field: 'f', value: 'v' }]);
    expect(toBooleans([1, 0, true, false])).toEqual([true, false, true, false]);
    expect(toCursor(Buffer.from('18446744073709551615'))).toBe('18446744073709551615');
  });

  it('command transforms: ZRANK WITHSCORE, BZPOPMIN, ZMPOP, LCS IDX, BLPOP, SCAN', () => {
    expect(COMMANDS.zrankWithScore.transform?.([3, '1.5'], utf8)).toEqual({ rank: 3, score: 1.5 });
    expect(COMMANDS.zrankWithScore.transform?.(null, utf8)).toBeNull();
    expect(COMMANDS.bzpopmin.transform?.(['k', 'm', '2'], utf8)).toEqual({ key: 'k', value: 'm', score: 2 });
    expect(COMMANDS.zmpop.transform?.(['k', [['m', 1]]], utf8)).toEqual({
      key: 'k',
      members: [{ value: 'm', score: 1 }],
    });
    expect(COMMANDS.blpop.transform?.(['k', 'e'], utf8)).toEqual({ key: 'k', element: 'e' });
    expect(COMMANDS.blpop.transform?.(null, utf8)).toBeNull();
    expect(COMMANDS.scan.transform?.(['42', ['a']], utf8)).toEqual({ cursor: '42', keys: ['a'] });
    const resp2 = ['matches', [[[4, 7], [5, 8], 4]], 'len', 6];
    const resp3 = Object.assign(Object.create(null) as object, { matches: [[[4, 7], [5, 8], 4]], len: 6 });
    const expected = { matches: [{ key1: [4, 7], key2: [5, 8], length: 4 }], len: 6 };
    expect(COMMANDS.lcsIdx.transform?.(resp2, utf8)).toEqual(expected);
    expect(COMMANDS.lcsIdx.transform?.(resp3, { ...utf8, protocol: 3 })).toEqual(expected);
  });
});
