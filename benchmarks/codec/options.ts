import {
  type Iterations,
  list,
  parseRunnerArgs,
  type RunnerOptions,
  runnerOptions,
} from '../lib/cli-options.js';
import { DECODE_CASES, type DecodeCaseId, ENCODE_CASES, type EncodeCaseId, type FeedMode } from './cases.js';

export type CaseId = DecodeCaseId | EncodeCaseId;

/** Everything a run can be told, from flags or `BENCH_*` environment variables. */
export interface RunOptions extends RunnerOptions<CaseId> {
  readonly cases: readonly CaseId[];
  readonly modes: readonly FeedMode[];
  /** Peer ids to run; empty means the default set (all but `ioredis-str`), `all` means every peer. */
  readonly peers: readonly string[];
}

/**
 * Iterations per child process: heavy cases take 100+ ms per pass, so a few passes each; the light
 * ones (a2, a3, encode) get more. (a2 had 2 + 3 until 2026-11-27: its measured passes were still
 * inside the JIT's warm-up of every decoder's streaming path, and its per-process samples fell by
 * up to half from the first measured pass to the third. a1 and a5 had 1 + 2, a4 1 + 3, until
 * 2026-11-28, for the same reason: with one reply per pass, the code that ends a reply first runs
 * at the end of the only warm-up pass, V8 deoptimizes what it compiled without it when the second
 * pass starts, and that pass measured the re-optimization: every peer's second pass was slower
 * than its third, by up to 1.5×.) Over 5 rounds every peer gets 5 × `measured` samples per case.
 */
const DEFAULT_ITERATIONS: Record<CaseId, Iterations> = {
  a1: { warmup: 3, measured: 2 },
  a2: { warmup: 5, measured: 10 },
  a3: { warmup: 5, measured: 10 },
  a4: { warmup: 2, measured: 3 },
  a5: { warmup: 3, measured: 2 },
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
  --deopts          no timing: run fusedis (or --peers) once per case under --trace-deopt-verbose and
                    print what V8 deoptimized during the timed passes
  --render FILE     rewrite codec.md, codec.svg and the README table from a raw JSON, without measuring
  --help            this text`;

/** Parses the command line (after the script name) and the `BENCH_*` environment variables. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): RunOptions {
  const values = parseRunnerArgs(argv, {
    cases: { type: 'string' },
    modes: { type: 'string' },
    peers: { type: 'string' },
  });
  const allCases: CaseId[] = [...DECODE_CASES.map((c) => c.id), ...ENCODE_CASES.map((c) => c.id)];
  const cases = list(values.cases);
  for (const c of cases) if (!allCases.includes(c as CaseId)) throw new Error(`unknown case ${c}`);
  const modes = list(values.modes);
  for (const m of modes) if (m !== 'whole' && m !== 'chunked') throw new Error(`unknown mode ${m}`);
  const peers = list(values.peers);
  return {
    ...runnerOptions(values, env, {
      narrowed: cases.length > 0 || modes.length > 0 || peers.length > 0,
      cases: allCases,
      passes: (id) => DEFAULT_ITERATIONS[id],
    }),
    cases: cases.length > 0 ? (cases as CaseId[]) : allCases,
    modes: modes.length > 0 ? (modes as FeedMode[]) : ['whole', 'chunked'],
    peers,
  };
}
