import { type CommandArg, InvalidArgumentError } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { shapeOf } from './argument-shapes.js';
import {
  type ArgList,
  argListLength,
  blockingCommand,
  KEY_AT_1,
  type Keys,
  keyPositions,
  numkeysArgs,
  pushScanOptions,
  readKey,
  type ScanOptions,
  singleKey,
  withArgList,
} from './arguments.js';
import { type ScoredMember, toCursor, toDouble, toDoubles, toScoredMembers } from './replies.js';
import { sortedSetRangeCommands } from './sorted-set-range.js';

/** A score as Redis takes it: a number (±Infinity is sent as `±inf`), or text such as `'(1.5'`. */
export type Score = number | string;

/** A member to add, with its score. */
export interface ScoredMemberInput {
  readonly score: Score;
  readonly value: CommandArg;
}

/** Members for `ZADD`: one `{ score, value }`, or a list of them and/or `[score, value]` tuples. */
export type ZAddMembers = ScoredMemberInput | readonly (ScoredMemberInput | readonly [Score, CommandArg])[];

/** Options of `ZADD`. */
export interface ZAddOptions {
  /** Only add new members. */
  readonly NX?: boolean;
  /** Only update existing members. */
  readonly XX?: boolean;
  /** Only update when the new score is greater. */
  readonly GT?: boolean;
  /** Only update when the new score is less. */
  readonly LT?: boolean;
  /** Count changed members too, not just added ones. */
  readonly CH?: boolean;
}

/** Which end of a sorted set: the lowest scores or the highest. */
export type SortedSetSide = 'MIN' | 'MAX';

/** A key and the member popped from it, with its score (`BZPOPMIN`, `BZPOPMAX`). */
export interface KeyScoredMember {
  readonly key: string;
  readonly value: string;
  readonly score: number;
}

/** A key and the members popped from it (`ZMPOP`, `BZMPOP`). */
export interface KeyScoredMembers {
  readonly key: string;
  readonly members: ScoredMember[];
}

/** A member's rank with its score (`ZRANK … WITHSCORE`). */
export interface RankScore {
  readonly rank: number;
  readonly score: number;
}

/** One `ZSCAN` step: the next cursor (`'0'` when done) and the members with their scores. */
export interface SortedSetScanReply {
  readonly cursor: string;
  readonly members: ScoredMember[];
}

function pushZAddOptions(args: CommandArg[], options: ZAddOptions | undefined): void {
  if (options === undefined) return;
  if (options.NX) args.push('NX');
  if (options.XX) args.push('XX');
  if (options.GT) args.push('GT');
  if (options.LT) args.push('LT');
  if (options.CH) args.push('CH');
}

function pushMembers(args: CommandArg[], members: ZAddMembers): void {
  if (!Array.isArray(members)) {
    const one = scoredMember(members);
    args.push(one.score, one.value);
    return;
  }
  const list = members as readonly (ScoredMemberInput | readonly [Score, CommandArg])[];
  for (let i = 0; i < list.length; i++) {
    const m = list[i] as ScoredMemberInput | readonly [Score, CommandArg];
    if (Array.isArray(m) && m.length === 2) args.push(m[0], m[1]);
    else {
      const one = scoredMember(m);
      args.push(one.score, one.value);
    }
  }
}

/**
 * A member as `{ score, value }`. Anything else is refused by name: a bare score (`zadd(k, 1)`), a
 * `{ score, member }` object or a one-element tuple failed as "argument 2 is undefined", far from
 * the mistake.
 */
function scoredMember(member: unknown): ScoredMemberInput {
  if (typeof member === 'object' && member !== null && 'score' in member && 'value' in member)
    return member as ScoredMemberInput;
  throw new InvalidArgumentError(
    `zadd: a member is { score, value } or [score, member] (several in an array), not ${shapeOf(member)}`,
  );
}

function toRankScore(reply: unknown): RankScore | null {
  if (reply === null) return null;
  const pair = reply as [number, unknown];
  return { rank: pair[0], score: toDouble(pair[1]) as number };
}

function toKeyScoredMember(reply: unknown): KeyScoredMember | null {
  if (reply === null) return null;
  const triple = reply as [string, string, unknown];
  return { key: triple[0], value: triple[1], score: toDouble(triple[2]) as number };
}

function toKeyScoredMembers(reply: unknown): KeyScoredMembers | null {
  if (reply === null) return null;
  const pair = reply as [string, unknown];
  return { key: pair[0], members: toScoredMembers(pair[1]) };
}

function zmpopArgs(head: CommandArg[], keys: Keys, side: SortedSetSide, count: number | undefined) {
  const built = numkeysArgs(head, keys);
  built.args.push(side);
  if (count !== undefined) built.args.push('COUNT', count);
  return built;
}

