import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import {
  type ArgList,
  argListLength,
  type ExpirationOptions,
  type FieldValues,
  KEY_AT_1,
  KEYS_AT_1_2,
  keyPositions,
  keyRun,
  pushExpiration,
  pushFieldValues,
  readKey,
  readKeys,
  singleKey,
  withArgList,
} from './arguments.js';
import { toBoolean, toRecord } from './replies.js';

/** Options of `SET`: at most one expiration, at most one of `NX`/`XX`, and `GET` for the old value. */
export interface SetOptions extends ExpirationOptions {
  /** Keep the key's current time to live. */
  readonly KEEPTTL?: boolean;
  /** Only set when the key does not exist (the reply is null otherwise). */
  readonly NX?: boolean;
  /** Only set when the key exists (the reply is null otherwise). */
  readonly XX?: boolean;
  /** Reply with the old value (or null) instead of `'OK'`. */
  readonly GET?: boolean;
}

/** Options of `GETEX`: set a new expiration, or `PERSIST` to remove it. */
export interface GetExOptions extends ExpirationOptions {
  /** Remove the key's time to live. */
  readonly PERSIST?: boolean;
}

/** Options of `LCS`. */
export interface LcsIdxOptions {
  /** Only matches at least this long. @default 0 */
  readonly MINMATCHLEN?: number;
  /** Report each match's length too. */
  readonly WITHMATCHLEN?: boolean;
}

/** One match of `LCS … IDX`: inclusive `[start, end]` ranges in each string. */
export interface LcsMatch {
  readonly key1: readonly [start: number, end: number];
  readonly key2: readonly [start: number, end: number];
  /** With `WITHMATCHLEN`. */
  readonly length?: number;
}

/** The reply of `LCS … IDX`. */
export interface LcsIdxReply {
  /** Matches, last first (the server's order). */
  readonly matches: LcsMatch[];
  /** The length of the longest common subsequence. */
  readonly len: number;
}

/** `MSET`/`MSETNX` arguments: the key/value pairs as one container, or flat `k, v, k, v`. */
type KeyValues = [pairs: FieldValues | CommandArg, ...more: CommandArg[]];

function buildMset(name: 'MSET' | 'MSETNX', pairs: KeyValues): Command {
  const args: CommandArg[] = [name];
  const one = pairs.length === 1 && typeof pairs[0] === 'object' && !ArrayBuffer.isView(pairs[0]);
  const count = pushFieldValues(args, one ? (pairs[0] as FieldValues) : (pairs as CommandArg[]), name);
  const keyIndexes = keyPositions(1, count, 2);
  // MSET twice leaves the same values; MSETNX's second run would fail where the first succeeded.
  return name === 'MSET' ? { args, keyIndexes, idempotent: true } : { args, keyIndexes };
}

function toLcsIdx(reply: unknown): LcsIdxReply {
  const record = toRecord<unknown>(reply);
  const raw = (record.matches ?? []) as unknown[][];
  const matches = new Array<LcsMatch>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const m = raw[i] as unknown[];
    const key1 = m[0] as [number, number];
    const key2 = m[1] as [number, number];
    matches[i] = m.length > 2 ? { key1, key2, length: m[2] as number } : { key1, key2 };
  }
  return { matches, len: record.len as number };
}

