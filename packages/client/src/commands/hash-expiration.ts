import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import {
  type ExpirationOptions,
  type ExpireCondition,
  type FieldValues,
  pushExpiration,
  pushFields,
  pushFieldValues,
  readKey,
  singleKey,
} from './arguments.js';
import { toBoolean } from './replies.js';

/** Fields as the field-expiration commands take them: one field or an array of them. */
export type HashFields = CommandArg | readonly CommandArg[];

/** Options of `HGETEX`: a new expiration for the fields read, or `PERSIST` to remove theirs. */
export interface HGetExOptions extends ExpirationOptions {
  /** Remove the fields' time to live. */
  readonly PERSIST?: boolean;
}

/** Options of `HSETEX`. */
export interface HSetExOptions extends ExpirationOptions {
  /** Set only when none of the fields exists. */
  readonly FNX?: boolean;
  /** Set only when all of the fields exist. */
  readonly FXX?: boolean;
  /** Keep the fields' current time to live. */
  readonly KEEPTTL?: boolean;
}

/** `NAME key n [NX|XX|GT|LT] FIELDS k f…` → one code per field. */
function expireFields(
  name: string,
  key: CommandArg,
  n: number,
  fields: HashFields,
  condition: ExpireCondition | undefined,
): Command {
  const args: CommandArg[] = condition === undefined ? [name, key, n] : [name, key, n, condition];
  pushFields(args, fields);
  return singleKey(args);
}

/** `NAME key FIELDS k f…`, a read. */
function readFields(name: string, key: CommandArg, fields: HashFields): Command {
  const args: CommandArg[] = [name, key];
  pushFields(args, fields);
  return readKey(args);
}

type ExpireArgs = [key: CommandArg, n: number, fields: HashFields, condition?: ExpireCondition];

/**
 * Hash field expiration (Redis 7.4) and the Redis 8 get-and-expire commands. Each `H*EXPIRE*`
 * replies one code per field, in order: `-2` no such field (or key), `0` the condition was not met,
 * `1` set, `2` the field was deleted (a time in the past).
 */
export const hashExpirationCommands = {
  /** HEXPIRE key seconds [NX|XX|GT|LT] FIELDS n field… → one code per field. */
  hexpire: defineCommand<ExpireArgs, number[]>({
    build: (key, seconds, fields, condition) => expireFields('HEXPIRE', key, seconds, fields, condition),
  }),
  /** HPEXPIRE key milliseconds [NX|XX|GT|LT] FIELDS n field… → one code per field. */
  hpexpire: defineCommand<ExpireArgs, number[]>({
    build: (key, ms, fields, condition) => expireFields('HPEXPIRE', key, ms, fields, condition),
  }),
  /** HEXPIREAT key unixSeconds [NX|XX|GT|LT] FIELDS n field… → one code per field. */
  hexpireat: defineCommand<ExpireArgs, number[]>({
    build: (key, at, fields, condition) => expireFields('HEXPIREAT', key, at, fields, condition),
  }),
  /** HPEXPIREAT key unixMilliseconds [NX|XX|GT|LT] FIELDS n field… → one code per field. */
  hpexpireat: defineCommand<ExpireArgs, number[]>({
    build: (key, at, fields, condition) => expireFields('HPEXPIREAT', key, at, fields, condition),
  }),
  /** HTTL key FIELDS n field… → seconds left per field; -1 no expiry; -2 no such field. */
  httl: defineCommand<[key: CommandArg, fields: HashFields], number[]>({
    build: (key, fields) => readFields('HTTL', key, fields),
  }),
  /** HPTTL key FIELDS n field… → milliseconds left per field; -1 no expiry; -2 no such field. */
  hpttl: defineCommand<[key: CommandArg, fields: HashFields], number[]>({
    build: (key, fields) => readFields('HPTTL', key, fields),
  }),
  /** HEXPIRETIME key FIELDS n field… → Unix seconds per field; -1 no expiry; -2 no such field. */
  hexpiretime: defineCommand<[key: CommandArg, fields: HashFields], number[]>({
    build: (key, fields) => readFields('HEXPIRETIME', key, fields),
  }),
  /** HPEXPIRETIME key FIELDS n field… → Unix milliseconds per field; -1 no expiry; -2 no such field. */
  hpexpiretime: defineCommand<[key: CommandArg, fields: HashFields], number[]>({
    build: (key, fields) => readFields('HPEXPIRETIME', key, fields),
  }),
  /** HPERSIST key FIELDS n field… → per field: 1 expiry removed, -1 had none, -2 no such field. */
  hpersist: defineCommand<[key: CommandArg, fields: HashFields], number[]>({
    build: (key, fields) => {
      const args: CommandArg[] = ['HPERSIST', key];
      pushFields(args, fields);
      return singleKey(args);
    },
  }),
  /** HGETDEL key FIELDS n field… (Redis 8) → the values (null when missing); the fields are deleted. */
  hgetdel: defineCommand<[key: CommandArg, fields: HashFields], (string | null)[]>({
    build: (key, fields) => {
      const args: CommandArg[] = ['HGETDEL', key];
      pushFields(args, fields);
      return singleKey(args);
    },
  }),
  /**
   * HGETEX key [EX|PX|EXAT|PXAT n|PERSIST] FIELDS n field… (Redis 8) → the values (null when
   * missing), setting or clearing the fields' expiration.
   */
  hgetex: defineCommand<[key: CommandArg, fields: HashFields, options?: HGetExOptions], (string | null)[]>({
    build: (key, fields, options) => {
      const args: CommandArg[] = ['HGETEX', key];
      if (options !== undefined) {
        pushExpiration(args, options);
        if (options.PERSIST) args.push('PERSIST');
      }
      pushFields(args, fields);
      return singleKey(args);
    },
  }),
  /**
   * HSETEX key [FNX|FXX] [EX|PX|EXAT|PXAT n|KEEPTTL] FIELDS n field value… (Redis 8) → true when all
   * fields were set, false when `FNX`/`FXX` stopped it.
   */
  hsetex: defineCommand<[key: CommandArg, fields: FieldValues, options?: HSetExOptions], boolean>({
    build: (key, fields, options) => {
      const args: CommandArg[] = ['HSETEX', key];
      if (options !== undefined) {
        if (options.FNX) args.push('FNX');
        if (options.FXX) args.push('FXX');
        pushExpiration(args, options);
        if (options.KEEPTTL) args.push('KEEPTTL');
      }
      // The pair count goes before the pairs: write a placeholder, then fill it in.
      args.push('FIELDS', 0);
      const countAt = args.length - 1;
      args[countAt] = pushFieldValues(args, fields, 'HSETEX');
      return singleKey(args);
    },
    transform: toBoolean,
  }),
};
