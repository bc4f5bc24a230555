import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { type ArgList, KEY_AT_2, readKey, singleKey, withArgList } from './arguments.js';
import {
  blockingTimeout,
  idList,
  pushIds,
  pushStreams,
  type StreamReadOptions,
  type StreamRefPolicy,
  type StreamsToRead,
} from './stream-args.js';
import {
  type StreamAutoClaim,
  type StreamConsumerInfo,
  type StreamEntry,
  type StreamGroupEntry,
  type StreamGroupInfo,
  type StreamPendingEntry,
  type StreamPendingSummary,
  type StreamReadResult,
  toAutoClaim,
  toAutoClaimJustId,
  toEntries,
  toPendingEntries,
  toPendingSummary,
  toReadResults,
  toRecords,
} from './stream-replies.js';

/** XGROUP CREATE options. */
export interface XGroupCreateOptions {
  /** Create the stream when it is missing. @default false */
  readonly MKSTREAM?: boolean;
  /** How many entries the group has read: lets Redis compute its lag from the start. @default unknown */
  readonly ENTRIESREAD?: number;
}

/** XREADGROUP options. */
export interface XReadGroupOptions extends StreamReadOptions {
  /** Do not add delivered entries to the PEL (acknowledged on delivery). @default false */
  readonly NOACK?: boolean;
}

/** XPENDING extended-form options. */
export interface XPendingRangeOptions {
  /** Only messages idle at least this many milliseconds. */
  readonly IDLE?: number;
  /** Only this consumer's messages. */
  readonly consumer?: CommandArg;
}

/** XCLAIM options. */
export interface XClaimOptions {
  /** Set the idle time (ms) of the claimed messages. @default 0 */
  readonly IDLE?: number;
  /** Set the idle time as a Unix time in ms. */
  readonly TIME?: number;
  /** Set the delivery counter. @default incremented */
  readonly RETRYCOUNT?: number;
  /** Create PEL entries for ids not yet pending (they must exist in the stream). @default false */
  readonly FORCE?: boolean;
  /** Update the group's last-delivered id. */
  readonly LASTID?: CommandArg;
}

function groupCommand(args: CommandArg[]): { args: CommandArg[]; keyIndexes: readonly number[] } {
  return { args, keyIndexes: KEY_AT_2 };
}

function claimArgs(
  key: CommandArg,
  group: CommandArg,
  consumer: CommandArg,
  minIdleTime: number,
  ids: CommandArg | readonly CommandArg[],
  options: XClaimOptions | undefined,
): CommandArg[] {
  const args: CommandArg[] = ['XCLAIM', key, group, consumer, minIdleTime, ...idList(ids)];
  if (options?.IDLE !== undefined) args.push('IDLE', options.IDLE);
  if (options?.TIME !== undefined) args.push('TIME', options.TIME);
  if (options?.RETRYCOUNT !== undefined) args.push('RETRYCOUNT', options.RETRYCOUNT);
  if (options?.FORCE === true) args.push('FORCE');
  if (options?.LASTID !== undefined) args.push('LASTID', options.LASTID);
  return args;
}

function autoClaimArgs(
  key: CommandArg,
  group: CommandArg,
  consumer: CommandArg,
  minIdleTime: number,
  start: CommandArg,
  count: number | undefined,
): CommandArg[] {
  const args: CommandArg[] = ['XAUTOCLAIM', key, group, consumer, minIdleTime, start];
  if (count !== undefined) args.push('COUNT', count);
  return args;
}

type ClaimArgs = [
  key: CommandArg,
  group: CommandArg,
  consumer: CommandArg,
  minIdleTime: number,
  ids: CommandArg | readonly CommandArg[],
  options?: XClaimOptions,
];

type AutoClaimArgs = [
  key: CommandArg,
  group: CommandArg,
  consumer: CommandArg,
  minIdleTime: number,
  start: CommandArg,
  options?: { readonly COUNT?: number },
];

