/**
 * The command line every benchmark runner shares: `--rounds`, `--quick`, `--warmup`, `--iterations`
 * (with their `BENCH_*` environment variables), `--source`, `--no-build`, `--no-pin`, `--profile`,
 * `--render FILE` and `--help`. Each runner adds its own flags and its own checks of the lists.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type FlagsConfig = NonNullable<ParseArgsConfig['options']>;

/** What `parseArgs` returns for single-valued flags: a string or a boolean per flag, absent when not given. */
export type FlagValues<F extends FlagsConfig> = {
  readonly [K in keyof F]?: (F[K] extends { readonly type: 'boolean' } ? boolean : string) | undefined;
};

/** How many untimed (warm-up) and timed passes one child process runs. */
export interface Iterations {
  readonly warmup: number;
  readonly measured: number;
}

const SHARED_FLAGS = {
  rounds: { type: 'string' },
  quick: { type: 'boolean', default: false },
  warmup: { type: 'string' },
  iterations: { type: 'string' },
  source: { type: 'boolean', default: false },
  'no-build': { type: 'boolean', default: false },
  'no-pin': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
  render: { type: 'string' },
  profile: { type: 'boolean', default: false },
  deopts: { type: 'boolean', default: false },
} as const satisfies FlagsConfig;

/** The shared flags as `parseArgs` returns them. */
export type SharedValues = FlagValues<typeof SHARED_FLAGS>;

/** The options every runner has, from the shared flags; `Id` is the runner's case id. */
export interface RunnerOptions<Id extends string> {
  /** Interleaved rounds; each round runs every peer once per case. @default 5 (1 with --quick) */
  readonly rounds: number;
  /** Run the fusedis packages from their TS sources (through tsx) instead of their built dist. @default false */
  readonly source: boolean;
  /** Build the dist the children import before running (ignored with `source`). @default true */
  readonly build: boolean;
  /** Pin the children to CPU 1 (and a server to CPU 0) with `taskset` when available. @default true */
  readonly pin: boolean;
  readonly quick: boolean;
  /** Nothing narrowed or shortened: only such a run rewrites the committed results (.md, .svg). */
  readonly full: boolean;
  readonly help: boolean;
  /** Re-render the reports from this raw JSON instead of measuring. */
  readonly render: string | undefined;
  /** Profile fusedis (or the peers named) once per case instead of measuring; nothing goes to results/. */
  readonly profile: boolean;
  /** Trace fusedis's (or the peers named) deoptimizations once per case instead of measuring (`lib/deopt-trace.ts`). */
  readonly deopts: boolean;
  /** Passes per child process, per case: `--warmup` / `--iterations` over each case's own. */
  readonly iterations: Readonly<Record<Id, Iterations>>;
}

/** The arguments after the script name, without the `--` that `pnpm run x -- …` may pass along. */
export function runnerArgs(): string[] {
  return process.argv.slice(2).filter((a) => a !== '--');
}

/** Parses the shared flags plus the runner's `extra` ones; unknown flags and positionals throw. */
export function parseRunnerArgs<const E extends FlagsConfig>(
  argv: readonly string[],
  extra: E,
): FlagValues<typeof SHARED_FLAGS & E> {
  return parseArgs({
    args: [...argv],
    options: { ...SHARED_FLAGS, ...extra },
    strict: true,
    allowPositionals: false,
  }).values as FlagValues<typeof SHARED_FLAGS & E>;
}

/** `a, b,,c` → `['a', 'b', 'c']`; an absent flag is an empty list. */
export function list(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}

/** A non-negative integer flag; undefined when absent or empty. `name` is for the error message. */
export function count(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return n;
}

/** How a runner's own flags shape its shared options. */
export interface RunnerShape<Id extends string> {
  /** One of the runner's own flags (cases, peers…) makes the run partial. */
  readonly narrowed: boolean;
  /** Every case the runner has, in table order (the order of `iterations`). */
  readonly cases: readonly Id[];
  /** Each case's own warm-up and timed passes. */
  readonly passes: (id: Id) => Iterations;
}

/**
 * The runner's shared options, from the shared flags (as `parseRunnerArgs` returned them), the
 * `BENCH_*` variables and the runner's own shape. Throws on a bad count; call it after the runner
 * has checked its own lists, so that errors come in the order of the usage text.
 */
export function runnerOptions<Id extends string>(
  values: SharedValues,
  env: NodeJS.ProcessEnv,
  shape: RunnerShape<Id>,
): RunnerOptions<Id> {
  const quick = values.quick === true;
  const rounds = count('--rounds', values.rounds ?? env.BENCH_ROUNDS) ?? (quick ? 1 : 5);
  if (rounds < 1) throw new Error('--rounds must be at least 1');
  const warmup = count('--warmup', values.warmup ?? env.BENCH_WARMUP) ?? (quick ? 1 : undefined);
  const measured =
    count('--iterations', values.iterations ?? env.BENCH_ITERATIONS) ?? (quick ? 1 : undefined);
  if (measured === 0) throw new Error('--iterations must be at least 1');
  const profile = values.profile === true;
  const deopts = values.deopts === true;
  const iterations = Object.fromEntries(
    shape.cases.map((id) => [
      id,
      { warmup: warmup ?? shape.passes(id).warmup, measured: measured ?? shape.passes(id).measured },
    ]),
  ) as Record<Id, Iterations>;
  return {
    rounds,
    source: values.source === true,
    build: values['no-build'] !== true,
    pin: values['no-pin'] !== true,
    quick,
    // Only a run that nothing shortened or narrowed may rewrite the committed results.
    full:
      !quick &&
      !profile &&
      !deopts &&
      !shape.narrowed &&
      rounds >= 5 &&
      warmup === undefined &&
      measured === undefined,
    help: values.help === true,
    render: values.render,
    profile,
    deopts,
    iterations,
  };
}
