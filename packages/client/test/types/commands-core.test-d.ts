import { expectTypeOf, test } from 'vitest';
import type { SpecArgs, SpecReply } from '../../src/command-spec.js';
import type { Commands } from '../../src/commands/index.js';
import type { FieldValue, ScoredMember } from '../../src/commands/replies.js';

type Reply<K extends keyof Commands> = SpecReply<Commands[K]>;
type Args<K extends keyof Commands> = SpecArgs<Commands[K]>;

test('replies are typed per method, one shape per method', () => {
  expectTypeOf<Reply<'get'>>().toEqualTypeOf<string | null>();
  expectTypeOf<Reply<'mget'>>().toEqualTypeOf<(string | null)[]>();
  expectTypeOf<Reply<'hgetall'>>().toEqualTypeOf<Record<string, string>>();
  expectTypeOf<Reply<'hexists'>>().toEqualTypeOf<boolean>();
  expectTypeOf<Reply<'hrandfieldWithValues'>>().toEqualTypeOf<FieldValue[]>();
  expectTypeOf<Reply<'zscore'>>().toEqualTypeOf<number | null>();
  expectTypeOf<Reply<'zrangeWithScores'>>().toEqualTypeOf<ScoredMember[]>();
  expectTypeOf<Reply<'zpopmin'>>().toEqualTypeOf<ScoredMember[]>();
  expectTypeOf<Reply<'lpopCount'>>().toEqualTypeOf<string[] | null>();
  expectTypeOf<Reply<'blpop'>>().toEqualTypeOf<{ readonly key: string; readonly element: string } | null>();
  expectTypeOf<Reply<'hexpire'>>().toEqualTypeOf<number[]>();
  expectTypeOf<Reply<'dump'>>().toEqualTypeOf<Buffer | null>();
  expectTypeOf<Reply<'scan'>['cursor']>().toEqualTypeOf<string>();
});

test('arguments accept every CommandArg and the documented containers', () => {
  expectTypeOf<['k', Buffer]>().toExtend<Args<'set'>>();
  expectTypeOf<['k', 1n, { NX: true; EX: number }]>().toExtend<Args<'set'>>();
  expectTypeOf<[string[]]>().toExtend<Args<'mget'>>();
  expectTypeOf<['a', 'b', 'c']>().toExtend<Args<'del'>>();
  expectTypeOf<['h', { a: string; b: number }]>().toExtend<Args<'hset'>>();
  expectTypeOf<['h', 'f', 'v', 'f2', 'v2']>().toExtend<Args<'hset'>>();
  expectTypeOf<['z', { score: number; value: string }[]]>().toExtend<Args<'zadd'>>();
  expectTypeOf<['z', [number, string][]]>().toExtend<Args<'zadd'>>();
  // A missing value, a wrong option, an unknown expire condition: compile errors.
  expectTypeOf<['k']>().not.toExtend<Args<'set'>>();
  expectTypeOf<['k', 'v', { EX: string }]>().not.toExtend<Args<'set'>>();
  expectTypeOf<['k', 10, 'SOON']>().not.toExtend<Args<'expire'>>();
});

test('vector sets: vectors as numbers or Float32Array, queries by vector or element', () => {
  expectTypeOf<Reply<'vadd'>>().toEqualTypeOf<boolean>();
  expectTypeOf<Reply<'vsim'>>().toEqualTypeOf<string[]>();
  expectTypeOf<Reply<'vsimWithScores'>>().toEqualTypeOf<ScoredMember[]>();
  expectTypeOf<Reply<'vlinks'>>().toEqualTypeOf<string[][] | null>();
  expectTypeOf<Reply<'vemb'>>().toEqualTypeOf<number[] | null>();
  expectTypeOf<['v', number[], 'e']>().toExtend<Args<'vadd'>>();
  expectTypeOf<['v', Float32Array, 'e', { Q8: true; SETATTR: { year: number } }]>().toExtend<Args<'vadd'>>();
  expectTypeOf<['v', { element: string }, { COUNT: number; FILTER: string }]>().toExtend<Args<'vsim'>>();
  expectTypeOf<['v', string[], 'e']>().not.toExtend<Args<'vadd'>>();
  expectTypeOf<['v', { COUNT: number }]>().not.toExtend<Args<'vsim'>>();
});
