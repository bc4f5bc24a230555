import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { sortKeyIndexes } from '../internal/call-keys.js';
import {
  type ArgList,
  argListLength,
  type ExpireCondition,
  KEY_AT_1,
  KEY_AT_2,
  KEYS_AT_1_2,
  keyRun,
  type LimitOption,
  pushScanOptions,
  readKey,
  readKeys,
  type ScanOptions,
  singleKey,
  withArgList,
} from './arguments.js';
import { toBoolean, toCursor, toStatus } from './replies.js';

/** Options of `COPY`. */
export interface CopyOptions {
  /** Copy into this logical database. */
  readonly DB?: number;
  /** Overwrite `destination` if it exists. */
  readonly REPLACE?: boolean;
}

/** Options of `RESTORE`. */
export interface RestoreOptions {
  /** Overwrite the key if it exists. */
  readonly REPLACE?: boolean;
  /** `ttl` is a Unix time in milliseconds rather than a time to live. */
  readonly ABSTTL?: boolean;
  /** The object's idle time, in seconds (LRU policies). */
  readonly IDLETIME?: number;
  /** The object's access frequency (LFU policies). */
  readonly FREQ?: number;
}

/** Options of `SORT`/`SORT_RO`. */
export interface SortOptions {
  /** Sort by the values of keys made from this pattern (`weight_*`), or `'nosort'`. */
  readonly BY?: CommandArg;
  /** Return only a window of the sorted elements. */
  readonly LIMIT?: LimitOption;
  /** Return the values of keys made from these patterns (`'#'`: the element itself) instead. */
  readonly GET?: CommandArg | readonly CommandArg[];
  /** Descending order. @default false (ascending) */
  readonly DESC?: boolean;
  /** Compare as strings rather than numbers. */
  readonly ALPHA?: boolean;
}

/** Options of one `SCAN` step. */
export interface KeyScanOptions extends ScanOptions {
  /** Only keys holding this type (`'string'`, `'hash'`, …). */
  readonly TYPE?: string;
}

/** One `SCAN` step: the next cursor (`'0'` when done) and the keys it found. */
export interface ScanReply {
  readonly cursor: string;
  readonly keys: string[];
}

/** Options of `MIGRATE`. */
export interface MigrateOptions {
  /** Keep the key on this server. */
  readonly COPY?: boolean;
  /** Overwrite the key on the target. */
  readonly REPLACE?: boolean;
  /** The target's password (`AUTH`); never logged. */
  readonly AUTH?: string;
  /** The target's user and password (`AUTH2`); never logged. */
  readonly AUTH2?: { readonly username: string; readonly password: string };
}

/** `NAME key [key …]` with every argument after the name a key. */
function keysCommand(name: string, keys: ArgList, read: boolean): Command {
  const count = argListLength(keys);
  const args = withArgList([name], keys, count);
  return read ? readKeys(args, keyRun(1, count)) : { args, keyIndexes: keyRun(1, count) };
}

/** `EXPIRE`-family builder: `NAME key n [NX|XX|GT|LT]`. */
function expireCommand(name: string, key: CommandArg, n: number, condition?: ExpireCondition): Command {
  return singleKey(condition === undefined ? [name, key, n] : [name, key, n, condition]);
}

function sortArgs(name: string, key: CommandArg, options: SortOptions | undefined): CommandArg[] {
  const args: CommandArg[] = [name, key];
  if (options === undefined) return args;
  if (options.BY !== undefined) args.push('BY', options.BY);
  if (options.LIMIT !== undefined) args.push('LIMIT', options.LIMIT.offset, options.LIMIT.count);
  if (options.GET !== undefined) {
    const patterns: readonly CommandArg[] = Array.isArray(options.GET)
      ? options.GET
      : [options.GET as CommandArg];
    for (const pattern of patterns) args.push('GET', pattern);
  }
  if (options.DESC) args.push('DESC');
  if (options.ALPHA) args.push('ALPHA');
  return args;
}

/** A SORT whose BY / GET patterns count as keys (prefixed, routed), as in `call()`. */
function sortCommand(args: readonly CommandArg[], readOnly: boolean): Command {
  const keyIndexes = sortKeyIndexes(args);
  return readOnly ? readKeys(args, keyIndexes) : { args, keyIndexes };
}

function toScan(reply: unknown): ScanReply {
  const step = reply as [unknown, string[]];
  return { cursor: toCursor(step[0]), keys: step[1] };
}

