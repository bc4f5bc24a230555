import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import {
  type ArgList,
  type FieldValues,
  KEY_AT_2,
  pushFieldValues,
  readKey,
  singleKey,
  withArgList,
} from './arguments.js';
import {
  blockingTimeout,
  pushIds,
  pushStreams,
  pushTrim,
  type StreamReadOptions,
  type StreamRefPolicy,
  type StreamsToRead,
  type StreamTrim,
} from './stream-args.js';
import { streamGroupCommands } from './stream-groups.js';
import {
  type StreamEntry,
  type StreamInfo,
  type StreamInfoFull,
  type StreamReadResult,
  toEntries,
  toReadResults,
  toStreamInfo,
  toStreamInfoFull,
} from './stream-replies.js';

/** XADD options. */
export interface XAddOptions {
  /** Do not create a missing stream (the reply is then null). @default false */
  readonly NOMKSTREAM?: boolean;
  /** Trim the stream in the same call. @default no trimming */
  readonly TRIM?: StreamTrim;
  /** What trimming does to consumer groups' references (Redis 8.2). @default the server's (KEEPREF) */
  readonly policy?: StreamRefPolicy;
}

/** XTRIM options. */
export interface XTrimOptions extends StreamTrim {
  /** What trimming does to consumer groups' references (Redis 8.2). @default the server's (KEEPREF) */
  readonly policy?: StreamRefPolicy;
}

/** XSETID options. */
export interface XSetIdOptions {
  /** The stream's entries-added counter. */
  readonly ENTRIESADDED?: number;
  /** The greatest id deleted from the stream. */
  readonly MAXDELETEDID?: CommandArg;
}

/** XINFO STREAM … FULL options. */
export interface XInfoStreamFullOptions {
  /** Entries and PEL items per group to include (0: all). @default 10 (the server's) */
  readonly COUNT?: number;
}

/** XRANGE / XREVRANGE options. */
export interface XRangeOptions {
  /** At most this many entries. @default all */
  readonly COUNT?: number;
}

function rangeCommand(
  name: 'XRANGE' | 'XREVRANGE',
  key: CommandArg,
  from: CommandArg,
  to: CommandArg,
  count: number | undefined,
): Command {
  return readKey(count === undefined ? [name, key, from, to] : [name, key, from, to, 'COUNT', count]);
}

