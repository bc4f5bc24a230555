import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { KEYS_AT_1_2, type Keys, type LimitOption, numkeysArgs, readKey, readKeys } from './arguments.js';
import { type ScoredMember, toScoredMembers } from './replies.js';

/** A range bound: a rank (index), a score (`'(1.5'` exclusive, `'-inf'`), or a lex bound (`'[a'`, `'-'`). */
export type RangeBound = number | string | Uint8Array;

/** Options of `ZRANGE` and `ZRANGESTORE`. */
export interface ZRangeOptions {
  /** `start`/`stop` are scores. */
  readonly BYSCORE?: boolean;
  /** `start`/`stop` are lex bounds. */
  readonly BYLEX?: boolean;
  /** Highest first (then `start` is the higher bound). */
  readonly REV?: boolean;
  /** A window of the result (with `BYSCORE` or `BYLEX` only). */
  readonly LIMIT?: LimitOption;
}

/** Options of the older `ZRANGEBYSCORE`/`ZRANGEBYLEX` family. */
export interface ZRangeByOptions {
  readonly LIMIT?: LimitOption;
}

/** Options of `ZUNION`/`ZINTER` and their `STORE` forms. */
export interface ZCombineOptions {
  /** One multiplier per key, in order. @default 1 each */
  readonly WEIGHTS?: readonly number[];
  /** How the scores of a member found in several sets combine. @default 'SUM' */
  readonly AGGREGATE?: 'SUM' | 'MIN' | 'MAX';
}

function zrangeArgs(
  name: string,
  head: CommandArg[],
  start: RangeBound,
  stop: RangeBound,
  options: ZRangeOptions | undefined,
): CommandArg[] {
  const args = head;
  args.unshift(name);
  args.push(start, stop);
  if (options !== undefined) {
    if (options.BYSCORE) args.push('BYSCORE');
    if (options.BYLEX) args.push('BYLEX');
    if (options.REV) args.push('REV');
    if (options.LIMIT !== undefined) args.push('LIMIT', options.LIMIT.offset, options.LIMIT.count);
  }
  return args;
}

function byArgs(
  name: string,
  key: CommandArg,
  min: RangeBound,
  max: RangeBound,
  withScores: boolean,
  options: ZRangeByOptions | undefined,
): Command {
  const args: CommandArg[] = [name, key, min, max];
  if (withScores) args.push('WITHSCORES');
  if (options?.LIMIT !== undefined) args.push('LIMIT', options.LIMIT.offset, options.LIMIT.count);
  return readKey(args);
}

function combineArgs(
  name: string,
  keys: Keys,
  options: ZCombineOptions | undefined,
  withScores: boolean,
): Command {
  const built = numkeysArgs([name], keys);
  pushCombineOptions(built.args, options);
  if (withScores) built.args.push('WITHSCORES');
  return readKeys(built.args, built.keyIndexes);
}

function pushCombineOptions(args: CommandArg[], options: ZCombineOptions | undefined): void {
  if (options === undefined) return;
  if (options.WEIGHTS !== undefined) {
    args.push('WEIGHTS');
    for (const weight of options.WEIGHTS) args.push(weight);
  }
  if (options.AGGREGATE !== undefined) args.push('AGGREGATE', options.AGGREGATE);
}

/** `NAME destination numkeys key… [options]`: the destination is a key too. */
function storeArgs(name: string, destination: CommandArg, keys: Keys, options?: ZCombineOptions): Command {
  const built = numkeysArgs([name, destination], keys);
  pushCombineOptions(built.args, options);
  const keyIndexes = [1];
  for (const at of built.keyIndexes) keyIndexes.push(at);
  return { args: built.args, keyIndexes };
}

type ZRangeArgs = [key: CommandArg, start: RangeBound, stop: RangeBound, options?: ZRangeOptions];
type ByArgs = [key: CommandArg, min: RangeBound, max: RangeBound, options?: ZRangeByOptions];
type CombineArgs = [keys: Keys, options?: ZCombineOptions];

