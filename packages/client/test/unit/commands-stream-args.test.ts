import { InvalidArgumentError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { streamCommands } from '../../src/commands/stream.js';

const { xadd, xread, xreadgroup, xtrim, xclaim, xclaimJustId, xautoclaim, xpendingRange, xdelex, xackdel } =
  streamCommands;

describe('stream command arguments', () => {
  it('builds XADD with NOMKSTREAM, the 8.2 reference policy and trimming before the id', () => {
    const cmd = xadd.build(
      's',
      '*',
      { a: 1, b: 'x' },
      {
        NOMKSTREAM: true,
        policy: 'ACKED',
        TRIM: { strategy: 'MINID', modifier: '~', threshold: '5-0', limit: 100 },
      },
    );
    expect(cmd.args).toEqual([
      'XADD',
      's',
      'NOMKSTREAM',
      'ACKED',
      'MINID',
      '~',
      '5-0',
      'LIMIT',
      100,
      '*',
      'a',
      1,
      'b',
      'x',
    ]);
    expect(cmd.keyIndexes).toEqual([1]);
    expect(xadd.build('s', '1-1', [['f', 'v']]).args).toEqual(['XADD', 's', '1-1', 'f', 'v']);
    expect(xadd.build('s', '1-1', new Map([['f', 'v']])).args).toEqual(['XADD', 's', '1-1', 'f', 'v']);
  });

  it('builds XTRIM with an exact threshold by default and the policy last', () => {
    expect(xtrim.build('s', { strategy: 'MAXLEN', threshold: 10, policy: 'DELREF' }).args).toEqual([
      'XTRIM',
      's',
      'MAXLEN',
      '=',
      10,
      'DELREF',
    ]);
  });

  it('refuses XADD fields that are not an object, a Map or an array (a string was stored as its characters)', () => {
    expect(() => xadd.build('s', '*', 'field' as never)).toThrow(
      new InvalidArgumentError('XADD: field/value pairs must be an object, a Map or an array, not a string'),
    );
    expect(() => xadd.build('s', '*', Buffer.from('ab') as never)).toThrow(/not a byte array$/);
    expect(() => xadd.build('s', '*', 5 as never)).toThrow(/not number$/);
    expect(() => xadd.build('s', '*', null as never)).toThrow(/not null$/);
    expect(xadd.build('s', '*', new Map([['f', 'v']])).args).toEqual(['XADD', 's', '*', 'f', 'v']);
    expect(xadd.build('s', '*', ['f', 'v']).args).toEqual(['XADD', 's', '*', 'f', 'v']);
  });

  it("takes node-redis's [{ key, id }] as pairs, and refuses its single { key, id } rather than read streams named key and id", () => {
    expect(xread.build([{ key: 'a', id: '0' }, ['b', '$']]).args).toEqual([
      'XREAD',
      'STREAMS',
      'a',
      'b',
      '0',
      '$',
    ]);
    expect(xreadgroup.build('g', 'c', [{ key: 'a', id: '>' }]).keyIndexes).toEqual([5]);
    expect(() => xread.build({ key: 'a', id: '0' })).toThrow(
      new InvalidArgumentError(
        "xread: { key, id } is node-redis's single stream; write [{ key, id }], { [key]: id } or [[key, id]] (to read streams named key and id, use pairs)",
      ),
    );
    expect(() => xreadgroup.build('g', 'c', { key: 'a', id: '>' })).toThrow(/^xreadgroup: \{ key, id \}/);
    expect(xread.build({ key: '0', id: '0', other: '0' }).args).toEqual([
      'XREAD',
      'STREAMS',
      'key',
      'id',
      'other',
      '0',
      '0',
      '0',
    ]);
    expect(
      xread.build([
        ['key', '0'],
        ['id', '0'],
      ]).keyIndexes,
    ).toEqual([2, 3]);
    expect(() => xread.build(['a', '0'] as never)).toThrow(
      new InvalidArgumentError('xread: streams[0] must be [key, id] or { key, id }'),
    );
    expect(() => xread.build([{ key: 'a' }] as never)).toThrow(/^xread: streams\[0\] must be/);
    expect(() => xread.build('12' as never)).toThrow(
      new InvalidArgumentError(
        'xread: streams must be { [key]: id }, [[key, id]] or [{ key, id }], not string',
      ),
    );
    expect(() => xreadgroup.build('g', 'c', Buffer.from('ab') as never)).toThrow(/not a byte array$/);
  });

  it('marks the keys of XREAD and XREADGROUP, after STREAMS, from objects or pairs', () => {
    const read = xread.build({ a: '0', b: '$' }, { COUNT: 5 });
    expect(read.args).toEqual(['XREAD', 'COUNT', 5, 'STREAMS', 'a', 'b', '0', '$']);
    expect(read.keyIndexes).toEqual([4, 5]);
    expect(read.readOnly).toBe(true);
    expect(read.blocking).toBeUndefined();

    const key = Buffer.from([0xff]);
    const group = xreadgroup.build('g', 'c', [[key, '>']], { COUNT: 1, BLOCK: 0, NOACK: true });
    expect(group.args).toEqual([
      'XREADGROUP',
      'GROUP',
      'g',
      'c',
      'COUNT',
      1,
      'BLOCK',
      0,
      'NOACK',
      'STREAMS',
      key,
      '>',
    ]);
    expect(group.keyIndexes).toEqual([10]);
    expect(group.blocking).toBe(true);
    expect(group.args[group.keyIndexes?.[0] ?? -1]).toBe(key);
  });

  it('marks XREAD blocking only when BLOCK is given, with a deadline past the wait', () => {
    expect(xread.build({ a: '$' }, { BLOCK: 100 })).toMatchObject({ blocking: true, timeout: 1100 });
    expect(xread.build({ a: '$' }, { BLOCK: 0 })).toMatchObject({ blocking: true, timeout: 0 });
    expect(xreadgroup.build('g', 'c', { a: '>' }, { BLOCK: 2500 }).timeout).toBe(3500);
    expect(xread.build({ a: '$' }).timeout).toBeUndefined();
    expect(xread.build({ a: '$' }).blocking).toBeUndefined();
    expect(xreadgroup.build('g', 'c', { a: '>' }).blocking).toBeUndefined();
  });

  it('builds the claim commands with their options', () => {
    expect(
      xclaim.build('s', 'g', 'c', 1000, ['1-0', '2-0'], {
        IDLE: 5,
        TIME: 6,
        RETRYCOUNT: 7,
        FORCE: true,
        LASTID: '3-0',
      }).args,
    ).toEqual([
      'XCLAIM',
      's',
      'g',
      'c',
      1000,
      '1-0',
      '2-0',
      'IDLE',
      5,
      'TIME',
      6,
      'RETRYCOUNT',
      7,
      'FORCE',
      'LASTID',
      '3-0',
    ]);
    expect(xclaimJustId.build('s', 'g', 'c', 0, ['1-0']).args.at(-1)).toBe('JUSTID');
    expect(xautoclaim.build('s', 'g', 'c', 0, '0-0', { COUNT: 3 }).args).toEqual([
      'XAUTOCLAIM',
      's',
      'g',
      'c',
      0,
      '0-0',
      'COUNT',
      3,
    ]);
    expect(xpendingRange.build('s', 'g', '-', '+', 10, { IDLE: 9, consumer: 'c' }).args).toEqual([
      'XPENDING',
      's',
      'g',
      'IDLE',
      9,
      '-',
      '+',
      10,
      'c',
    ]);
  });

  it('builds the IDS blocks of XDELEX and XACKDEL', () => {
    expect(xdelex.build('s', ['1-0', '2-0'], { policy: 'KEEPREF' }).args).toEqual([
      'XDELEX',
      's',
      'KEEPREF',
      'IDS',
      2,
      '1-0',
      '2-0',
    ]);
    expect(xackdel.build('s', 'g', ['1-0']).args).toEqual(['XACKDEL', 's', 'g', 'IDS', 1, '1-0']);
  });
});