/** Streams: https://redis.io/docs/latest/commands/?group=stream */
export const streamCommands = {
  /**
   * XADD key [NOMKSTREAM] [KEEPREF|DELREF|ACKED] [MAXLEN|MINID …] id field value … → the new
   * entry's id (null with `noMkStream` when the stream is missing). `id` is usually `'*'`.
   */
  xadd: defineCommand<
    [key: CommandArg, id: CommandArg, fields: FieldValues, options?: XAddOptions],
    string | null
  >({
    build: (key, id, fields, options) => {
      const args: CommandArg[] = ['XADD', key];
      if (options?.NOMKSTREAM === true) args.push('NOMKSTREAM');
      if (options?.policy !== undefined) args.push(options.policy);
      if (options?.TRIM !== undefined) pushTrim(args, options.TRIM);
      args.push(id);
      pushFieldValues(args, fields, 'XADD');
      return singleKey(args);
    },
  }),
  /** XRANGE key start end [COUNT n] → entries from `start` to `end` (`'-'`, `'+'`, ids; `'('` excludes). */
  xrange: defineCommand<
    [key: CommandArg, start: CommandArg, end: CommandArg, options?: XRangeOptions],
    StreamEntry[]
  >({
    build: (key, start, end, options) => rangeCommand('XRANGE', key, start, end, options?.COUNT),
    transform: toEntries,
  }),
  /** XREVRANGE key end start [COUNT n] → entries from `end` down to `start`. */
  xrevrange: defineCommand<
    [key: CommandArg, end: CommandArg, start: CommandArg, options?: XRangeOptions],
    StreamEntry[]
  >({
    build: (key, end, start, options) => rangeCommand('XREVRANGE', key, end, start, options?.COUNT),
    transform: toEntries,
  }),
  /** XLEN key → the number of entries (0 for a missing key). */
  xlen: defineCommand<[key: CommandArg], number>({
    build: (key) => readKey(['XLEN', key]),
  }),
  /** XDEL key id … → how many entries were deleted. */
  xdel: defineCommand<[key: CommandArg, ...ids: ArgList], number>({
    build: (key, ...ids) => singleKey(withArgList(['XDEL', key], ids)),
  }),
  /**
   * XDELEX key [KEEPREF|DELREF|ACKED] IDS n id … (Redis 8.2) → per id: -1 not found, 1 deleted,
   * 2 not deleted (still referenced by a group, with `ACKED`).
   */
  xdelex: defineCommand<
    [
      key: CommandArg,
      ids: CommandArg | readonly CommandArg[],
      options?: { readonly policy?: StreamRefPolicy },
    ],
    number[]
  >({
    build: (key, ids, options) => {
      const args: CommandArg[] = ['XDELEX', key];
      if (options?.policy !== undefined) args.push(options.policy);
      return singleKey(pushIds(args, ids));
    },
  }),
  /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT n] [KEEPREF|DELREF|ACKED] → how many entries were removed. */
  xtrim: defineCommand<[key: CommandArg, options: XTrimOptions], number>({
    build: (key, options) => {
      const args: CommandArg[] = ['XTRIM', key];
      pushTrim(args, options);
      if (options.policy !== undefined) args.push(options.policy);
      return singleKey(args);
    },
  }),
  /**
   * XREAD [COUNT n] [BLOCK ms] STREAMS key … id … → `{ name, entries }[]`, or null when nothing
   * arrived before the block timeout. With `BLOCK` the command is marked blocking (pooled connection).
   */
  xread: defineCommand<
    [streams: StreamsToRead, options?: StreamReadOptions],
    StreamReadResult<StreamEntry>[] | null
  >({
    build: (streams, options) => {
      const args: CommandArg[] = ['XREAD'];
      const keyIndexes = pushStreams(args, streams, options);
      return options?.BLOCK === undefined
        ? { args, keyIndexes, readOnly: true, idempotent: true }
        : { args, keyIndexes, readOnly: true, blocking: true, timeout: blockingTimeout(options.BLOCK) };
    },
    transform: (reply) => toReadResults(reply) as StreamReadResult<StreamEntry>[] | null,
  }),
  /** XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id] → 'OK'. */
  xsetid: defineCommand<[key: CommandArg, lastId: CommandArg, options?: XSetIdOptions], 'OK'>({
    build: (key, lastId, options) => {
      const args: CommandArg[] = ['XSETID', key, lastId];
      if (options?.ENTRIESADDED !== undefined) args.push('ENTRIESADDED', options.ENTRIESADDED);
      if (options?.MAXDELETEDID !== undefined) args.push('MAXDELETEDID', options.MAXDELETEDID);
      return singleKey(args);
    },
  }),
  /** XINFO STREAM key → a camelCased object (`length`, `lastGeneratedId`, `firstEntry`, …). */
  xinfoStream: defineCommand<[key: CommandArg], StreamInfo>({
    build: (key) => ({
      args: ['XINFO', 'STREAM', key],
      keyIndexes: KEY_AT_2,
      readOnly: true,
      idempotent: true,
    }),
    transform: toStreamInfo,
  }),
  /** XINFO STREAM key FULL [COUNT n] → the stream with its entries, groups, consumers and PELs. */
  xinfoStreamFull: defineCommand<[key: CommandArg, options?: XInfoStreamFullOptions], StreamInfoFull>({
    build: (key, options) => ({
      args:
        options?.COUNT === undefined
          ? ['XINFO', 'STREAM', key, 'FULL']
          : ['XINFO', 'STREAM', key, 'FULL', 'COUNT', options.COUNT],
      keyIndexes: KEY_AT_2,
      readOnly: true,
      idempotent: true,
    }),
    transform: toStreamInfoFull,
  }),
  ...streamGroupCommands,
};