/** Consumer groups and stream introspection. */
export const streamGroupCommands = {
  /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] → 'OK'. */
  xgroupCreate: defineCommand<
    [key: CommandArg, group: CommandArg, id: CommandArg, options?: XGroupCreateOptions],
    'OK'
  >({
    build: (key, group, id, options) => {
      const args: CommandArg[] = ['XGROUP', 'CREATE', key, group, id];
      if (options?.MKSTREAM === true) args.push('MKSTREAM');
      if (options?.ENTRIESREAD !== undefined) args.push('ENTRIESREAD', options.ENTRIESREAD);
      return groupCommand(args);
    },
  }),
  /** XGROUP CREATECONSUMER key group consumer → true when the consumer was created. */
  xgroupCreateConsumer: defineCommand<[key: CommandArg, group: CommandArg, consumer: CommandArg], boolean>({
    build: (key, group, consumer) => groupCommand(['XGROUP', 'CREATECONSUMER', key, group, consumer]),
    transform: (reply) => reply === 1,
  }),
  /** XGROUP DELCONSUMER key group consumer → how many messages the consumer had pending. */
  xgroupDelConsumer: defineCommand<[key: CommandArg, group: CommandArg, consumer: CommandArg], number>({
    build: (key, group, consumer) => groupCommand(['XGROUP', 'DELCONSUMER', key, group, consumer]),
  }),
  /** XGROUP DESTROY key group → true when the group existed. */
  xgroupDestroy: defineCommand<[key: CommandArg, group: CommandArg], boolean>({
    build: (key, group) => groupCommand(['XGROUP', 'DESTROY', key, group]),
    transform: (reply) => reply === 1,
  }),
  /** XGROUP SETID key group id|$ [ENTRIESREAD n] → 'OK'. */
  xgroupSetId: defineCommand<
    [key: CommandArg, group: CommandArg, id: CommandArg, options?: { readonly ENTRIESREAD?: number }],
    'OK'
  >({
    build: (key, group, id, options) =>
      groupCommand(
        options?.ENTRIESREAD === undefined
          ? ['XGROUP', 'SETID', key, group, id]
          : ['XGROUP', 'SETID', key, group, id, 'ENTRIESREAD', options.ENTRIESREAD],
      ),
  }),
  /**
   * XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key … id … →
   * `{ name, entries }[]` or null. `'>'` reads new entries; another id re-reads this consumer's
   * pending ones (deleted entries then have `fields: null`). With `BLOCK`: marked blocking.
   */
  xreadgroup: defineCommand<
    [group: CommandArg, consumer: CommandArg, streams: StreamsToRead, options?: XReadGroupOptions],
    StreamReadResult<StreamGroupEntry>[] | null
  >({
    build: (group, consumer, streams, options) => {
      const args: CommandArg[] = ['XREADGROUP', 'GROUP', group, consumer];
      const keyIndexes = pushStreams(args, streams, options, () => {
        if (options?.NOACK === true) args.push('NOACK');
      });
      return options?.BLOCK === undefined
        ? { args, keyIndexes }
        : { args, keyIndexes, blocking: true, timeout: blockingTimeout(options.BLOCK) };
    },
    transform: toReadResults,
  }),
  /** XACK key group id … → how many messages were acknowledged. */
  xack: defineCommand<[key: CommandArg, group: CommandArg, ...ids: ArgList], number>({
    build: (key, group, ...ids) => singleKey(withArgList(['XACK', key, group], ids)),
  }),
  /**
   * XACKDEL key group [KEEPREF|DELREF|ACKED] IDS n id … (Redis 8.2) → per id: -1 not found,
   * 1 acknowledged and deleted, 2 acknowledged but kept (still referenced by another group).
   */
  xackdel: defineCommand<
    [
      key: CommandArg,
      group: CommandArg,
      ids: CommandArg | readonly CommandArg[],
      options?: { readonly policy?: StreamRefPolicy },
    ],
    number[]
  >({
    build: (key, group, ids, options) => {
      const args: CommandArg[] = ['XACKDEL', key, group];
      if (options?.policy !== undefined) args.push(options.policy);
      return singleKey(pushIds(args, ids));
    },
  }),
  /** XPENDING key group → `{ count, minId, maxId, consumers: { name, pending }[] }`. */
  xpending: defineCommand<[key: CommandArg, group: CommandArg], StreamPendingSummary>({
    build: (key, group) => readKey(['XPENDING', key, group]),
    transform: toPendingSummary,
  }),
  /**
   * XPENDING key group [IDLE ms] start end count [consumer] → `{ id, consumer, idle, deliveries }[]`
   * (the extended form).
   */
  xpendingRange: defineCommand<
    [
      key: CommandArg,
      group: CommandArg,
      start: CommandArg,
      end: CommandArg,
      count: number,
      options?: XPendingRangeOptions,
    ],
    StreamPendingEntry[]
  >({
    build: (key, group, start, end, count, options) => {
      const args: CommandArg[] = ['XPENDING', key, group];
      if (options?.IDLE !== undefined) args.push('IDLE', options.IDLE);
      args.push(start, end, count);
      if (options?.consumer !== undefined) args.push(options.consumer);
      return readKey(args);
    },
    transform: toPendingEntries,
  }),
  /** XCLAIM key group consumer min-idle-time id … [options] → the claimed entries. */
  xclaim: defineCommand<ClaimArgs, StreamEntry[]>({
    build: (key, group, consumer, minIdleTime, ids, options) =>
      singleKey(claimArgs(key, group, consumer, minIdleTime, ids, options)),
    transform: toEntries,
  }),
  /** XCLAIM … JUSTID → the claimed ids (the delivery counter is not incremented). */
  xclaimJustId: defineCommand<ClaimArgs, string[]>({
    build: (key, group, consumer, minIdleTime, ids, options) =>
      singleKey([...claimArgs(key, group, consumer, minIdleTime, ids, options), 'JUSTID']),
  }),
  /** XAUTOCLAIM key group consumer min-idle-time start [COUNT n] → `{ nextId, entries, deletedIds }`. */
  xautoclaim: defineCommand<AutoClaimArgs, StreamAutoClaim>({
    build: (key, group, consumer, minIdleTime, start, options) =>
      singleKey(autoClaimArgs(key, group, consumer, minIdleTime, start, options?.COUNT)),
    transform: toAutoClaim,
  }),
  /** XAUTOCLAIM … JUSTID → `{ nextId, entries: ids, deletedIds }`. */
  xautoclaimJustId: defineCommand<AutoClaimArgs, StreamAutoClaim<string>>({
    build: (key, group, consumer, minIdleTime, start, options) =>
      singleKey([...autoClaimArgs(key, group, consumer, minIdleTime, start, options?.COUNT), 'JUSTID']),
    transform: toAutoClaimJustId,
  }),
  /** XINFO GROUPS key → `{ name, consumers, pending, lastDeliveredId, entriesRead, lag }[]`. */
  xinfoGroups: defineCommand<[key: CommandArg], StreamGroupInfo[]>({
    build: (key) => ({
      args: ['XINFO', 'GROUPS', key],
      keyIndexes: KEY_AT_2,
      readOnly: true,
      idempotent: true,
    }),
    transform: (reply) => toRecords<StreamGroupInfo>(reply),
  }),
  /** XINFO CONSUMERS key group → `{ name, pending, idle, inactive }[]`. */
  xinfoConsumers: defineCommand<[key: CommandArg, group: CommandArg], StreamConsumerInfo[]>({
    build: (key, group) => ({
      args: ['XINFO', 'CONSUMERS', key, group],
      keyIndexes: KEY_AT_2,
      readOnly: true,
      idempotent: true,
    }),
    transform: (reply) => toRecords<StreamConsumerInfo>(reply),
  }),
};