/** Strings: https://redis.io/docs/latest/commands/?group=string */
export const stringCommands = {
  /** GET key → the value, or null when the key is missing. */
  get: defineCommand<[key: CommandArg], string | null>({
    build: (key) => readKey(['GET', key]),
  }),
  /**
   * SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT n|KEEPTTL] → `'OK'`; null when `NX`/`XX` stopped
   * it; with `GET`, the old value (or null).
   */
  set: defineCommand<[key: CommandArg, value: CommandArg, options?: SetOptions], string | null>({
    build: (key, value, options) => {
      if (options === undefined) return { args: ['SET', key, value], keyIndexes: KEY_AT_1, idempotent: true };
      const args: CommandArg[] = ['SET', key, value];
      if (options.NX) args.push('NX');
      if (options.XX) args.push('XX');
      if (options.GET) args.push('GET');
      pushExpiration(args, options);
      if (options.KEEPTTL) args.push('KEEPTTL');
      return { args, keyIndexes: KEY_AT_1 };
    },
  }),
  /** SETNX key value → true when it was set (the key did not exist). */
  setnx: defineCommand<[key: CommandArg, value: CommandArg], boolean>({
    build: (key, value) => singleKey(['SETNX', key, value]),
    transform: toBoolean,
  }),
  /** SETEX key seconds value → 'OK'. */
  setex: defineCommand<[key: CommandArg, seconds: number, value: CommandArg], 'OK'>({
    build: (key, seconds, value) => singleKey(['SETEX', key, seconds, value]),
  }),
  /** PSETEX key milliseconds value → 'OK'. */
  psetex: defineCommand<[key: CommandArg, milliseconds: number, value: CommandArg], 'OK'>({
    build: (key, ms, value) => singleKey(['PSETEX', key, ms, value]),
  }),
  /** GETSET key value → the old value or null (deprecated: `set(key, value, { GET: true })`). */
  getset: defineCommand<[key: CommandArg, value: CommandArg], string | null>({
    build: (key, value) => singleKey(['GETSET', key, value]),
  }),
  /** GETDEL key → the value (now deleted), or null. */
  getdel: defineCommand<[key: CommandArg], string | null>({
    build: (key) => singleKey(['GETDEL', key]),
  }),
  /** GETEX key [EX|PX|EXAT|PXAT n|PERSIST] → the value, or null; sets or clears its expiration. */
  getex: defineCommand<[key: CommandArg, options?: GetExOptions], string | null>({
    build: (key, options) => {
      const args: CommandArg[] = ['GETEX', key];
      if (options !== undefined) {
        pushExpiration(args, options);
        if (options.PERSIST) args.push('PERSIST');
      }
      return singleKey(args);
    },
  }),
  /** GETRANGE key start end (inclusive, negative from the end) → the substring ('' when missing). */
  getrange: defineCommand<[key: CommandArg, start: number, end: number], string>({
    build: (key, start, end) => readKey(['GETRANGE', key, start, end]),
  }),
  /** SUBSTR key start end: the old name of GETRANGE. */
  substr: defineCommand<[key: CommandArg, start: number, end: number], string>({
    build: (key, start, end) => readKey(['SUBSTR', key, start, end]),
  }),
  /** SETRANGE key offset value → the string's new length. */
  setrange: defineCommand<[key: CommandArg, offset: number, value: CommandArg], number>({
    build: (key, offset, value) => singleKey(['SETRANGE', key, offset, value]),
  }),
  /** MGET key [key …] (or one array of keys) → the values in order, null for each missing one. */
  mget: defineCommand<ArgList, (string | null)[]>({
    build: (...keys) => {
      const count = argListLength(keys);
      return readKeys(withArgList(['MGET'], keys, count), keyRun(1, count));
    },
  }),
  /** MSET { k: v } | Map | [[k, v]] | k, v, k, v … → 'OK'. */
  mset: defineCommand<KeyValues, 'OK'>({
    build: (...pairs) => buildMset('MSET', pairs),
  }),
  /** MSETNX, same arguments as MSET → true when all were set (none of the keys existed). */
  msetnx: defineCommand<KeyValues, boolean>({
    build: (...pairs) => buildMset('MSETNX', pairs),
    transform: toBoolean,
  }),
  /** INCR key → the new value. */
  incr: defineCommand<[key: CommandArg], number>({
    build: (key) => singleKey(['INCR', key]),
  }),
  /** INCRBY key increment → the new value. */
  incrby: defineCommand<[key: CommandArg, increment: number | bigint], number>({
    build: (key, increment) => singleKey(['INCRBY', key, increment]),
  }),
  /**
   * INCRBYFLOAT key increment → the new value as the server wrote it (a string: Redis keeps long
   * doubles, which a JS number may round).
   */
  incrbyfloat: defineCommand<[key: CommandArg, increment: number | string], string>({
    build: (key, increment) => singleKey(['INCRBYFLOAT', key, increment]),
  }),
  /** DECR key → the new value. */
  decr: defineCommand<[key: CommandArg], number>({
    build: (key) => singleKey(['DECR', key]),
  }),
  /** DECRBY key decrement → the new value. */
  decrby: defineCommand<[key: CommandArg, decrement: number | bigint], number>({
    build: (key, decrement) => singleKey(['DECRBY', key, decrement]),
  }),
  /** APPEND key value → the string's new length. */
  append: defineCommand<[key: CommandArg, value: CommandArg], number>({
    build: (key, value) => singleKey(['APPEND', key, value]),
  }),
  /** STRLEN key → its length in bytes (0 when missing). */
  strlen: defineCommand<[key: CommandArg], number>({
    build: (key) => readKey(['STRLEN', key]),
  }),
  /** LCS key1 key2 → the longest common subsequence. */
  lcs: defineCommand<[key1: CommandArg, key2: CommandArg], string>({
    build: (key1, key2) => readKeys(['LCS', key1, key2], KEYS_AT_1_2),
  }),
  /** LCS key1 key2 LEN → its length. */
  lcsLen: defineCommand<[key1: CommandArg, key2: CommandArg], number>({
    build: (key1, key2) => readKeys(['LCS', key1, key2, 'LEN'], KEYS_AT_1_2),
  }),
  /** LCS key1 key2 IDX [MINMATCHLEN n] [WITHMATCHLEN] → where the matches are, and the length. */
  lcsIdx: defineCommand<[key1: CommandArg, key2: CommandArg, options?: LcsIdxOptions], LcsIdxReply>({
    build: (key1, key2, options) => {
      const args: CommandArg[] = ['LCS', key1, key2, 'IDX'];
      if (options?.MINMATCHLEN !== undefined) args.push('MINMATCHLEN', options.MINMATCHLEN);
      if (options?.WITHMATCHLEN) args.push('WITHMATCHLEN');
      return readKeys(args, KEYS_AT_1_2);
    },
    transform: toLcsIdx,
  }),
};
