import { type Command, type CommandArg, InvalidArgumentError } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { notOneOf, requireFields, requireTuple } from './argument-shapes.js';
import { type ArgList, argListLength, keyPositions, readKey, singleKey, withArgList } from './arguments.js';

/** Whether `start`/`end` count bytes or bits. @default 'BYTE' */
export type BitUnit = 'BYTE' | 'BIT';

/** A range for `BITCOUNT`/`BITPOS` (inclusive; negative from the end). */
export interface BitRange {
  readonly start: number;
  /** `BITCOUNT` needs it with `start`; `BITPOS` may leave it out (to the end). */
  readonly end?: number;
  /** Only with `end` (Redis's grammar); without one `InvalidArgumentError` is thrown. @default 'BYTE' */
  readonly unit?: BitUnit;
}

/**
 * A `BITOP` operation. `DIFF`, `DIFF1`, `ANDOR` and `ONE` are Redis 8.2: X∧¬(Y∨Z…), ¬X∧(Y∨Z…),
 * X∧(Y∨Z…), and the bits set in exactly one source.
 */
export type BitOperation = 'AND' | 'OR' | 'XOR' | 'NOT' | 'DIFF' | 'DIFF1' | 'ANDOR' | 'ONE';

/** A signed (`i8`…`i64`) or unsigned (`u1`…`u63`) integer type for `BITFIELD`. */
export type BitFieldEncoding = `${'i' | 'u'}${number}`;

/** A `BITFIELD` offset: a bit number, or `'#n'` for the n-th field of the encoding's width. */
export type BitFieldOffset = number | `#${number}`;

/** One `BITFIELD` sub-command, in order. `OVERFLOW` applies to the `INCRBY`/`SET`s after it. */
export type BitFieldOperation =
  | { readonly GET: readonly [encoding: BitFieldEncoding, offset: BitFieldOffset] }
  | { readonly SET: readonly [encoding: BitFieldEncoding, offset: BitFieldOffset, value: number | bigint] }
  | {
      readonly INCRBY: readonly [
        encoding: BitFieldEncoding,
        offset: BitFieldOffset,
        increment: number | bigint,
      ];
    }
  | { readonly OVERFLOW: 'WRAP' | 'SAT' | 'FAIL' };

/** A read-only `BITFIELD_RO` sub-command. */
export type BitFieldGet = { readonly GET: readonly [encoding: BitFieldEncoding, offset: BitFieldOffset] };

function pushRange(name: string, args: CommandArg[], range: BitRange | undefined): void {
  if (range === undefined) return;
  requireFields(`${name}: a range`, range, ['start']);
  args.push(range.start);
  if (range.end !== undefined) {
    args.push(range.end);
    if (range.unit !== undefined) args.push(range.unit);
  } else if (range.unit !== undefined) {
    // Redis takes the unit only after an end: without one it would be dropped, and `start` read as bytes.
    throw new InvalidArgumentError(`${name}: a range unit needs an end`);
  }
}

function notAnOperation(name: string, op: unknown): InvalidArgumentError {
  return notOneOf(`${name}: an operation`, ['{ GET }', '{ SET }', '{ INCRBY }', '{ OVERFLOW }'], op);
}

function bitfieldArgs(name: string, key: CommandArg, operations: readonly BitFieldOperation[]): CommandArg[] {
  const args: CommandArg[] = [name, key];
  for (const op of operations) {
    if (typeof op !== 'object' || op === null) throw notAnOperation(name, op);
    if ('GET' in op) {
      requireTuple(`${name}: GET's [encoding, offset]`, op.GET, 2);
      args.push('GET', op.GET[0], op.GET[1]);
    } else if ('SET' in op) {
      requireTuple(`${name}: SET's [encoding, offset, value]`, op.SET, 3);
      args.push('SET', op.SET[0], op.SET[1], op.SET[2]);
    } else if ('INCRBY' in op) {
      requireTuple(`${name}: INCRBY's [encoding, offset, increment]`, op.INCRBY, 3);
      args.push('INCRBY', op.INCRBY[0], op.INCRBY[1], op.INCRBY[2]);
    } else if (op.OVERFLOW !== undefined) args.push('OVERFLOW', op.OVERFLOW);
    else throw notAnOperation(name, op);
  }
  return args;
}

function bitop(operation: BitOperation, destination: CommandArg, keys: ArgList): Command {
  const count = argListLength(keys);
  return {
    args: withArgList(['BITOP', operation, destination], keys, count),
    keyIndexes: keyPositions(2, count + 1),
  };
}

/** Bitmaps: https://redis.io/docs/latest/commands/?group=bitmap */
export const bitmapCommands = {
  /** SETBIT key offset 0|1 → the bit's previous value (0 or 1). */
  setbit: defineCommand<[key: CommandArg, offset: number, value: 0 | 1], 0 | 1>({
    build: (key, offset, value) => singleKey(['SETBIT', key, offset, value]),
  }),
  /** GETBIT key offset → the bit (0 past the end or for a missing key). */
  getbit: defineCommand<[key: CommandArg, offset: number], 0 | 1>({
    build: (key, offset) => readKey(['GETBIT', key, offset]),
  }),
  /** BITCOUNT key [start end [BYTE|BIT]] → how many bits are set. */
  bitcount: defineCommand<[key: CommandArg, range?: BitRange], number>({
    build: (key, range) => {
      const args: CommandArg[] = ['BITCOUNT', key];
      pushRange('BITCOUNT', args, range);
      return readKey(args);
    },
  }),
  /** BITPOS key 0|1 [start [end [BYTE|BIT]]] → the first position holding `bit`, or -1. */
  bitpos: defineCommand<[key: CommandArg, bit: 0 | 1, range?: BitRange], number>({
    build: (key, bit, range) => {
      const args: CommandArg[] = ['BITPOS', key, bit];
      pushRange('BITPOS', args, range);
      return readKey(args);
    },
  }),
  /** BITOP operation destination key [key …] → the destination's length in bytes. */
  bitop: defineCommand<[operation: BitOperation, destination: CommandArg, ...keys: ArgList], number>({
    build: (operation, destination, ...keys) => bitop(operation, destination, keys),
  }),
  /** BITFIELD key op… → one result per GET/SET/INCRBY (null where `OVERFLOW FAIL` stopped it). */
  bitfield: defineCommand<[key: CommandArg, operations: readonly BitFieldOperation[]], (number | null)[]>({
    build: (key, operations) => singleKey(bitfieldArgs('BITFIELD', key, operations)),
  }),
  /** BITFIELD_RO key GET … → one value per GET. */
  bitfieldRo: defineCommand<[key: CommandArg, operations: readonly BitFieldGet[]], number[]>({
    build: (key, operations) => readKey(bitfieldArgs('BITFIELD_RO', key, operations)),
  }),
};
