import { describe, expect, it } from 'vitest';
import { describeCall } from '../../src/internal/call-keys.js';
import { type KeySpec, keyIndexesBySpecs } from '../../src/internal/key-spec.js';

const at = (spec: KeySpec, args: readonly (string | number | Buffer)[]) => keyIndexesBySpecs([spec], args);

describe('keyIndexesBySpecs', () => {
  it('reads a fixed index and a range (to the end, every other argument, or a share of the rest)', () => {
    expect(at([1, ['range', 0, 1, 0]], ['GET', 'k'])).toEqual([1]);
    expect(at([1, ['range', -1, 2, 0]], ['MSET', 'a', '1', 'b', '2'])).toEqual([1, 3]);
    expect(at([1, ['range', -1, 1, 0]], ['DEL', 'a', 'b', 'c'])).toEqual([1, 2, 3]);
    expect(at([1, ['range', -2, 1, 0]], ['BLPOP', 'a', 'b', '0'])).toEqual([1, 2]);
    expect(at([1, ['range', 0, 1, 0]], ['GET'])).toEqual([]);
  });

  it('finds a keyword forwards (STREAMS: half of what follows) and backwards (KEYS from the end)', () => {
    const streams: KeySpec = [
      ['STREAMS', 1],
      ['range', -1, 1, 2],
    ];
    expect(at(streams, ['XREAD', 'COUNT', 2, 'streams', 'a', 'b', '0', '0'])).toEqual([4, 5]);
    expect(at(streams, ['XREAD', 'COUNT', 2])).toEqual([]);
    const keys: KeySpec = [
      ['KEYS', -2],
      ['range', -1, 1, 0],
    ];
    expect(at(keys, ['MIGRATE', 'h', 1, '', 0, 5, 'KEYS', 'a', 'b'])).toEqual([7, 8]);
    expect(
      at(
        [
          ['STORE', 6],
          ['range', 0, 1, 0],
        ],
        ['GEORADIUS', 'g', 1, 2, 3, 'm', Buffer.from('store'), 'd'],
      ),
    ).toEqual([7]);
  });

  it('counts keys from a numkeys argument, and marks none when it announces more than given', () => {
    const eval_: KeySpec = [2, ['keynum', 0, 1, 1]];
    expect(at(eval_, ['EVAL', 's', '2', 'a', 'b', 'arg'])).toEqual([3, 4]);
    expect(at(eval_, ['EVAL', 's', 2n as unknown as number, 'a', 'b'])).toEqual([3, 4]);
    expect(at(eval_, ['EVAL', 's', 0, 'arg'])).toEqual([]);
    expect(at(eval_, ['EVAL', 's', '3', 'a'])).toEqual([]);
    expect(at(eval_, ['EVAL', 's', 'x', 'a'])).toEqual([]);
    expect(at(eval_, ['EVAL', 's', '-1', 'a'])).toEqual([]);
  });

  it('merges several specs in argument order without repeats', () => {
    const specs: KeySpec[] = [
      [2, ['range', 0, 1, 0]],
      [1, ['range', 1, 1, 0]],
    ];
    expect(keyIndexesBySpecs(specs, ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'])).toEqual([1, 2]);
  });
});

describe('describeCall', () => {
  it('marks keys, and reads as read-only and idempotent, from the generated table', () => {
    expect(describeCall(['GET', 'k'])).toEqual({
      args: ['GET', 'k'],
      keyIndexes: [1],
      readOnly: true,
      idempotent: true,
    });
    expect(describeCall(['set', 'k', 'v'])).toEqual({ args: ['set', 'k', 'v'], keyIndexes: [1] });
    expect(describeCall([Buffer.from('del'), 'a', 'b']).keyIndexes).toEqual([1, 2]);
  });

  it('looks container commands up by their subcommand', () => {
    expect(describeCall(['OBJECT', 'encoding', 'k']).keyIndexes).toEqual([2]);
    expect(describeCall(['XINFO', 'STREAM', 's']).keyIndexes).toEqual([2]);
    expect(describeCall(['OBJECT', 'HELP'])).toEqual({ args: ['OBJECT', 'HELP'] });
    expect(describeCall(['OBJECT'])).toEqual({ args: ['OBJECT'] });
  });

  it('leaves unknown and keyless commands, and shard channels, as given', () => {
    expect(describeCall(['JSON.GET', 'doc'])).toEqual({ args: ['JSON.GET', 'doc'] });
    expect(describeCall(['PING'])).toEqual({ args: ['PING'] });
    expect(describeCall(['SPUBLISH', 'ch', 'm'])).toEqual({ args: ['SPUBLISH', 'ch', 'm'] });
    expect(describeCall(['__proto__', 'k'])).toEqual({ args: ['__proto__', 'k'] });
    expect(describeCall([42 as unknown as string])).toEqual({ args: [42] });
  });

  it('marks SORT patterns that name keys, and its STORE destination; not #, nosort or LIMIT numbers', () => {
    const keys = (args: (string | number)[]) => (describeCall(args).keyIndexes ?? []).map((i) => args[i]);
    expect(keys(['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'o_*->f', 'STORE', 'd'])).toEqual([
      'l',
      'w_*',
      'o_*->f',
      'd',
    ]);
    expect(keys(['SORT', 'l', 'LIMIT', 0, 5, 'BY', 'nosort', 'ALPHA'])).toEqual(['l']);
    expect(describeCall(['SORT_RO', 'l', 'GET', 'o_*'])).toMatchObject({
      keyIndexes: [1, 3],
      readOnly: true,
    });
  });

  it("skips MIGRATE's empty key when KEYS carries the keys", () => {
    const args = ['MIGRATE', 'h', 1, '', 0, 5, 'KEYS', 'a', 'b'];
    expect(describeCall(args).keyIndexes).toEqual([7, 8]);
    expect(describeCall(['MIGRATE', 'h', 1, 'k', 0, 5]).keyIndexes).toEqual([3]);
  });
});
