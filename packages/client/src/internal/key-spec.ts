import type { CommandArg } from '@fusedis/resp';

/**
 * Where a key spec starts looking (Redis's `begin_search`): a fixed argument index, or the
 * argument after a keyword, searched from `startFrom` (negative: from the end, backwards).
 */
export type BeginSearch = number | readonly [keyword: string, startFrom: number];

/**
 * How a key spec finds its keys from where it began (Redis's `find_keys`). `range`: keys up to
 * `lastKey` (relative; negative counts from the end, and with `limit` > 1 only that share of the
 * remaining arguments), every `step`. `keynum`: the argument at `keyNumIndex` says how many keys
 * follow from `firstKey`, every `step`.
 */
export type FindKeys =
  | readonly ['range', lastKey: number, step: number, limit: number]
  | readonly ['keynum', keyNumIndex: number, firstKey: number, step: number];

/** One of a command's key specs, as `COMMAND INFO` describes it (Redis 7 and later). */
export type KeySpec = readonly [begin: BeginSearch, find: FindKeys];

/**
 * The positions in `args` (name first) that `specs` mark as keys, in order and without repeats.
 * Arguments that are missing are not invented: a range that points past the end stops there, a
 * key count larger than the arguments given marks none (as the server, which refuses the call).
 */
export function keyIndexesBySpecs(specs: readonly KeySpec[], args: readonly CommandArg[]): number[] {
  const found: number[] = [];
  for (const [begin, find] of specs) {
    const start = beginSearch(begin, args);
    if (start < 1 || start >= args.length) continue;
    collectKeys(find, start, args, found);
  }
  if (specs.length > 1) found.sort((a, b) => a - b);
  return dropRepeats(found);
}

/** The index where the keys begin, or -1 when the keyword is absent. */
function beginSearch(begin: BeginSearch, args: readonly CommandArg[]): number {
  if (typeof begin === 'number') return begin;
  const [keyword, startFrom] = begin;
  const backwards = startFrom < 0;
  const step = backwards ? -1 : 1;
  for (let i = backwards ? args.length + startFrom : startFrom; i > 0 && i < args.length; i += step) {
    if (isWord(args[i], keyword)) return i + 1;
  }
  return -1;
}

function collectKeys(find: FindKeys, start: number, args: readonly CommandArg[], found: number[]): void {
  let first = start;
  let last: number;
  let step: number;
  if (find[0] === 'range') {
    const [, lastKey, keyStep, limit] = find;
    step = keyStep;
    if (lastKey >= 0) last = start + lastKey;
    else if (limit <= 1) last = args.length + lastKey;
    else last = start + Math.floor((args.length - start) / limit) + lastKey;
  } else {
    const [, keyNumIndex, firstKey, keyStep] = find;
    const count = wholeNumber(args[start + keyNumIndex]);
    if (count <= 0) return;
    step = keyStep;
    first = start + firstKey;
    last = first + (count - 1) * step;
    // More keys announced than given: the server refuses the call, and marks none.
    if (last >= args.length) return;
  }
  if (step < 1) return;
  for (let i = first; i <= last && i < args.length; i += step) found.push(i);
}

/** A non-negative integer argument's value, or -1. */
function wholeNumber(arg: CommandArg | undefined): number {
  if (typeof arg === 'number') return Number.isSafeInteger(arg) && arg >= 0 ? arg : -1;
  if (typeof arg === 'bigint') return arg >= 0n && arg <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(arg) : -1;
  if (arg === undefined) return -1;
  const text = typeof arg === 'string' ? arg : Buffer.from(arg).toString('latin1');
  return /^\d{1,15}$/.test(text) ? Number(text) : -1;
}

/** Whether an argument is `word`, in any letter case (Redis matches keywords that way). */
export function isWord(arg: CommandArg | undefined, word: string): boolean {
  if (typeof arg === 'string') return arg.length === word.length && arg.toUpperCase() === word;
  if (arg instanceof Uint8Array) {
    return arg.length === word.length && Buffer.from(arg).toString('latin1').toUpperCase() === word;
  }
  return false;
}

function dropRepeats(sorted: number[]): number[] {
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[kept++] = sorted[i] as number;
  }
  sorted.length = kept;
  return sorted;
}