/** `BZPOPMIN`/`BZPOPMAX key [key …] timeout`. */
function blockingPop(name: string, keys: Keys, seconds: number) {
  const list: readonly CommandArg[] = Array.isArray(keys) ? keys : [keys as CommandArg];
  const args: CommandArg[] = [name];
  for (let i = 0; i < list.length; i++) args.push(list[i] as CommandArg);
  args.push(seconds);
  return blockingCommand(args, keyPositions(1, list.length), seconds);
}

/** Sorted sets: https://redis.io/docs/latest/commands/?group=sorted-set (ranges: sorted-set-range.ts). */
export const sortedSetCommands = {
  /** ZADD key [NX|XX] [GT|LT] [CH] score member … → how many were added (with `CH`: changed). */
  zadd: defineCommand<[key: CommandArg, members: ZAddMembers, options?: ZAddOptions], number>({
    build: (key, members, options) => {
      const args: CommandArg[] = ['ZADD', key];
      pushZAddOptions(args, options);
      pushMembers(args, members);
      return singleKey(args);
    },
  }),
  /** ZADD key … INCR score member → the member's new score, or null when a condition stopped it. */
  zaddIncr: defineCommand<
    [key: CommandArg, increment: Score, member: CommandArg, options?: ZAddOptions],
    number | null
  >({
    build: (key, increment, member, options) => {
      const args: CommandArg[] = ['ZADD', key];
      pushZAddOptions(args, options);
      args.push('INCR', increment, member);
      return singleKey(args);
    },
    transform: toDouble,
  }),
  /** ZINCRBY key increment member → the member's new score. */
  zincrby: defineCommand<[key: CommandArg, increment: Score, member: CommandArg], number>({
    build: (key, increment, member) => singleKey(['ZINCRBY', key, increment, member]),
    transform: (reply) => toDouble(reply) as number,
  }),
  /** ZREM key member [member …] → how many were removed. */
  zrem: defineCommand<[key: CommandArg, ...members: ArgList], number>({
    build: (key, ...members) => singleKey(withArgList(['ZREM', key], members, argListLength(members))),
  }),
  /** ZCARD key → how many members (0 when missing). */
  zcard: defineCommand<[key: CommandArg], number>({ build: (key) => readKey(['ZCARD', key]) }),
  /** ZSCORE key member → its score, or null. */
  zscore: defineCommand<[key: CommandArg, member: CommandArg], number | null>({
    build: (key, member) => readKey(['ZSCORE', key, member]),
    transform: toDouble,
  }),
  /** ZMSCORE key member [member …] → each score in order, null for a non-member. */
  zmscore: defineCommand<[key: CommandArg, ...members: ArgList], (number | null)[]>({
    build: (key, ...members) => readKey(withArgList(['ZMSCORE', key], members, argListLength(members))),
    transform: toDoubles,
  }),
  /** ZRANK key member → its 0-based rank by ascending score, or null. */
  zrank: defineCommand<[key: CommandArg, member: CommandArg], number | null>({
    build: (key, member) => readKey(['ZRANK', key, member]),
  }),
  /** ZRANK key member WITHSCORE → `{ rank, score }`, or null. */
  zrankWithScore: defineCommand<[key: CommandArg, member: CommandArg], RankScore | null>({
    build: (key, member) => readKey(['ZRANK', key, member, 'WITHSCORE']),
    transform: toRankScore,
  }),
  /** ZREVRANK key member → its 0-based rank by descending score, or null. */
  zrevrank: defineCommand<[key: CommandArg, member: CommandArg], number | null>({
    build: (key, member) => readKey(['ZREVRANK', key, member]),
  }),
  /** ZREVRANK key member WITHSCORE → `{ rank, score }`, or null. */
  zrevrankWithScore: defineCommand<[key: CommandArg, member: CommandArg], RankScore | null>({
    build: (key, member) => readKey(['ZREVRANK', key, member, 'WITHSCORE']),
    transform: toRankScore,
  }),
  /** ZCOUNT key min max → how many scores are within [min, max] (`'(1'` exclusive, `'-inf'`). */
  zcount: defineCommand<[key: CommandArg, min: Score, max: Score], number>({
    build: (key, min, max) => readKey(['ZCOUNT', key, min, max]),
  }),
  /** ZLEXCOUNT key min max → how many members are within the lex range (`'[a'`, `'(b'`, `'-'`, `'+'`). */
  zlexcount: defineCommand<[key: CommandArg, min: CommandArg, max: CommandArg], number>({
    build: (key, min, max) => readKey(['ZLEXCOUNT', key, min, max]),
  }),
  /** ZPOPMIN key [count] → the popped members with scores, lowest first (`[]` when missing). */
  zpopmin: defineCommand<[key: CommandArg, count?: number], ScoredMember[]>({
    build: (key, count) => singleKey(count === undefined ? ['ZPOPMIN', key] : ['ZPOPMIN', key, count]),
    transform: toScoredMembers,
  }),
  /** ZPOPMAX key [count] → the popped members with scores, highest first (`[]` when missing). */
  zpopmax: defineCommand<[key: CommandArg, count?: number], ScoredMember[]>({
    build: (key, count) => singleKey(count === undefined ? ['ZPOPMAX', key] : ['ZPOPMAX', key, count]),
    transform: toScoredMembers,
  }),
  /** BZPOPMIN key… timeout (seconds; 0 forever) → `{ key, value, score }`, or null at the timeout. */
  bzpopmin: defineCommand<[keys: Keys, timeout: number], KeyScoredMember | null>({
    build: (keys, timeout) => blockingPop('BZPOPMIN', keys, timeout),
    transform: toKeyScoredMember,
  }),
  /** BZPOPMAX key… timeout (seconds; 0 forever) → `{ key, value, score }`, or null at the timeout. */
  bzpopmax: defineCommand<[keys: Keys, timeout: number], KeyScoredMember | null>({
    build: (keys, timeout) => blockingPop('BZPOPMAX', keys, timeout),
    transform: toKeyScoredMember,
  }),
  /** ZMPOP numkeys key… MIN|MAX [COUNT n] → the first non-empty key and its popped members, or null. */
  zmpop: defineCommand<[keys: Keys, side: SortedSetSide, count?: number], KeyScoredMembers | null>({
    build: (keys, side, count) => zmpopArgs(['ZMPOP'], keys, side, count),
    transform: toKeyScoredMembers,
  }),
  /** BZMPOP timeout numkeys key… MIN|MAX [COUNT n] → as ZMPOP, or null at the timeout (seconds). */
  bzmpop: defineCommand<
    [timeout: number, keys: Keys, side: SortedSetSide, count?: number],
    KeyScoredMembers | null
  >({
    build: (timeout, keys, side, count) => {
      const built = zmpopArgs(['BZMPOP', timeout], keys, side, count);
      return blockingCommand(built.args, built.keyIndexes, timeout);
    },
    transform: toKeyScoredMembers,
  }),
  /** ZRANDMEMBER key → a random member, or null. */
  zrandmember: defineCommand<[key: CommandArg], string | null>({
    build: (key) => ({ args: ['ZRANDMEMBER', key], keyIndexes: KEY_AT_1, readOnly: true }),
  }),
  /** ZRANDMEMBER key count → distinct random members (negative count: may repeat, exactly |count|). */
  zrandmemberCount: defineCommand<[key: CommandArg, count: number], string[]>({
    build: (key, count) => ({
      args: ['ZRANDMEMBER', key, count],
      keyIndexes: KEY_AT_1,
      readOnly: true,
    }),
  }),
  /** ZRANDMEMBER key count WITHSCORES → random members with their scores. */
  zrandmemberWithScores: defineCommand<[key: CommandArg, count: number], ScoredMember[]>({
    build: (key, count) => ({
      args: ['ZRANDMEMBER', key, count, 'WITHSCORES'],
      keyIndexes: KEY_AT_1,
      readOnly: true,
    }),
    transform: toScoredMembers,
  }),
  /** ZREMRANGEBYRANK key start stop → how many were removed. */
  zremrangebyrank: defineCommand<[key: CommandArg, start: number, stop: number], number>({
    build: (key, start, stop) => singleKey(['ZREMRANGEBYRANK', key, start, stop]),
  }),
  /** ZREMRANGEBYSCORE key min max → how many were removed. */
  zremrangebyscore: defineCommand<[key: CommandArg, min: Score, max: Score], number>({
    build: (key, min, max) => singleKey(['ZREMRANGEBYSCORE', key, min, max]),
  }),
  /** ZREMRANGEBYLEX key min max → how many were removed. */
  zremrangebylex: defineCommand<[key: CommandArg, min: CommandArg, max: CommandArg], number>({
    build: (key, min, max) => singleKey(['ZREMRANGEBYLEX', key, min, max]),
  }),
  /** ZSCAN key cursor [MATCH p] [COUNT n] → one step; the client's `zscanIterator` loops it. */
  zscan: defineCommand<[key: CommandArg, cursor: CommandArg, options?: ScanOptions], SortedSetScanReply>({
    build: (key, cursor, options) => {
      const args: CommandArg[] = ['ZSCAN', key, cursor];
      pushScanOptions(args, options);
      return readKey(args);
    },
    transform: (reply) => {
      const step = reply as [unknown, unknown[]];
      return { cursor: toCursor(step[0]), members: toScoredMembers(step[1]) };
    },
  }),
  ...sortedSetRangeCommands,
};
