/**
 * How a runner starts its measured children: `node --expose-gc .cache/<name>.mjs '<task>'`, behind
 * `taskset -c 1` when pinned. The child's TypeScript and its imports are bundled once per run by
 * esbuild (packages stay external imports), so a child starts in ~0.1 s instead of the ~0.5 s that
 * compiling it through tsx would cost in each of hundreds of children.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CACHE_DIR, PACKAGE_DIR } from './paths.js';

/** A child's TypeScript entry and the bundle the runner starts. */
export interface ChildBundle {
  readonly entry: string;
  readonly outfile: string;
}

/** The child at `entry` (a path), bundled to `.cache/<name>`. */
export function childBundle(entry: string, name: string): ChildBundle {
  return { entry, outfile: join(CACHE_DIR, name) };
}

/** Bundles the child (our code only: every package import stays external, resolved at run time). */
export async function bundleChild(child: ChildBundle): Promise<void> {
  await build({
    entryPoints: [child.entry],
    outfile: child.outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    logLevel: 'warning',
  });
}

/** True when there is a second CPU and `taskset` works. */
export function canPin(): boolean {
  if (availableParallelism() < 2) return false;
  return spawnSync('taskset', ['-c', '1', 'true'], { stdio: 'ignore' }).status === 0;
}

/** Moves every thread of a running process to CPU `cpu` (`taskset -a -p -c`); false when it fails. */
export function pinProcess(pid: number, cpu: number): boolean {
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' }).status === 0;
}

/** The command line of every child of a run, but for its last argument (the task). */
export interface Launcher {
  readonly command: string;
  /** Arguments before the task; the bundle's path is the last of them. */
  readonly prefix: readonly string[];
  /** Every child runs on CPU 1 (`taskset -c 1`). */
  readonly pinned: boolean;
  /** The fusedis packages come from their TS sources (through tsx) rather than their dist. */
  readonly source: boolean;
}

/** `pinned`: behind `taskset -c 1`. `source`: `--conditions=@fusedis/source --import tsx`. */
export function makeLauncher(child: ChildBundle, pinned: boolean, source: boolean): Launcher {
  // With source, tsx is loaded only so that the workspace packages' .ts files can be imported.
  const node = [
    process.execPath,
    '--expose-gc',
    ...(source ? ['--conditions=@fusedis/source', '--import', 'tsx'] : []),
    child.outfile,
  ];
  return pinned
    ? { command: 'taskset', prefix: ['-c', '1', ...node], pinned, source }
    : { command: process.execPath, prefix: node.slice(1), pinned, source };
}

/** The same children with `node` flags added before the bundle's path (e.g. `--cpu-prof`). */
export function withNodeFlags(how: Launcher, flags: readonly string[]): Launcher {
  return { ...how, prefix: [...how.prefix.slice(0, -1), ...flags, ...how.prefix.slice(-1)] };
}

/**
 * Runs one child with `arg` as its last argument; resolves with its last stdout line (a JSON
 * object), or rejects with the first error line of its stderr. With `timeoutMs`, a child still
 * running then is killed (a lost reply, a stuck connect) and fails alone instead of the run.
 */
export async function runChild(how: Launcher, arg: string, timeoutMs?: number): Promise<string> {
  const last = (await runChildOutput(how, arg, timeoutMs)).trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`exit 0 without a result line: ${last.slice(0, 300)}`);
  return last;
}

/**
 * Runs one child as {@link runChild} does, but resolves with its whole stdout once it exits 0
 * (whatever its last line: a child traced by V8 may print after its result).
 */
export function runChildOutput(how: Launcher, arg: string, timeoutMs?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    // Flags meant for the runner (a debugger, a profiler) must not reach the measured processes.
    delete env.NODE_OPTIONS;
    const child = spawn(how.command, [...how.prefix, arg], {
      cwd: PACKAGE_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(out);
        return;
      }
      const lines = err.trim().split('\n');
      const first = lines.find((l) => /Error/.test(l)) ?? lines[0] ?? '';
      const why =
        signal === 'SIGKILL' && timeoutMs !== undefined
          ? `killed after ${timeoutMs / 1000} s`
          : `exit ${code ?? signal}`;
      reject(new Error(`${why}: ${first.slice(0, 300)}`));
    });
  });
}
