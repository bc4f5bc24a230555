import { type Command, type CommandArg, InvalidArgumentError } from '@fusedis/resp';
import { requireTuple } from './argument-shapes.js';

/** `keyIndexes` for the common single-key command (`GET key`): one shared frozen array. */
export const KEY_AT_1: readonly number[] = Object.freeze([1]);

/** `keyIndexes` for two keys right after the name (`RENAME src dst`, `LMOVE src dst …`). */
export const KEYS_AT_1_2: readonly number[] = Object.freeze([1, 2]);

/** Positions `start, start+step, …` for `count` keys (`DEL k1 k2 …`, `MSET k1 v1 k2 v2 …`). */
export function keyPositions(start: number, count: number, step = 1): readonly number[] {
  const positions = new Array<number>(count);
  for (let i = 0; i < count; i++) positions[i] = start + i * step;
  return positions;
}

/** A command whose only key is its first argument: the hot, allocation-light path. */
export function singleKey(args: readonly CommandArg[]): Command {
  return { args, keyIndexes: KEY_AT_1 };
}

/** A read-only command whose only key is its first argument (routers may send it to a replica). */
export function singleKeyRead(args: readonly CommandArg[]): Command {
  return { args, keyIndexes: KEY_AT_1, readOnly: true };
}

/** `keyIndexes` for a command whose key is its second argument (`BITOP AND dest …` has more). */
export const KEY_AT_2: readonly number[] = Object.freeze([2]);

/**
 * A list of arguments as callers give it, ioredis style: each item is one argument or an array of
 * them, so `del('a', 'b')` and `del(['a', 'b'])` build the same command.
 */
export type ArgList = readonly (CommandArg | readonly CommandArg[])[];

/** How many arguments an {@link ArgList} stands for. */
export function argListLength(items: ArgList): number {
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as CommandArg | readonly CommandArg[];
    n += Array.isArray(item) ? item.length : 1;
  }
  return n;
}

/**
 * `head` followed by the flattened `items`, in one pre-sized array (two passes, no spreads): the
 * shape of `MGET k…`, `DEL k…`, `RPUSH key v…`. `count` is `argListLength(items)` when the caller
 * already has it.
 */
export function withArgList(
  head: readonly CommandArg[],
  items: ArgList,
  count: number = argListLength(items),
): CommandArg[] {
  const args = new Array<CommandArg>(head.length + count);
  let at = 0;
  for (; at < head.length; at++) args[at] = head[at] as CommandArg;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as CommandArg | readonly CommandArg[];
    if (Array.isArray(item)) {
      const list = item as readonly CommandArg[];
      for (let j = 0; j < list.length; j++) args[at++] = list[j] as CommandArg;
    } else args[at++] = item as CommandArg;
  }
  return args;
}

/** Frozen `keyPositions(1, count)` arrays for small counts, shared by every `DEL`/`MGET`/`EXISTS`. */
const RUNS_FROM_1: (readonly number[] | undefined)[] = [];
const MAX_CACHED_RUN = 64;

/** `keyPositions(start, count)`, shared and frozen for `start` 1 and small counts (the common case). */
export function keyRun(start: number, count: number): readonly number[] {
  if (start !== 1 || count > MAX_CACHED_RUN) return keyPositions(start, count);
  let run = RUNS_FROM_1[count];
  if (run === undefined) {
    run = Object.freeze(keyPositions(1, count) as number[]);
    RUNS_FROM_1[count] = run;
  }
  return run;
}

/** A condition on the expiry already set (Redis 7): `NX` none yet, `XX` one set, `GT`/`LT` later/earlier. */
export type ExpireCondition = 'NX' | 'XX' | 'GT' | 'LT';

/**
 * When a value expires, as `SET`, `GETEX`, `HGETEX` and `HSETEX` take it: one of these per call
 * (Redis refuses two).
 */
export interface ExpirationOptions {
  /** Time to live in seconds. */
  readonly EX?: number;
  /** Time to live in milliseconds. */
  readonly PX?: number;
  /** Expires at this Unix time, in seconds. */
  readonly EXAT?: number;
  /** Expires at this Unix time, in milliseconds. */
  readonly PXAT?: number;
}

/** Appends the `EX|PX|EXAT|PXAT n` tokens of `options` to `args`. */
export function pushExpiration(args: CommandArg[], options: ExpirationOptions): void {
  if (options.EX !== undefined) args.push('EX', options.EX);
  if (options.PX !== undefined) args.push('PX', options.PX);
  if (options.EXAT !== undefined) args.push('EXAT', options.EXAT);
  if (options.PXAT !== undefined) args.push('PXAT', options.PXAT);
}

/** `LIMIT offset count`, as `ZRANGE`, `SORT` and friends take it. */
export interface LimitOption {
  /** Elements skipped first. */
  readonly offset: number;
  /** Elements returned at most; negative: all the rest. */
  readonly count: number;
}

/** Options of one `SCAN`-family step. */
export interface ScanOptions {
  /** A glob-style pattern the returned names must match (applied after the step reads them). */
  readonly MATCH?: CommandArg;
  /** A hint for how much work one step does. @default 10 (server side) */
  readonly COUNT?: number;
}

/** Appends `MATCH p` and `COUNT n` to `args`. */
export function pushScanOptions(args: CommandArg[], options: ScanOptions | undefined): void {
  if (options === undefined) return;
  if (options.MATCH !== undefined) args.push('MATCH', options.MATCH);
  if (options.COUNT !== undefined) args.push('COUNT', options.COUNT);
}

