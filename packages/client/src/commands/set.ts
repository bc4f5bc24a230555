import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import {
  type ArgList,
  argListLength,
  KEY_AT_1,
  keyPositions,
  keyRun,
  numkeysArgs,
  pushScanOptions,
  readKey,
  readKeys,
  type ScanOptions,
  singleKey,
  withArgList,
} from './arguments.js';
import { toBoolean, toBooleans, toCursor } from './replies.js';

/** One `SSCAN` step: the next cursor (`'0'` when done) and the members it found. */
export interface SetScanReply {
  readonly cursor: string;
  readonly members: string[];
}

/** `NAME key member [member …]`. */
function keyAndMembers(name: string, key: CommandArg, members: ArgList): Command {
  return singleKey(withArgList([name, key], members, argListLength(members)));
}

/** `SINTER key [key …]` and friends: every argument a key. */
function allKeys(name: string, keys: ArgList): Command {
  const count = argListLength(keys);
  return readKeys(withArgList([name], keys, count), keyRun(1, count));
}

/** `SINTERSTORE destination key [key …]`: every argument a key, the first written. */
function storeKeys(name: string, destination: CommandArg, keys: ArgList): Command {
  const count = argListLength(keys);
  return { args: withArgList([name, destination], keys, count), keyIndexes: keyPositions(1, count + 1) };
}

/** Sets: https://redis.io/docs/latest/commands/?group=set */
export const setCommands = {
  /** SADD key member [member …] → how many were added. */
  sadd: defineCommand<[key: CommandArg, ...members: ArgList], number>({
    build: (key, ...members) => keyAndMembers('SADD', key, members),
  }),
  /** SREM key member [member …] → how many were removed. */
  srem: defineCommand<[key: CommandArg, ...members: ArgList], number>({
    build: (key, ...members) => keyAndMembers('SREM', key, members),
  }),
  /** SMEMBERS key → the members, in no order. */
  smembers: defineCommand<[key: CommandArg], string[]>({ build: (key) => readKey(['SMEMBERS', key]) }),
  /** SCARD key → how many members (0 when missing). */
  scard: defineCommand<[key: CommandArg], number>({ build: (key) => readKey(['SCARD', key]) }),
  /** SISMEMBER key member → whether it is a member. */
  sismember: defineCommand<[key: CommandArg, member: CommandArg], boolean>({
    build: (key, member) => readKey(['SISMEMBER', key, member]),
    transform: toBoolean,
  }),
  /** SMISMEMBER key member [member …] → whether each is a member, in order. */
  smismember: defineCommand<[key: CommandArg, ...members: ArgList], boolean[]>({
    build: (key, ...members) => readKey(withArgList(['SMISMEMBER', key], members, argListLength(members))),
    transform: toBooleans,
  }),
  /** SMOVE source destination member → true when moved. */
  smove: defineCommand<[source: CommandArg, destination: CommandArg, member: CommandArg], boolean>({
    build: (source, destination, member) => ({
      args: ['SMOVE', source, destination, member],
      keyIndexes: keyRun(1, 2),
    }),
    transform: toBoolean,
  }),
  /** SPOP key → a random member (removed), or null. */
  spop: defineCommand<[key: CommandArg], string | null>({ build: (key) => singleKey(['SPOP', key]) }),
  /** SPOP key count → up to `count` random members (removed); `[]` when missing. */
  spopCount: defineCommand<[key: CommandArg, count: number], string[]>({
    build: (key, count) => singleKey(['SPOP', key, count]),
  }),
  /** SRANDMEMBER key → a random member, or null. */
  srandmember: defineCommand<[key: CommandArg], string | null>({
    build: (key) => ({ args: ['SRANDMEMBER', key], keyIndexes: KEY_AT_1, readOnly: true }),
  }),
  /** SRANDMEMBER key count → distinct random members (negative count: may repeat, exactly |count|). */
  srandmemberCount: defineCommand<[key: CommandArg, count: number], string[]>({
    build: (key, count) => ({ args: ['SRANDMEMBER', key, count], keyIndexes: KEY_AT_1, readOnly: true }),
  }),
  /** SINTER key [key …] → the intersection. */
  sinter: defineCommand<ArgList, string[]>({ build: (...keys) => allKeys('SINTER', keys) }),
  /** SUNION key [key …] → the union. */
  sunion: defineCommand<ArgList, string[]>({ build: (...keys) => allKeys('SUNION', keys) }),
  /** SDIFF key [key …] → the members of the first not in the others. */
  sdiff: defineCommand<ArgList, string[]>({ build: (...keys) => allKeys('SDIFF', keys) }),
  /** SINTERSTORE destination key [key …] → the size of the stored intersection. */
  sinterstore: defineCommand<[destination: CommandArg, ...keys: ArgList], number>({
    build: (destination, ...keys) => storeKeys('SINTERSTORE', destination, keys),
  }),
  /** SUNIONSTORE destination key [key …] → the size of the stored union. */
  sunionstore: defineCommand<[destination: CommandArg, ...keys: ArgList], number>({
    build: (destination, ...keys) => storeKeys('SUNIONSTORE', destination, keys),
  }),
  /** SDIFFSTORE destination key [key …] → the size of the stored difference. */
  sdiffstore: defineCommand<[destination: CommandArg, ...keys: ArgList], number>({
    build: (destination, ...keys) => storeKeys('SDIFFSTORE', destination, keys),
  }),
  /** SINTERCARD numkeys key… [LIMIT n] → the intersection's size (counting stops at `LIMIT`; 0 none). */
  sintercard: defineCommand<
    [keys: CommandArg | readonly CommandArg[], options?: { readonly LIMIT?: number }],
    number
  >({
    build: (keys, options) => {
      const built = numkeysArgs(['SINTERCARD'], keys);
      if (options?.LIMIT !== undefined) built.args.push('LIMIT', options.LIMIT);
      return readKeys(built.args, built.keyIndexes);
    },
  }),
  /** SSCAN key cursor [MATCH p] [COUNT n] → one step; the client's `sscanIterator` loops it. */
  sscan: defineCommand<[key: CommandArg, cursor: CommandArg, options?: ScanOptions], SetScanReply>({
    build: (key, cursor, options) => {
      const args: CommandArg[] = ['SSCAN', key, cursor];
      pushScanOptions(args, options);
      return readKey(args);
    },
    transform: (reply) => {
      const step = reply as [unknown, string[]];
      return { cursor: toCursor(step[0]), members: step[1] };
    },
  }),
};
