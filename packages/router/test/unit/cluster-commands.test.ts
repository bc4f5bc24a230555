import { describe, expect, it } from 'vitest';
import {
  commandName,
  commandSlot,
  fanOutReduce,
  joinParts,
  reduceReplies,
  splitBySlot,
} from '../../src/cluster-commands.js';
import { keySlot } from '../../src/key-slot.js';

describe('commandSlot', () => {
  it('is the slot of the keys, -1 without keys, -2 across slots', () => {
    expect(commandSlot({ args: ['GET', 'a'], keyIndexes: [1] })).toBe(keySlot('a'));
    expect(commandSlot({ args: ['PING'] })).toBe(-1);
    // PUBLISH goes by its channel, so one client's messages on a channel keep their order.
    expect(commandSlot({ args: ['PUBLISH', 'news', 'hi'] })).toBe(keySlot('news'));
    expect(commandSlot({ args: ['publish', '{t}news', 'hi'] })).toBe(keySlot('t'));
    expect(commandSlot({ args: ['PUBLISH', 'news'] })).toBe(-1); // malformed: left to the server
    expect(commandSlot({ args: ['RENAME', '{t}a', '{t}b'], keyIndexes: [1, 2] })).toBe(keySlot('t'));
    expect(commandSlot({ args: ['RENAME', 'a', 'b'], keyIndexes: [1, 2] })).toBe(-2);
  });
});

describe('splitBySlot and joinParts', () => {
  const keys = Array.from({ length: 50 }, (_, i) => `key:${i}`);

  it('splits MGET per slot and puts the values back in the asked order', () => {
    const split = splitBySlot({ args: ['MGET', ...keys], keyIndexes: keys.map((_, i) => i + 1) });
    expect(split).toBeDefined();
    if (split === undefined) return;
    for (const part of split.parts) {
      expect(new Set(part.command.args.slice(1).map((k) => keySlot(String(k)))).size).toBe(1);
    }
    // Each part answers with its own keys as values: joined, they must come back in order.
    const replies = split.parts.map((part) => part.command.args.slice(1));
    expect(joinParts(split, replies)).toEqual(keys);
  });

  it('splits MSET keeping each value with its key, and answers OK', () => {
    const args = ['MSET', ...keys.flatMap((k) => [k, `v-${k}`])];
    const split = splitBySlot({ args });
    expect(split).toBeDefined();
    for (const part of split?.parts ?? []) {
      const a = part.command.args;
      for (let i = 1; i < a.length; i += 2) expect(a[i + 1]).toBe(`v-${String(a[i])}`);
    }
    if (split)
      expect(
        joinParts(
          split,
          split.parts.map(() => 'OK'),
        ),
      ).toBe('OK');
  });

  it('sums DEL counts', () => {
    const split = splitBySlot({ args: ['DEL', ...keys] });
    if (split === undefined) throw new Error('expected a split');
    expect(
      joinParts(
        split,
        split.parts.map((p) => p.keyOrder.length),
      ),
    ).toBe(50);
  });

  it('leaves single-slot and unknown commands alone', () => {
    expect(splitBySlot({ args: ['MGET', '{a}1', '{a}2'] })).toBeUndefined();
    expect(splitBySlot({ args: ['SUNION', 'a', 'b'] })).toBeUndefined();
  });
});

describe('fan-out', () => {
  it('names container commands with their subcommand', () => {
    expect(commandName(['script', 'load', 'return 1'])).toBe('SCRIPT LOAD');
    expect(commandName(['get', 'x'])).toBe('GET');
  });

  it('knows which keyless commands run on every master and how replies combine', () => {
    expect(fanOutReduce(['DBSIZE'])).toBe('sum');
    expect(fanOutReduce(['PING'])).toBeUndefined();
    expect(reduceReplies('sum', [1, 2, 3])).toBe(6);
    expect(reduceReplies('concat', [['a'], ['b', 'c']])).toEqual(['a', 'b', 'c']);
    expect(
      reduceReplies('and', [
        [1, 0, 1],
        [1, 1, 0],
      ]),
    ).toEqual([1, 0, 0]);
    expect(reduceReplies('first', ['sha', 'sha'])).toBe('sha');
  });
});
