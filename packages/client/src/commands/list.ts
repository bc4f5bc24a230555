import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import {
  type ArgList,
  argListLength,
  blockingCommand,
  KEY_AT_1,
  KEYS_AT_1_2,
  type Keys,
  keyPositions,
  numkeysArgs,
  readKey,
  singleKey,
  withArgList,
} from './arguments.js';

/** An end of a list. */
export type ListSide = 'LEFT' | 'RIGHT';

/** Options of `LPOS`. */
export interface LposOptions {
  /** Which match: 1 the first, 2 the second, -1 the last… @default 1 */
  readonly RANK?: number;
  /** Compare at most this many elements (0: all). @default 0 */
  readonly MAXLEN?: number;
}

/** A key and the element popped from it (`BLPOP`, `BRPOP`). */
export interface KeyElement {
  readonly key: string;
  readonly element: string;
}

/** A key and the elements popped from it (`LMPOP`, `BLMPOP`). */
export interface KeyElements {
  readonly key: string;
  readonly elements: string[];
}

function toKeyElement(reply: unknown): KeyElement | null {
  if (reply === null) return null;
  const pair = reply as [string, string];
  return { key: pair[0], element: pair[1] };
}

function toKeyElements(reply: unknown): KeyElements | null {
  if (reply === null) return null;
  const pair = reply as [string, string[]];
  return { key: pair[0], elements: pair[1] };
}

/** `NAME key element [element …]`. */
function push(name: string, key: CommandArg, elements: ArgList): Command {
  return singleKey(withArgList([name, key], elements, argListLength(elements)));
}

/** `BLPOP`/`BRPOP key [key …] timeout`. */
function blockingPop(name: string, keys: Keys, seconds: number): Command {
  const list: readonly CommandArg[] = Array.isArray(keys) ? keys : [keys as CommandArg];
  const args = new Array<CommandArg>(list.length + 2);
  args[0] = name;
  for (let i = 0; i < list.length; i++) args[i + 1] = list[i] as CommandArg;
  args[list.length + 1] = seconds;
  return blockingCommand(args, keyPositions(1, list.length), seconds);
}

function lmpopArgs(head: CommandArg[], keys: Keys, side: ListSide, count: number | undefined) {
  const built = numkeysArgs(head, keys);
  built.args.push(side);
  if (count !== undefined) built.args.push('COUNT', count);
  return built;
}

