import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import {
  type ArgList,
  argListLength,
  type FieldValues,
  isFieldValues,
  KEY_AT_1,
  pushFieldValues,
  pushScanOptions,
  readKey,
  type ScanOptions,
  singleKey,
  withArgList,
} from './arguments.js';
import { hashExpirationCommands } from './hash-expiration.js';
import { type FieldValue, toBoolean, toCursor, toFieldValues, toRecord } from './replies.js';

/**
 * `HSET`/`HMSET` arguments: one container of pairs, or flat `field, value, field, value …` (an odd
 * count throws `InvalidArgumentError`). One tuple rather than a union of two, so the command table
 * stays assignable to `CommandTable`.
 */
export type HashSetArgs = [key: CommandArg, fields: FieldValues | CommandArg, ...more: CommandArg[]];

/** One `HSCAN` step: the next cursor (`'0'` when done) and the field/value pairs it found. */
export interface HashScanReply {
  readonly cursor: string;
  readonly entries: FieldValue[];
}

/** One `HSCAN … NOVALUES` step: the next cursor and the fields it found. */
export interface HashScanFieldsReply {
  readonly cursor: string;
  readonly fields: string[];
}

function buildHset(name: 'HSET' | 'HMSET', args: HashSetArgs): Command {
  const out: CommandArg[] = [name, args[0]];
  if (args.length === 2 && isFieldValues(args[1])) pushFieldValues(out, args[1] as FieldValues, name);
  else pushFieldValues(out, args.slice(1) as CommandArg[], name);
  return { args: out, keyIndexes: KEY_AT_1 };
}

/** `NAME key field [field …]`. */
function keyAndList(name: string, key: CommandArg, items: ArgList, read: boolean): Command {
  const args = withArgList([name, key], items, argListLength(items));
  return read ? readKey(args) : singleKey(args);
}

function hscanArgs(key: CommandArg, cursor: CommandArg, options: ScanOptions | undefined): CommandArg[] {
  const args: CommandArg[] = ['HSCAN', key, cursor];
  pushScanOptions(args, options);
  return args;
}

/** Hashes: https://redis.io/docs/latest/commands/?group=hash */
export const hashCommands = {
  /** HSET key {f: v} | Map | [[f, v]] | f, v, … → how many fields were added (not updated). */
  hset: defineCommand<HashSetArgs, number>({ build: (...args) => buildHset('HSET', args) }),
  /** HMSET: HSET replying 'OK' (deprecated). */
  hmset: defineCommand<HashSetArgs, 'OK'>({ build: (...args) => buildHset('HMSET', args) }),
  /** HSETNX key field value → true when set (false: the field exists). */
  hsetnx: defineCommand<[key: CommandArg, field: CommandArg, value: CommandArg], boolean>({
    build: (key, field, value) => singleKey(['HSETNX', key, field, value]),
    transform: toBoolean,
  }),
  /** HGET key field → the value, or null. */
  hget: defineCommand<[key: CommandArg, field: CommandArg], string | null>({
    build: (key, field) => readKey(['HGET', key, field]),
  }),
  /** HMGET key field [field …] → the values in order, null for each missing one. */
  hmget: defineCommand<[key: CommandArg, ...fields: ArgList], (string | null)[]>({
    build: (key, ...fields) => keyAndList('HMGET', key, fields, true),
  }),
  /**
   * HGETALL key → a null-prototype object of fields (a field named `__proto__` is data); `{}` when
   * the key is missing. Buffer mode: string keys, Buffer values.
   */
  hgetall: defineCommand<[key: CommandArg], Record<string, string>>({
    build: (key) => readKey(['HGETALL', key]),
    transform: toRecord,
  }),
  /** HDEL key field [field …] → how many were removed. */
  hdel: defineCommand<[key: CommandArg, ...fields: ArgList], number>({
    build: (key, ...fields) => keyAndList('HDEL', key, fields, false),
  }),
  /** HEXISTS key field → whether the field exists. */
  hexists: defineCommand<[key: CommandArg, field: CommandArg], boolean>({
    build: (key, field) => readKey(['HEXISTS', key, field]),
    transform: toBoolean,
  }),
  /** HINCRBY key field increment → the new value. */
  hincrby: defineCommand<[key: CommandArg, field: CommandArg, increment: number | bigint], number>({
    build: (key, field, increment) => singleKey(['HINCRBY', key, field, increment]),
  }),
  /** HINCRBYFLOAT key field increment → the new value as text (Redis keeps long doubles). */
  hincrbyfloat: defineCommand<[key: CommandArg, field: CommandArg, increment: number | string], string>({
    build: (key, field, increment) => singleKey(['HINCRBYFLOAT', key, field, increment]),
  }),
  /** HKEYS key → the fields. */
  hkeys: defineCommand<[key: CommandArg], string[]>({ build: (key) => readKey(['HKEYS', key]) }),
  /** HVALS key → the values. */
  hvals: defineCommand<[key: CommandArg], string[]>({ build: (key) => readKey(['HVALS', key]) }),
  /** HLEN key → how many fields. */
  hlen: defineCommand<[key: CommandArg], number>({ build: (key) => readKey(['HLEN', key]) }),
  /** HSTRLEN key field → the value's length in bytes (0 when missing). */
  hstrlen: defineCommand<[key: CommandArg, field: CommandArg], number>({
    build: (key, field) => readKey(['HSTRLEN', key, field]),
  }),
  /** HRANDFIELD key → one random field, or null when the key is missing. */
  hrandfield: defineCommand<[key: CommandArg], string | null>({
    build: (key) => ({ args: ['HRANDFIELD', key], keyIndexes: KEY_AT_1, readOnly: true }),
  }),
  /** HRANDFIELD key count → distinct fields (negative count: may repeat, exactly |count|). */
  hrandfieldCount: defineCommand<[key: CommandArg, count: number], string[]>({
    build: (key, count) => ({ args: ['HRANDFIELD', key, count], keyIndexes: KEY_AT_1, readOnly: true }),
  }),
  /** HRANDFIELD key count WITHVALUES → `{ field, value }` pairs (a list: fields may repeat). */
  hrandfieldWithValues: defineCommand<[key: CommandArg, count: number], FieldValue[]>({
    build: (key, count) => ({
      args: ['HRANDFIELD', key, count, 'WITHVALUES'],
      keyIndexes: KEY_AT_1,
      readOnly: true,
    }),
    transform: toFieldValues,
  }),
  /** HSCAN key cursor [MATCH p] [COUNT n] → one step; the client's `hscanIterator` loops it. */
  hscan: defineCommand<[key: CommandArg, cursor: CommandArg, options?: ScanOptions], HashScanReply>({
    build: (key, cursor, options) => readKey(hscanArgs(key, cursor, options)),
    transform: (reply) => {
      const step = reply as [unknown, unknown[]];
      return { cursor: toCursor(step[0]), entries: toFieldValues(step[1]) };
    },
  }),
  /** HSCAN key cursor … NOVALUES → one step of fields only. */
  hscanNoValues: defineCommand<
    [key: CommandArg, cursor: CommandArg, options?: ScanOptions],
    HashScanFieldsReply
  >({
    build: (key, cursor, options) => {
      const args = hscanArgs(key, cursor, options);
      args.push('NOVALUES');
      return readKey(args);
    },
    transform: (reply) => {
      const step = reply as [unknown, string[]];
      return { cursor: toCursor(step[0]), fields: step[1] };
    },
  }),
  ...hashExpirationCommands,
};
