/**
 * The seven cases of issue 3 (b1–b7), b8 (transactions, no target), and the data they read. Every name and value is built here, so the
 * runner's seeding, the children and the checks agree on one definition.
 */
import type { Iterations } from '../lib/cli-options.js';

export type CaseId = 'b1' | 'b2' | 'b3' | 'b4' | 'b5' | 'b6' | 'b7' | 'b8';

export interface CaseInfo {
  readonly id: CaseId;
  readonly title: string;
  /** Commands per timed pass (b7: per user per loop, the pass is time-bound). */
  readonly ops: number;
  /** `ms`: a sample is the time of one pass. `ops/s`: a sample is a rate (b7 runs for a fixed time). */
  readonly unit: 'ms' | 'ops/s';
  /** How one child process runs the case: untimed warm-up passes, then timed ones. */
  readonly iterations: Iterations;
}

/** Read-only string keys: `bench:s:00000` … `bench:s:09999`, read by b3, b6 and b7. */
export const STRING_KEYS = 10_000;
export const LIST_KEY = 'bench:list';
export const LIST_ITEMS = 1_000_000;
export const HASH_KEY = 'bench:hash';
export const HASH_FIELDS = 100_000;
export const B1_OPS = 20_000;
export const B2_SETS = 100_000;
export const B3_GETS = 100_000;
export const B7_USERS = 50;
/** b8: transactions at once, over this many counter keys. */
export const B8_TRANSACTIONS = 10_000;
export const B8_KEYS = 100;
/** b7's timed window in ms; `--quick` makes it 2 s. */
export const B7_MS = 10_000;
export const B7_QUICK_MS = 2_000;

export const CASES: readonly CaseInfo[] = [
  {
    id: 'b1',
    title: 'sequential awaited SET+GET, 20,000 commands',
    ops: B1_OPS,
    unit: 'ms',
    iterations: { warmup: 1, measured: 2 },
  },
  {
    id: 'b2',
    title: 'explicit pipeline of 100,000 SETs',
    ops: B2_SETS,
    unit: 'ms',
    iterations: { warmup: 2, measured: 3 },
  },
  {
    id: 'b3',
    title: '100,000 concurrent GETs (Promise.all)',
    ops: B3_GETS,
    unit: 'ms',
    iterations: { warmup: 2, measured: 3 },
  },
  {
    id: 'b4',
    title: 'LRANGE of 1,000,000 ten-byte items',
    ops: 1,
    unit: 'ms',
    // 2 warm-ups (1 until 2026-11-28): the first timed pass after one still measured V8
    // re-optimizing the code that finishes a reply (README, "Method"), as in the codec benchmark.
    iterations: { warmup: 2, measured: 2 },
  },
  {
    id: 'b5',
    title: 'HGETALL of 100,000 fields',
    ops: 1,
    unit: 'ms',
    iterations: { warmup: 2, measured: 3 },
  },
  {
    id: 'b6',
    title: 'MGET of 10,000 keys',
    ops: 1,
    unit: 'ms',
    iterations: { warmup: 3, measured: 5 },
  },
  {
    id: 'b7',
    title: '50 concurrent users looping SET+GET',
    ops: 2,
    unit: 'ops/s',
    iterations: { warmup: 1, measured: 1 },
  },
  {
    // Not one of issue 3's cases (no target): a rate limiter's MULTI/INCR/EXPIRE/EXEC, many at
    // once, which is where sending transactions on pooled connections cost fusedis (README).
    id: 'b8',
    title: '10,000 concurrent MULTI INCR EXPIRE EXEC transactions',
    ops: B8_TRANSACTIONS,
    unit: 'ms',
    iterations: { warmup: 2, measured: 3 },
  },
];

export const CASE_IDS: readonly CaseId[] = CASES.map((c) => c.id);

export function caseInfo(id: CaseId): CaseInfo {
  const c = CASES.find((x) => x.id === id);
  if (c === undefined) throw new Error(`unknown case ${id}`);
  return c;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `bench:s:00042`: the 10,000 read-only string keys. */
export const stringKey = (i: number): string => `bench:s:${pad(i, 5)}`;
/** `value-000042-abcdefg`: 20 bytes, the value of `stringKey(i)`, of every SET and of hash fields. */
export const stringValue = (i: number): string => `value-${pad(i, 6)}-abcdefg`;
/** `v000000042`: the ten-byte items of the b4 list. */
export const listItem = (i: number): string => `v${pad(i, 9)}`;
/** `field:000042`: the b5 hash's fields (12 bytes); the value is `stringValue(i)`. */
export const hashField = (i: number): string => `field:${pad(i, 6)}`;
/** b1 writes and reads back 1,000 keys in turn. */
export const b1Key = (i: number): string => `bench:w:${pad(i % 1000, 4)}`;
/** b2's pipeline writes 100,000 distinct keys. */
export const b2Key = (i: number): string => `bench:p:${pad(i, 6)}`;
/** b7: each user writes its own key and reads it back. */
export const b7Key = (user: number): string => `bench:u:${pad(user, 2)}`;

/** b8: the counter keys the transactions increment (`bench:rl:00` … `bench:rl:99`). */
export const b8Key = (i: number): string => `bench:rl:${pad(i % B8_KEYS, 2)}`;
/** b8: each counter's expiry, in seconds. */
export const B8_TTL = 60;

/** Items per RPUSH / fields per HSET while seeding: 1,000 commands of ~12 KB each. */
const SEED_BATCH = 1000;

/** FLUSHALL, then the read-only data of b3–b7: the strings, the list and the hash, in batches. */
export function seedCommands(): string[][] {
  const commands: string[][] = [['flushall']];
  for (let i = 0; i < STRING_KEYS; i++) commands.push(['set', stringKey(i), stringValue(i)]);
  for (let from = 0; from < LIST_ITEMS; from += SEED_BATCH) {
    const items: string[] = [];
    for (let i = from; i < Math.min(LIST_ITEMS, from + SEED_BATCH); i++) items.push(listItem(i));
    commands.push(['rpush', LIST_KEY, ...items]);
  }
  for (let from = 0; from < HASH_FIELDS; from += SEED_BATCH) {
    const pairs: string[] = [];
    for (let i = from; i < Math.min(HASH_FIELDS, from + SEED_BATCH); i++)
      pairs.push(hashField(i), stringValue(i));
    commands.push(['hset', HASH_KEY, ...pairs]);
  }
  return commands;
}