/** Lists: https://redis.io/docs/latest/commands/?group=list */
export const listCommands = {
  /** LPUSH key element [element …] → the list's new length. */
  lpush: defineCommand<[key: CommandArg, ...elements: ArgList], number>({
    build: (key, ...elements) => push('LPUSH', key, elements),
  }),
  /** RPUSH key element [element …] → the list's new length. */
  rpush: defineCommand<[key: CommandArg, ...elements: ArgList], number>({
    build: (key, ...elements) => push('RPUSH', key, elements),
  }),
  /** LPUSHX key element [element …] → the new length; 0 (nothing pushed) when the key is missing. */
  lpushx: defineCommand<[key: CommandArg, ...elements: ArgList], number>({
    build: (key, ...elements) => push('LPUSHX', key, elements),
  }),
  /** RPUSHX key element [element …] → the new length; 0 (nothing pushed) when the key is missing. */
  rpushx: defineCommand<[key: CommandArg, ...elements: ArgList], number>({
    build: (key, ...elements) => push('RPUSHX', key, elements),
  }),
  /** LPOP key → the first element, or null. */
  lpop: defineCommand<[key: CommandArg], string | null>({ build: (key) => singleKey(['LPOP', key]) }),
  /** RPOP key → the last element, or null. */
  rpop: defineCommand<[key: CommandArg], string | null>({ build: (key) => singleKey(['RPOP', key]) }),
  /** LPOP key count → up to `count` elements from the head, or null when the key is missing. */
  lpopCount: defineCommand<[key: CommandArg, count: number], string[] | null>({
    build: (key, count) => singleKey(['LPOP', key, count]),
  }),
  /** RPOP key count → up to `count` elements from the tail, or null when the key is missing. */
  rpopCount: defineCommand<[key: CommandArg, count: number], string[] | null>({
    build: (key, count) => singleKey(['RPOP', key, count]),
  }),
  /** LRANGE key start stop (inclusive; negative from the end) → the elements. */
  lrange: defineCommand<[key: CommandArg, start: number, stop: number], string[]>({
    build: (key, start, stop) => readKey(['LRANGE', key, start, stop]),
  }),
  /** LLEN key → the length (0 when missing). */
  llen: defineCommand<[key: CommandArg], number>({ build: (key) => readKey(['LLEN', key]) }),
  /** LINDEX key index → the element, or null when out of range. */
  lindex: defineCommand<[key: CommandArg, index: number], string | null>({
    build: (key, index) => readKey(['LINDEX', key, index]),
  }),
  /** LSET key index element → 'OK' (out of range is an error). */
  lset: defineCommand<[key: CommandArg, index: number, element: CommandArg], 'OK'>({
    build: (key, index, element) => ({ args: ['LSET', key, index, element], keyIndexes: KEY_AT_1 }),
  }),
  /** LINSERT key BEFORE|AFTER pivot element → the new length; -1 pivot not found; 0 no key. */
  linsert: defineCommand<
    [key: CommandArg, where: 'BEFORE' | 'AFTER', pivot: CommandArg, element: CommandArg],
    number
  >({
    build: (key, where, pivot, element) => singleKey(['LINSERT', key, where, pivot, element]),
  }),
  /** LREM key count element → how many were removed (count > 0 from the head, < 0 from the tail, 0 all). */
  lrem: defineCommand<[key: CommandArg, count: number, element: CommandArg], number>({
    build: (key, count, element) => singleKey(['LREM', key, count, element]),
  }),
  /** LTRIM key start stop → 'OK'. */
  ltrim: defineCommand<[key: CommandArg, start: number, stop: number], 'OK'>({
    build: (key, start, stop) => singleKey(['LTRIM', key, start, stop]),
  }),
  /** LPOS key element [RANK r] [MAXLEN m] → the index of the match, or null. */
  lpos: defineCommand<[key: CommandArg, element: CommandArg, options?: LposOptions], number | null>({
    build: (key, element, options) => {
      const args: CommandArg[] = ['LPOS', key, element];
      if (options?.RANK !== undefined) args.push('RANK', options.RANK);
      if (options?.MAXLEN !== undefined) args.push('MAXLEN', options.MAXLEN);
      return readKey(args);
    },
  }),
  /** LPOS key element COUNT n [RANK r] [MAXLEN m] → the indexes of up to n matches (0: all). */
  lposCount: defineCommand<
    [key: CommandArg, element: CommandArg, count: number, options?: LposOptions],
    number[]
  >({
    build: (key, element, count, options) => {
      const args: CommandArg[] = ['LPOS', key, element];
      if (options?.RANK !== undefined) args.push('RANK', options.RANK);
      args.push('COUNT', count);
      if (options?.MAXLEN !== undefined) args.push('MAXLEN', options.MAXLEN);
      return readKey(args);
    },
  }),
  /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT → the element moved, or null. */
  lmove: defineCommand<
    [source: CommandArg, destination: CommandArg, from: ListSide, to: ListSide],
    string | null
  >({
    build: (source, destination, from, to) => ({
      args: ['LMOVE', source, destination, from, to],
      keyIndexes: KEYS_AT_1_2,
    }),
  }),
  /** RPOPLPUSH source destination → the element moved, or null (deprecated: `lmove`). */
  rpoplpush: defineCommand<[source: CommandArg, destination: CommandArg], string | null>({
    build: (source, destination) => ({ args: ['RPOPLPUSH', source, destination], keyIndexes: KEYS_AT_1_2 }),
  }),
  /** LMPOP numkeys key… LEFT|RIGHT [COUNT n] → the first non-empty key and its popped elements, or null. */
  lmpop: defineCommand<[keys: Keys, side: ListSide, count?: number], KeyElements | null>({
    build: (keys, side, count) => lmpopArgs(['LMPOP'], keys, side, count),
    transform: toKeyElements,
  }),
  /** BLPOP key… timeout (seconds; 0 forever) → `{ key, element }`, or null at the timeout. */
  blpop: defineCommand<[keys: Keys, timeout: number], KeyElement | null>({
    build: (keys, timeout) => blockingPop('BLPOP', keys, timeout),
    transform: toKeyElement,
  }),
  /** BRPOP key… timeout (seconds; 0 forever) → `{ key, element }`, or null at the timeout. */
  brpop: defineCommand<[keys: Keys, timeout: number], KeyElement | null>({
    build: (keys, timeout) => blockingPop('BRPOP', keys, timeout),
    transform: toKeyElement,
  }),
  /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout (seconds) → the element, or null. */
  blmove: defineCommand<
    [source: CommandArg, destination: CommandArg, from: ListSide, to: ListSide, timeout: number],
    string | null
  >({
    build: (source, destination, from, to, timeout) =>
      blockingCommand(['BLMOVE', source, destination, from, to, timeout], KEYS_AT_1_2, timeout),
  }),
  /** BRPOPLPUSH source destination timeout (seconds) → the element, or null (deprecated: `blmove`). */
  brpoplpush: defineCommand<[source: CommandArg, destination: CommandArg, timeout: number], string | null>({
    build: (source, destination, timeout) =>
      blockingCommand(['BRPOPLPUSH', source, destination, timeout], KEYS_AT_1_2, timeout),
  }),
  /** BLMPOP timeout numkeys key… LEFT|RIGHT [COUNT n] → `{ key, elements }`, or null at the timeout. */
  blmpop: defineCommand<[timeout: number, keys: Keys, side: ListSide, count?: number], KeyElements | null>({
    build: (timeout, keys, side, count) => {
      const built = lmpopArgs(['BLMPOP', timeout], keys, side, count);
      return blockingCommand(built.args, built.keyIndexes, timeout);
    },
    transform: toKeyElements,
  }),
};
