import { parseArgs } from 'node:util';
import { DECODE_CASES, type DecodeCaseId, ENCODE_CASES, type EncodeCaseId, type FeedMode } from './cases.js';
import type { Iterations } from './task.js';

export type CaseId = DecodeCaseId | EncodeCaseId;

/** Everything a run can be told, from flags or `BENCH_*` environment variables. */
export interface RunOptions {
  /** Interleaved rounds; each round runs every peer once per case. @default 5 (1 with --quick) */
  readonly rounds: number;
  readonly cases: readonly CaseId[];
  readonly modes: readonly FeedMode[];
  /** Peer ids to run; empty means the default set (all but `ioredis-str`), `all` means every peer. */
  readonly peers: readonly string[];
  /** Iterations per child process for each case. */
  readonly iterations: Readonly<Record<CaseId, Iterations>>;
  /** Run @fusedis/resp's TS sources (via the `@fusedis/source` condition) instead of its built dist. */
  readonly source: boolean;
  /** Build @fusedis/resp's dist before running (ignored with `source`). @default true */
  readonly build: boolean;
  /** Pin the child processes to CPU 1 with `taskset` when available. @default true */
  readonly pin: boolean;
  readonly quick: boolean;
  /** Only a full default run rewrites the committed results (codec.md, codec.svg). */
  readonly full: boolean;
  readonly help: boolean;
  /** Profile fusedis (or `peers`) once per case instead of measuring; nothing is written to results/. */
  readonly profile: boolean;
  /** Re-render the reports from this raw JSON instead of measuring. */
  readonly render: string | undefined;
}

/**
 * Iterations per child process: heavy cases take 100+ ms per pass, so a few passes each; the light
 * ones (a3, encode) get more. Over 5 rounds every peer gets 5 × `measured` samples per case.
 */
const DEFAULT_ITERATIONS: Record<CaseId, Iterations> = {
  a1: { warmup: 1, measured: 2 },
  a2: { warmup: 2, measured: 3 },
  a3: { warmup: 5, measured: 10 },
  a4: { warmup: 1, measured: 3 },
  a5: { warmup: 1, measured: 2 },
  e1: { warmup: 3, measured: 5 },
  e2: { warmup: 3, measured: 5 },
};

export const USAGE = `Usage: pnpm bench [-- options]   (or: pnpm --filter @fusedis/benchmarks run bench:codec -- options)

  --rounds N        interleaved rounds (default 5, env BENCH_ROUNDS)
  --quick           smoke run: 1 round, 1 warm-up, 1 measured iteration; writes only results/raw-codec-partial.json
  --cases a1,a3,e1  cases to run (default: a1 a2 a3 a4 a5 e1 e2)
  --modes whole     feeding modes for decode cases (default: whole,chunked)
  --peers LIST      peers to run, or 'all' (default: all but ioredis-str): fusedis, redis-parser, ioredis,
                    ioredis-str, node-redis, node-redis-str, frame-scan, native (@fusedis/native-codec)
  --warmup N        warm-up iterations per process, every case (env BENCH_WARMUP)
  --iterations N    measured iterations per process, every case (env BENCH_ITERATIONS)
  --source          run @fusedis/resp from its TS sources instead of building and running its dist
  --no-build        run the existing dist without rebuilding it
  --no-pin          do not pin child processes with taskset
  --profile         no timing: run fusedis (or --peers) once per case under --cpu-prof and print the
                    functions with the most self time (profiles kept in .cache/profiles/)
  --render FILE     rewrite codec.md, codec.svg and the README table from a raw JSON, without measuring
  --help            this text`;

function list(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return n;
}

/** Parses the command line (after the script name) and the `BENCH_*` environment variables. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): RunOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      cases: { type: 'string' },
      modes: { type: 'string' },
      peers: { type: 'string' },
      warmup: { type: 'string' },
      iterations: { type: 'string' },
      source: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      render: { type: 'string' },
      profile: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick === true;
  const allCases: CaseId[] = [...DECODE_CASES.map((c) => c.id), ...ENCODE_CASES.map((c) => c.id)];
  const cases = list(values.cases);
  for (const c of cases) if (!allCases.includes(c as CaseId)) throw new Error(`unknown case ${c}`);
  const modes = list(values.modes);
  for (const m of modes) if (m !== 'whole' && m !== 'chunked') throw new Error(`unknown mode ${m}`);
  const rounds = positive('--rounds', values.rounds ?? env.BENCH_ROUNDS) ?? (quick ? 1 : 5);
  if (rounds < 1) throw new Error('--rounds must be at least 1');
  const warmup = positive('--warmup', values.warmup ?? env.BENCH_WARMUP) ?? (quick ? 1 : undefined);
  const measured =
    positive('--iterations', values.iterations ?? env.BENCH_ITERATIONS) ?? (quick ? 1 : undefined);
  if (measured === 0) throw new Error('--iterations must be at least 1');
  const iterations = Object.fromEntries(
    allCases.map((id) => [
      id,
      {
        warmup: warmup ?? DEFAULT_ITERATIONS[id].warmup,
        measured: measured ?? DEFAULT_ITERATIONS[id].measured,
      },
    ]),
  ) as Record<CaseId, Iterations>;
  const peers = list(values.peers);
  const full =
    !quick &&
    values.profile !== true &&
    cases.length === 0 &&
    modes.length === 0 &&
    peers.length === 0 &&
    rounds >= 5 &&
    warmup === undefined &&
    measured === undefined;
  return {
    rounds,
    cases: cases.length > 0 ? (cases as CaseId[]) : allCases,
    modes: modes.length > 0 ? (modes as FeedMode[]) : ['whole', 'chunked'],
    peers,
    iterations,
    source: values.source === true,
    build: values['no-build'] !== true,
    pin: values['no-pin'] !== true,
    quick,
    full,
    help: values.help === true,
    render: values.render,
    profile: values.profile === true,
  };
}