/** Field/value pairs as callers give them: an object, a `Map`, `[field, value]` tuples, or a flat array. */
export type FieldValues =
  | Readonly<Record<string, CommandArg>>
  | ReadonlyMap<CommandArg, CommandArg>
  | readonly (readonly [CommandArg, CommandArg])[]
  | readonly CommandArg[];

/** True for a byte array argument (an object, but one argument, not a container). */
function isBytes(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value);
}

/** Whether `value` is a {@link FieldValues} container rather than one argument. */
export function isFieldValues(value: unknown): value is FieldValues {
  return typeof value === 'object' && value !== null && !isBytes(value);
}

/**
 * Appends `field value field value …` to `args` and returns how many pairs it added. Object keys are
 * the object's own enumerable keys (`__proto__` set as a computed key is data like any other).
 * @throws InvalidArgumentError for a flat array of odd length.
 */
export function pushFieldValues(args: CommandArg[], pairs: FieldValues, what: string): number {
  if (!isFieldValues(pairs)) {
    // A string here would otherwise be read as an object whose keys are its indices:
    // `xadd(k, '*', 'field')` stored { 0: 'f', 1: 'i', … } without a word.
    throw new InvalidArgumentError(
      `${what}: field/value pairs must be an object, a Map or an array, not ${pairs === null ? 'null' : typeof pairs === 'string' ? 'a string' : isBytes(pairs) ? 'a byte array' : typeof pairs}`,
    );
  }
  if (pairs instanceof Map) {
    for (const [field, value] of pairs as ReadonlyMap<CommandArg, CommandArg>) args.push(field, value);
    return pairs.size;
  }
  if (Array.isArray(pairs)) {
    const list = pairs as readonly (CommandArg | readonly [CommandArg, CommandArg])[];
    if (list.length > 0 && Array.isArray(list[0])) {
      for (let i = 0; i < list.length; i++) {
        const pair = list[i] as readonly [CommandArg, CommandArg];
        requireTuple(`${what}: a [field, value] pair`, pair, 2);
        args.push(pair[0], pair[1]);
      }
      return list.length;
    }
    if (list.length % 2 !== 0) {
      throw new InvalidArgumentError(
        `${what}: a flat list of pairs needs an even length, got ${list.length}`,
      );
    }
    for (let i = 0; i < list.length; i++) args.push(list[i] as CommandArg);
    return list.length / 2;
  }
  const record = pairs as Readonly<Record<string, CommandArg>>;
  const fields = Object.keys(record);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    args.push(field, record[field] as CommandArg);
  }
  return fields.length;
}

/** Appends `FIELDS n f1 f2 …` (the hash-field-expiration commands' field list). */
export function pushFields(args: CommandArg[], fields: CommandArg | readonly CommandArg[]): void {
  if (Array.isArray(fields)) {
    const list = fields as readonly CommandArg[];
    args.push('FIELDS', list.length);
    for (let i = 0; i < list.length; i++) args.push(list[i] as CommandArg);
  } else args.push('FIELDS', 1, fields as CommandArg);
}

/** `[name, numkeys, k1, k2, …]` head plus its key positions (`SINTERCARD`, `ZUNION`, `LMPOP`…). */
export function numkeysArgs(
  head: readonly CommandArg[],
  keys: CommandArg | readonly CommandArg[],
): { args: CommandArg[]; keyIndexes: readonly number[] } {
  const list: readonly CommandArg[] = Array.isArray(keys) ? keys : [keys as CommandArg];
  const args = head.slice();
  const first = args.length + 1;
  args.push(list.length);
  for (let i = 0; i < list.length; i++) args.push(list[i] as CommandArg);
  return { args, keyIndexes: keyPositions(first, list.length) };
}

/**
 * A read of one key, marked idempotent as well as read-only: reading twice changes nothing, so the
 * client may replay it after a reconnect even when it was already written.
 */
export function readKey(args: readonly CommandArg[]): Command {
  return { args, keyIndexes: KEY_AT_1, readOnly: true, idempotent: true };
}

/** A read of several keys (positions given): read-only and idempotent, like {@link readKey}. */
export function readKeys(args: readonly CommandArg[], keyIndexes: readonly number[]): Command {
  return { args, keyIndexes, readOnly: true, idempotent: true };
}

/** Added to a blocking command's own wait for its reply deadline: the server answers nil by then. */
export const BLOCKING_MARGIN_MS = 1000;

/**
 * A command that blocks the connection for up to `seconds` (Redis's unit; 0 waits forever): marked
 * `blocking` so the client runs it on a pooled connection, with a per-command `timeout` of the
 * wait plus {@link BLOCKING_MARGIN_MS} (none for a wait forever), so the connection's command
 * timeout does not cut a wait the caller asked for.
 */
export function blockingCommand(
  args: readonly CommandArg[],
  keyIndexes: readonly number[],
  seconds: number,
): Command {
  const timeout = seconds > 0 ? Math.ceil(seconds * 1000) + BLOCKING_MARGIN_MS : 0;
  return { args, keyIndexes, blocking: true, timeout };
}

/** One key or an array of keys, for commands that take a key list before other arguments. */
export type Keys = CommandArg | readonly CommandArg[];
