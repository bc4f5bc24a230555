import { describe, expect, it } from 'vitest';
import { streamCommands } from '../../src/commands/stream.js';

// Reply values as the decoder builds them, for the shapes a live server cannot produce on demand:
// the `maps: 'map'` decoder option (RESP3 maps as `Map`s) and empty/nil edge cases.
const context = { protocol: 3, stringMode: 'utf8' } as const;

describe('stream reply shapes', () => {
  it('reads XREAD replies given as a Map (the decoder maps option) like RESP3 objects', () => {
    const entries = [['1-0', ['f', 'v']]];
    const fromMap = streamCommands.xread.transform?.(new Map([['s', entries]]), context);
    const fromObject = streamCommands.xread.transform?.(
      Object.assign(Object.create(null), { s: entries }),
      context,
    );
    const fromArray = streamCommands.xread.transform?.([['s', entries]], { ...context, protocol: 2 });
    const expected = [{ name: 's', entries: [{ id: '1-0', fields: { f: 'v' } }] }];
    expect(JSON.parse(JSON.stringify(fromMap))).toEqual(expected);
    expect(JSON.parse(JSON.stringify(fromObject))).toEqual(expected);
    expect(JSON.parse(JSON.stringify(fromArray))).toEqual(expected);
    expect(streamCommands.xread.transform?.(null, context)).toBeNull();
  });

  it('keeps a field named __proto__ as data', () => {
    const [entry] = streamCommands.xrange.transform?.([['1-0', ['__proto__', 'x', 'a', 'b']]], context) ?? [];
    expect(Object.getPrototypeOf(entry?.fields)).toBeNull();
    expect(Object.keys(entry?.fields ?? {})).toEqual(['__proto__', 'a']);
  });

  it('reads an empty XPENDING summary', () => {
    expect(streamCommands.xpending.transform?.([0, null, null, null], context)).toEqual({
      count: 0,
      minId: null,
      maxId: null,
      consumers: [],
    });
  });

  it('camelCases XINFO STREAM given as a Map, shaping first and last entries', () => {
    const info = streamCommands.xinfoStream.transform?.(
      new Map<string, unknown>([
        ['length', 1],
        ['last-generated-id', '1-0'],
        ['first-entry', ['1-0', ['a', '1']]],
        ['last-entry', null],
      ]),
      context,
    );
    expect(info?.length).toBe(1);
    expect(info?.lastGeneratedId).toBe('1-0');
    expect(info?.firstEntry?.fields).toEqual(Object.assign(Object.create(null), { a: '1' }));
    expect(info?.lastEntry).toBeNull();
  });
});
