import { parseArgs } from 'node:util';
import { B7_MS, B7_QUICK_MS, CASE_IDS, CASES, type CaseId, type Iterations } from './cases.js';
import { PEER_IDS, type PeerId } from './peers/bench-client.js';

/** Everything a client-benchmark run can be told, from flags or `BENCH_*` environment variables. */
export interface RunOptions {
  /** Interleaved rounds; each runs every peer once per case. @default 5 (1 with --quick) */
  readonly rounds: number;
  readonly cases: readonly CaseId[];
  readonly peers: readonly PeerId[];
  /** Passes per child process, per case. */
  readonly iterations: Readonly<Record<CaseId, Iterations>>;
  /** b7's timed window, in ms. @default 10,000 (2,000 with --quick) */
  readonly b7Ms: number;
  /** Run the fusedis packages from their TS sources instead of their built dist. */
  readonly source: boolean;
  /** Build @fusedis/client and its dependencies before running (ignored with `source`). @default true */
  readonly build: boolean;
  /** Pin the server to CPU 0 and every child to CPU 1 with `taskset`. @default true */
  readonly pin: boolean;
  readonly quick: boolean;
  /** All cases, all peers, 5+ rounds, default passes, not quick: only such a run rewrites client.md/.svg. */
  readonly full: boolean;
  readonly help: boolean;
  /** Re-render client.md and client.svg from a raw JSON instead of measuring. */
  readonly render: string | undefined;
  /** Profile fusedis (or the peers named) once per case instead of measuring. */
  readonly profile: boolean;
}

export const USAGE = `Usage: pnpm --filter @fusedis/benchmarks bench:client [--] [options]

  --rounds N        interleaved rounds (default 5, env BENCH_ROUNDS)
  --quick           smoke run: 1 round, 1 warm-up and 1 timed pass per child, b7 for 2 s;
                    writes only results/raw-client-partial.json
  --cases b1,b3     cases to run (default: ${CASE_IDS.join(' ')})
  --peers LIST      peers to run (default: all): ${PEER_IDS.join(', ')}
  --warmup N        untimed passes per child, every case (env BENCH_WARMUP)
  --iterations N    timed passes per child, every case (env BENCH_ITERATIONS)
  --b7-seconds S    b7's timed window (default 10, or 2 with --quick)
  --source          run the fusedis packages from their TS sources instead of building their dist
  --no-build        run the existing dist without rebuilding it
  --no-pin          do not pin the server and the children with taskset
  --profile         no timing: run fusedis (or --peers) once per case under --cpu-prof and print the
                    functions with the most self time (profiles kept in .cache/profiles/)
  --render FILE     rewrite results/client.md and client.svg from a raw JSON, without measuring
  --help            this text`;

function list(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}

function count(name: string, value: string | undefined): number | undefined {
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
      peers: { type: 'string' },
      warmup: { type: 'string' },
      iterations: { type: 'string' },
      'b7-seconds': { type: 'string' },
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
  const cases = list(values.cases);
  for (const c of cases) if (!CASE_IDS.includes(c as CaseId)) throw new Error(`unknown case ${c}`);
  const peers = list(values.peers);
  for (const p of peers) if (!PEER_IDS.includes(p as PeerId)) throw new Error(`unknown peer ${p}`);
  const rounds = count('--rounds', values.rounds ?? env.BENCH_ROUNDS) ?? (quick ? 1 : 5);
  if (rounds < 1) throw new Error('--rounds must be at least 1');
  const warmup = count('--warmup', values.warmup ?? env.BENCH_WARMUP) ?? (quick ? 1 : undefined);
  const measured =
    count('--iterations', values.iterations ?? env.BENCH_ITERATIONS) ?? (quick ? 1 : undefined);
  if (measured === 0) throw new Error('--iterations must be at least 1');
  const b7Seconds = count('--b7-seconds', values['b7-seconds']);
  if (b7Seconds === 0) throw new Error('--b7-seconds must be at least 1');
  const iterations = Object.fromEntries(
    CASES.map((c) => [
      c.id,
      { warmup: warmup ?? c.iterations.warmup, measured: measured ?? c.iterations.measured },
    ]),
  ) as Record<CaseId, Iterations>;
  const full =
    !quick &&
    values.profile !== true &&
    cases.length === 0 &&
    peers.length === 0 &&
    rounds >= 5 &&
    warmup === undefined &&
    measured === undefined &&
    b7Seconds === undefined;
  return {
    rounds,
    cases: cases.length > 0 ? CASE_IDS.filter((c) => cases.includes(c)) : CASE_IDS,
    peers:
      peers.length > 0
        ? PEER_IDS.filter((p) => peers.includes(p))
        : values.profile === true
          ? ['fusedis']
          : PEER_IDS,
    iterations,
    b7Ms: b7Seconds !== undefined ? b7Seconds * 1000 : quick ? B7_QUICK_MS : B7_MS,
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