/** Keys: https://redis.io/docs/latest/commands/?group=generic (WAIT/WAITAOF are in the server group). */
export const keyCommands = {
  /** DEL key [key …] → how many were deleted. */
  del: defineCommand<ArgList, number>({ build: (...keys) => keysCommand('DEL', keys, false) }),
  /** UNLINK key [key …] → how many were removed (memory is freed in the background). */
  unlink: defineCommand<ArgList, number>({ build: (...keys) => keysCommand('UNLINK', keys, false) }),
  /** EXISTS key [key …] → how many exist (a key named twice counts twice). */
  exists: defineCommand<ArgList, number>({ build: (...keys) => keysCommand('EXISTS', keys, true) }),
  /** TOUCH key [key …] → how many exist (their last access time is updated). */
  touch: defineCommand<ArgList, number>({ build: (...keys) => keysCommand('TOUCH', keys, true) }),
  /** EXPIRE key seconds [NX|XX|GT|LT] → true when the timeout was set. */
  expire: defineCommand<[key: CommandArg, seconds: number, condition?: ExpireCondition], boolean>({
    build: (key, seconds, condition) => expireCommand('EXPIRE', key, seconds, condition),
    transform: toBoolean,
  }),
  /** PEXPIRE key milliseconds [NX|XX|GT|LT] → true when the timeout was set. */
  pexpire: defineCommand<[key: CommandArg, milliseconds: number, condition?: ExpireCondition], boolean>({
    build: (key, ms, condition) => expireCommand('PEXPIRE', key, ms, condition),
    transform: toBoolean,
  }),
  /** EXPIREAT key unixSeconds [NX|XX|GT|LT] → true when the timeout was set. */
  expireat: defineCommand<[key: CommandArg, unixSeconds: number, condition?: ExpireCondition], boolean>({
    build: (key, at, condition) => expireCommand('EXPIREAT', key, at, condition),
    transform: toBoolean,
  }),
  /** PEXPIREAT key unixMilliseconds [NX|XX|GT|LT] → true when the timeout was set. */
  pexpireat: defineCommand<[key: CommandArg, unixMilliseconds: number, condition?: ExpireCondition], boolean>(
    {
      build: (key, at, condition) => expireCommand('PEXPIREAT', key, at, condition),
      transform: toBoolean,
    },
  ),
  /** TTL key → seconds left; -1 no expiry; -2 no such key. */
  ttl: defineCommand<[key: CommandArg], number>({ build: (key) => readKey(['TTL', key]) }),
  /** PTTL key → milliseconds left; -1 no expiry; -2 no such key. */
  pttl: defineCommand<[key: CommandArg], number>({ build: (key) => readKey(['PTTL', key]) }),
  /** EXPIRETIME key → the Unix time (seconds) it expires at; -1 no expiry; -2 no such key. */
  expiretime: defineCommand<[key: CommandArg], number>({ build: (key) => readKey(['EXPIRETIME', key]) }),
  /** PEXPIRETIME key → the Unix time (ms) it expires at; -1 no expiry; -2 no such key. */
  pexpiretime: defineCommand<[key: CommandArg], number>({ build: (key) => readKey(['PEXPIRETIME', key]) }),
  /** PERSIST key → true when a timeout was removed. */
  persist: defineCommand<[key: CommandArg], boolean>({
    build: (key) => singleKey(['PERSIST', key]),
    transform: toBoolean,
  }),
  /** TYPE key → `'string'`, `'list'`, `'set'`, `'zset'`, `'hash'`, `'stream'`, … or `'none'`. */
  type: defineCommand<[key: CommandArg], string>({
    build: (key) => readKey(['TYPE', key]),
    transform: toStatus,
  }),
  /** RENAME key newkey → 'OK' (a missing key is an error). */
  rename: defineCommand<[key: CommandArg, newKey: CommandArg], 'OK'>({
    build: (key, newKey) => ({ args: ['RENAME', key, newKey], keyIndexes: KEYS_AT_1_2 }),
  }),
  /** RENAMENX key newkey → true when renamed (false: newkey exists). */
  renamenx: defineCommand<[key: CommandArg, newKey: CommandArg], boolean>({
    build: (key, newKey) => ({ args: ['RENAMENX', key, newKey], keyIndexes: KEYS_AT_1_2 }),
    transform: toBoolean,
  }),
  /** COPY source destination [DB n] [REPLACE] → true when copied. */
  copy: defineCommand<[source: CommandArg, destination: CommandArg, options?: CopyOptions], boolean>({
    build: (source, destination, options) => {
      const args: CommandArg[] = ['COPY', source, destination];
      if (options?.DB !== undefined) args.push('DB', options.DB);
      if (options?.REPLACE) args.push('REPLACE');
      return { args, keyIndexes: KEYS_AT_1_2 };
    },
    transform: toBoolean,
  }),
  /** MOVE key db → true when moved to the other database. */
  move: defineCommand<[key: CommandArg, db: number], boolean>({
    build: (key, db) => singleKey(['MOVE', key, db]),
    transform: toBoolean,
  }),
  /** KEYS pattern → every matching key (blocks the server on big databases: prefer scanning). */
  keys: defineCommand<[pattern: CommandArg], string[]>({
    build: (pattern) => ({ args: ['KEYS', pattern], readOnly: true, idempotent: true }),
  }),
  /** SCAN cursor [MATCH p] [COUNT n] [TYPE t] → one step; the client's `scanIterator` loops it. */
  scan: defineCommand<[cursor: CommandArg, options?: KeyScanOptions], ScanReply>({
    build: (cursor, options) => {
      const args: CommandArg[] = ['SCAN', cursor];
      pushScanOptions(args, options);
      if (options?.TYPE !== undefined) args.push('TYPE', options.TYPE);
      return { args, readOnly: true, idempotent: true };
    },
    transform: toScan,
  }),
  /** RANDOMKEY → a random key, or null in an empty database. */
  randomkey: defineCommand<[], string | null>({
    build: () => ({ args: ['RANDOMKEY'], readOnly: true, idempotent: true }),
  }),
  /** OBJECT ENCODING key → `'listpack'`, `'hashtable'`, `'int'`, `'embstr'`, … or null when missing. */
  objectEncoding: defineCommand<[key: CommandArg], string | null>({
    build: (key) => ({ args: ['OBJECT', 'ENCODING', key], keyIndexes: KEY_AT_2, readOnly: true }),
    transform: (reply) => (reply === null ? null : toStatus(reply)),
  }),
  /** OBJECT FREQ key → the LFU access frequency (an LFU maxmemory-policy is needed), or null. */
  objectFreq: defineCommand<[key: CommandArg], number | null>({
    build: (key) => ({ args: ['OBJECT', 'FREQ', key], keyIndexes: KEY_AT_2, readOnly: true }),
  }),
  /** OBJECT IDLETIME key → seconds since last access, or null when missing. */
  objectIdletime: defineCommand<[key: CommandArg], number | null>({
    build: (key) => ({ args: ['OBJECT', 'IDLETIME', key], keyIndexes: KEY_AT_2, readOnly: true }),
  }),
  /** OBJECT REFCOUNT key → the value's reference count, or null when missing. */
  objectRefcount: defineCommand<[key: CommandArg], number | null>({
    build: (key) => ({ args: ['OBJECT', 'REFCOUNT', key], keyIndexes: KEY_AT_2, readOnly: true }),
  }),
  /**
   * DUMP key → the serialized value, always a Buffer (it is binary, whatever the call's string mode),
   * or null when missing.
   */
  dump: defineCommand<[key: CommandArg], Buffer | null>({
    build: (key) => ({
      args: ['DUMP', key],
      keyIndexes: KEY_AT_1,
      readOnly: true,
      idempotent: true,
      stringMode: 'buffer',
    }),
  }),
  /** RESTORE key ttl serialized [REPLACE] [ABSTTL] [IDLETIME s] [FREQ n] → 'OK'. `ttl` in ms, 0 = none. */
  restore: defineCommand<
    [key: CommandArg, ttl: number, serialized: Uint8Array, options?: RestoreOptions],
    'OK'
  >({
    build: (key, ttl, serialized, options) => {
      const args: CommandArg[] = ['RESTORE', key, ttl, serialized];
      if (options !== undefined) {
        if (options.REPLACE) args.push('REPLACE');
        if (options.ABSTTL) args.push('ABSTTL');
        if (options.IDLETIME !== undefined) args.push('IDLETIME', options.IDLETIME);
        if (options.FREQ !== undefined) args.push('FREQ', options.FREQ);
      }
      return singleKey(args);
    },
  }),
  /** SORT key [BY p] [LIMIT o c] [GET p …] [DESC] [ALPHA] → the sorted elements (or GET values). */
  sort: defineCommand<[key: CommandArg, options?: SortOptions], (string | null)[]>({
    build: (key, options) => sortCommand(sortArgs('SORT', key, options), false),
  }),
  /** SORT_RO: SORT that only reads (may run on a replica). */
  sortRo: defineCommand<[key: CommandArg, options?: SortOptions], (string | null)[]>({
    build: (key, options) => sortCommand(sortArgs('SORT_RO', key, options), true),
  }),
  /** SORT key … STORE destination → how many elements were stored. */
  sortStore: defineCommand<[key: CommandArg, destination: CommandArg, options?: SortOptions], number>({
    build: (key, destination, options) => {
      const args = sortArgs('SORT', key, options);
      args.push('STORE', destination);
      return sortCommand(args, false);
    },
  }),
  /**
   * MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS k …] →
   * `'OK'`, or `'NOKEY'` when no key was found. `keys`: one key, or an array (sent with `KEYS`).
   * `timeout` in milliseconds.
   */
  migrate: defineCommand<
    [
      host: string,
      port: number,
      keys: CommandArg | readonly CommandArg[],
      db: number,
      timeout: number,
      options?: MigrateOptions,
    ],
    'OK' | 'NOKEY'
  >({
    build: (host, port, keys, db, timeout, options) => {
      const many = Array.isArray(keys);
      const args: CommandArg[] = ['MIGRATE', host, port, many ? '' : (keys as CommandArg), db, timeout];
      if (options?.COPY) args.push('COPY');
      if (options?.REPLACE) args.push('REPLACE');
      if (options?.AUTH !== undefined) args.push('AUTH', options.AUTH);
      if (options?.AUTH2 !== undefined) args.push('AUTH2', options.AUTH2.username, options.AUTH2.password);
      if (!many) return { args, keyIndexes: [3] };
      const list = keys as readonly CommandArg[];
      args.push('KEYS');
      const first = args.length;
      for (const key of list) args.push(key);
      return { args, keyIndexes: Array.from(list, (_, i) => first + i) };
    },
    transform: (reply) => toStatus(reply) as 'OK' | 'NOKEY',
  }),
};