/** Sorted-set ranges and set algebra (ZRANGE and friends, ZUNION/ZINTER/ZDIFF). */
export const sortedSetRangeCommands = {
  /** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT o c] → the members. */
  zrange: defineCommand<ZRangeArgs, string[]>({
    build: (key, start, stop, options) => readKey(zrangeArgs('ZRANGE', [key], start, stop, options)),
  }),
  /** ZRANGE … WITHSCORES → `{ value, score }` in range order. */
  zrangeWithScores: defineCommand<ZRangeArgs, ScoredMember[]>({
    build: (key, start, stop, options) => {
      const args = zrangeArgs('ZRANGE', [key], start, stop, options);
      args.push('WITHSCORES');
      return readKey(args);
    },
    transform: toScoredMembers,
  }),
  /** ZRANGESTORE destination source start stop [BYSCORE|BYLEX] [REV] [LIMIT o c] → how many stored. */
  zrangestore: defineCommand<
    [
      destination: CommandArg,
      source: CommandArg,
      start: RangeBound,
      stop: RangeBound,
      options?: ZRangeOptions,
    ],
    number
  >({
    build: (destination, source, start, stop, options) => ({
      args: zrangeArgs('ZRANGESTORE', [destination, source], start, stop, options),
      keyIndexes: KEYS_AT_1_2,
    }),
  }),
  /** ZREVRANGE key start stop → members by rank, highest first (deprecated: `zrange` with `REV`). */
  zrevrange: defineCommand<[key: CommandArg, start: number, stop: number], string[]>({
    build: (key, start, stop) => readKey(['ZREVRANGE', key, start, stop]),
  }),
  /** ZREVRANGE … WITHSCORES → `{ value, score }`, highest first. */
  zrevrangeWithScores: defineCommand<[key: CommandArg, start: number, stop: number], ScoredMember[]>({
    build: (key, start, stop) => readKey(['ZREVRANGE', key, start, stop, 'WITHSCORES']),
    transform: toScoredMembers,
  }),
  /** ZRANGEBYSCORE key min max [LIMIT o c] → the members (deprecated: `zrange` with `BYSCORE`). */
  zrangebyscore: defineCommand<ByArgs, string[]>({
    build: (key, min, max, options) => byArgs('ZRANGEBYSCORE', key, min, max, false, options),
  }),
  /** ZRANGEBYSCORE … WITHSCORES → `{ value, score }`. */
  zrangebyscoreWithScores: defineCommand<ByArgs, ScoredMember[]>({
    build: (key, min, max, options) => byArgs('ZRANGEBYSCORE', key, min, max, true, options),
    transform: toScoredMembers,
  }),
  /** ZREVRANGEBYSCORE key max min [LIMIT o c] → the members, highest first. */
  zrevrangebyscore: defineCommand<ByArgs, string[]>({
    build: (key, max, min, options) => byArgs('ZREVRANGEBYSCORE', key, max, min, false, options),
  }),
  /** ZREVRANGEBYSCORE … WITHSCORES → `{ value, score }`, highest first. */
  zrevrangebyscoreWithScores: defineCommand<ByArgs, ScoredMember[]>({
    build: (key, max, min, options) => byArgs('ZREVRANGEBYSCORE', key, max, min, true, options),
    transform: toScoredMembers,
  }),
  /** ZRANGEBYLEX key min max [LIMIT o c] → the members (deprecated: `zrange` with `BYLEX`). */
  zrangebylex: defineCommand<ByArgs, string[]>({
    build: (key, min, max, options) => byArgs('ZRANGEBYLEX', key, min, max, false, options),
  }),
  /** ZREVRANGEBYLEX key max min [LIMIT o c] → the members, last first. */
  zrevrangebylex: defineCommand<ByArgs, string[]>({
    build: (key, max, min, options) => byArgs('ZREVRANGEBYLEX', key, max, min, false, options),
  }),
  /** ZUNION numkeys key… [WEIGHTS w…] [AGGREGATE a] → the members of the union. */
  zunion: defineCommand<CombineArgs, string[]>({
    build: (keys, options) => combineArgs('ZUNION', keys, options, false),
  }),
  /** ZUNION … WITHSCORES → `{ value, score }`. */
  zunionWithScores: defineCommand<CombineArgs, ScoredMember[]>({
    build: (keys, options) => combineArgs('ZUNION', keys, options, true),
    transform: toScoredMembers,
  }),
  /** ZUNIONSTORE destination numkeys key… [WEIGHTS w…] [AGGREGATE a] → the stored set's size. */
  zunionstore: defineCommand<[destination: CommandArg, keys: Keys, options?: ZCombineOptions], number>({
    build: (destination, keys, options) => storeArgs('ZUNIONSTORE', destination, keys, options),
  }),
  /** ZINTER numkeys key… [WEIGHTS w…] [AGGREGATE a] → the members of the intersection. */
  zinter: defineCommand<CombineArgs, string[]>({
    build: (keys, options) => combineArgs('ZINTER', keys, options, false),
  }),
  /** ZINTER … WITHSCORES → `{ value, score }`. */
  zinterWithScores: defineCommand<CombineArgs, ScoredMember[]>({
    build: (keys, options) => combineArgs('ZINTER', keys, options, true),
    transform: toScoredMembers,
  }),
  /** ZINTERSTORE destination numkeys key… [WEIGHTS w…] [AGGREGATE a] → the stored set's size. */
  zinterstore: defineCommand<[destination: CommandArg, keys: Keys, options?: ZCombineOptions], number>({
    build: (destination, keys, options) => storeArgs('ZINTERSTORE', destination, keys, options),
  }),
  /** ZINTERCARD numkeys key… [LIMIT n] → the intersection's size (counting stops at `LIMIT`; 0 none). */
  zintercard: defineCommand<[keys: Keys, options?: { readonly LIMIT?: number }], number>({
    build: (keys, options) => {
      const built = numkeysArgs(['ZINTERCARD'], keys);
      if (options?.LIMIT !== undefined) built.args.push('LIMIT', options.LIMIT);
      return readKeys(built.args, built.keyIndexes);
    },
  }),
  /** ZDIFF numkeys key… → the members of the first set not in the others. */
  zdiff: defineCommand<[keys: Keys], string[]>({
    build: (keys) => combineArgs('ZDIFF', keys, undefined, false),
  }),
  /** ZDIFF … WITHSCORES → `{ value, score }`. */
  zdiffWithScores: defineCommand<[keys: Keys], ScoredMember[]>({
    build: (keys) => combineArgs('ZDIFF', keys, undefined, true),
    transform: toScoredMembers,
  }),
  /** ZDIFFSTORE destination numkeys key… → the stored set's size. */
  zdiffstore: defineCommand<[destination: CommandArg, keys: Keys], number>({
    build: (destination, keys) => storeArgs('ZDIFFSTORE', destination, keys),
  }),
};
