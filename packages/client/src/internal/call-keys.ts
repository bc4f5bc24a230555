import type { Command, CommandArg } from '@fusedis/resp';
import { COMMAND_KEY_TABLE } from './call-key-table.js';
import { isWord, type KeySpec, keyIndexesBySpecs } from './key-spec.js';

/** An argument of `call()`: one wire argument, or an array of them (sent in its place, as ioredis does). */
export type CallArgument = CommandArg | readonly CommandArg[];

/** `call(name, ...args)`'s wire arguments: the name, then `args` with arrays flattened one level. */
export function callArguments(name: string, args: readonly CallArgument[]): CommandArg[] {
  const out: CommandArg[] = [name];
  for (const arg of args) {
    if (Array.isArray(arg)) out.push(...(arg as readonly CommandArg[]));
    else out.push(arg as CommandArg);
  }
  return out;
}

/** What the generated table knows of one command's keys. */
export interface CommandKeyEntry {
  /** A container (`OBJECT`, `XINFO`…): the keys are in `name|subcommand`'s entry. */
  readonly subcommands?: true;
  /** The server flags it `readonly`. */
  readonly readOnly?: true;
  /** Specs the server leaves to its own code (`unknown`): SORT's BY, GET and STORE. */
  readonly unknownSpecs?: number;
  readonly specs?: readonly KeySpec[];
}

/**
 * `args` (name first, as `call()` takes them) as a command that knows its keys — for the key
 * prefix and cluster routing — and, when it has keys and the server flags it `readonly`, that it
 * may go to a replica and be replayed. A command the table does not know is sent as given.
 */
export function describeCall(args: readonly CommandArg[]): Command {
  const entry = lookUp(args);
  if (entry === undefined) return { args };
  const keyIndexes =
    entry.unknownSpecs !== undefined && isSort(args[0])
      ? sortKeyIndexes(args)
      : keyIndexesBySpecs(entry.specs ?? [], args);
  if (keyIndexes[0] === MIGRATE_KEY && isWord(args[0], 'MIGRATE') && isEmpty(args[MIGRATE_KEY])) {
    keyIndexes.shift(); // MIGRATE … "" … KEYS k1 k2: the empty key stands for none
  }
  if (keyIndexes.length === 0) return { args };
  return entry.readOnly === true
    ? { args, keyIndexes, readOnly: true, idempotent: true }
    : { args, keyIndexes };
}

const MIGRATE_KEY = 3;

function isEmpty(arg: CommandArg | undefined): boolean {
  return (typeof arg === 'string' || arg instanceof Uint8Array) && arg.length === 0;
}

/** Names as callers spell them (`'GET'`, `'get'`), so the hot path skips `toLowerCase()`. */
const BY_SPELLING = new Map<string, CommandKeyEntry | null>();
const MAX_SPELLINGS = 1024;

function lookUp(args: readonly CommandArg[]): CommandKeyEntry | undefined {
  const entry = entryOf(args[0]);
  if (entry?.subcommands !== true) return entry;
  const name = lowerName(args[0]);
  const sub = lowerName(args[1]);
  return name === undefined || sub === undefined ? undefined : COMMAND_KEY_TABLE.get(`${name}|${sub}`);
}

function entryOf(first: CommandArg | undefined): CommandKeyEntry | undefined {
  if (typeof first !== 'string') {
    const name = lowerName(first);
    return name === undefined ? undefined : COMMAND_KEY_TABLE.get(name);
  }
  let entry = BY_SPELLING.get(first);
  if (entry === undefined) {
    entry = COMMAND_KEY_TABLE.get(first.toLowerCase()) ?? null;
    if (BY_SPELLING.size < MAX_SPELLINGS) BY_SPELLING.set(first, entry);
  }
  return entry ?? undefined;
}

function lowerName(arg: CommandArg | undefined): string | undefined {
  if (typeof arg === 'string') return arg.toLowerCase();
  if (arg instanceof Uint8Array) return Buffer.from(arg).toString('latin1').toLowerCase();
  return undefined;
}

function isSort(name: CommandArg | undefined): boolean {
  return isWord(name, 'SORT') || isWord(name, 'SORT_RO');
}

/**
 * The keys of `SORT key …` / `SORT_RO key …`: the sorted key, then those only the server's code
 * finds: the STORE destination, and the BY / GET patterns that name keys (with a `*`; not `#`, not
 * `BY nosort`) — prefixed as ioredis does, so `BY weight_*` reads the prefixed `weight_` keys.
 */
export function sortKeyIndexes(args: readonly CommandArg[]): number[] {
  const keyIndexes = [1];
  for (let i = 2; i < args.length - 1; i++) {
    const arg = args[i];
    if (isWord(arg, 'LIMIT')) i += 2;
    else if (isWord(arg, 'STORE')) keyIndexes.push(++i);
    else if ((isWord(arg, 'BY') || isWord(arg, 'GET')) && namesKeys(args[i + 1])) keyIndexes.push(++i);
    else if (isWord(arg, 'BY') || isWord(arg, 'GET')) i++;
  }
  return keyIndexes;
}

function namesKeys(pattern: CommandArg | undefined): boolean {
  if (typeof pattern === 'string') return pattern.includes('*');
  return pattern instanceof Uint8Array && pattern.includes(0x2a);
}
