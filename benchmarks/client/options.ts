import { count, list, parseRunnerArgs, type RunnerOptions, runnerOptions } from '../lib/cli-options.js';
import { B7_MS, B7_QUICK_MS, CASE_IDS, type CaseId, caseInfo } from './cases.js';
import { DECODER_PEER_IDS, DEFAULT_PEER_IDS, PEER_IDS, type PeerId } from './peers/bench-client.js';

/** Everything a client-benchmark run can be told, from flags or `BENCH_*` environment variables. */
export interface RunOptions extends RunnerOptions<CaseId> {
  readonly cases: readonly CaseId[];
  readonly peers: readonly PeerId[];
  /** b7's timed window, in ms. @default 10,000 (2,000 with --quick) */
  readonly b7Ms: number;
}

export const USAGE = `Usage: pnpm --filter @fusedis/benchmarks bench:client [--] [options]

  --rounds N        interleaved rounds (default 5, env BENCH_ROUNDS)
  --quick           smoke run: 1 round, 1 warm-up and 1 timed pass per child, b7 for 2 s;
                    writes only results/raw-client-partial.json
  --cases b1,b3     cases to run (default: ${CASE_IDS.join(' ')})
  --peers LIST      peers to run (default: ${DEFAULT_PEER_IDS.join(', ')}; also
                    ${DECODER_PEER_IDS.join(', ')}: fusedis with that decoder)
  --warmup N        untimed passes per child, every case (env BENCH_WARMUP)
  --iterations N    timed passes per child, every case (env BENCH_ITERATIONS)
  --b7-seconds S    b7's timed window (default 10, or 2 with --quick)
  --source          run the fusedis packages from their TS sources instead of building their dist
  --no-build        run the existing dist without rebuilding it
  --no-pin          do not pin the server and the children with taskset
  --profile         no timing: run fusedis (or --peers) once per case under --cpu-prof and print the
                    functions with the most self time (profiles kept in .cache/profiles/)
  --deopts          no timing: run fusedis (or --peers) once per case under --trace-deopt-verbose and
                    print what V8 deoptimized during the timed passes
  --render FILE     rewrite results/client.md and client.svg from a raw JSON, without measuring
  --help            this text`;

/** Parses the command line (after the script name) and the `BENCH_*` environment variables. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): RunOptions {
  const values = parseRunnerArgs(argv, {
    cases: { type: 'string' },
    peers: { type: 'string' },
    'b7-seconds': { type: 'string' },
  });
  const cases = list(values.cases);
  for (const c of cases) if (!CASE_IDS.includes(c as CaseId)) throw new Error(`unknown case ${c}`);
  const peers = list(values.peers);
  for (const p of peers) if (!PEER_IDS.includes(p as PeerId)) throw new Error(`unknown peer ${p}`);
  const shared = runnerOptions(values, env, {
    narrowed: cases.length > 0 || peers.length > 0,
    cases: CASE_IDS,
    passes: (id) => caseInfo(id).iterations,
  });
  const b7Seconds = count('--b7-seconds', values['b7-seconds']);
  if (b7Seconds === 0) throw new Error('--b7-seconds must be at least 1');
  return {
    ...shared,
    full: shared.full && b7Seconds === undefined,
    cases: cases.length > 0 ? CASE_IDS.filter((c) => cases.includes(c)) : CASE_IDS,
    peers:
      peers.length > 0
        ? PEER_IDS.filter((p) => peers.includes(p))
        : shared.profile || shared.deopts
          ? ['fusedis']
          : DEFAULT_PEER_IDS,
    b7Ms: b7Seconds !== undefined ? b7Seconds * 1000 : shared.quick ? B7_QUICK_MS : B7_MS,
  };
}
