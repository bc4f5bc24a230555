/**
 * How child processes start: `node --expose-gc .cache/child.mjs`, behind `taskset -c 1` when the
 * machine has a second CPU and taskset works. child.ts and its imports are bundled once per run
 * by esbuild (packages stay external), so a child starts in ~0.1 s instead of the ~0.5 s that
 * compiling them through tsx in every one of ~300 children would cost.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = join(HERE, '..');
export const REPO_DIR = join(PACKAGE_DIR, '..');
const CHILD_SOURCE = join(HERE, 'child.ts');
const CHILD = join(PACKAGE_DIR, '.cache', 'child.mjs');

/** Bundles the child (our code only: every package import stays external, resolved at run time). */
export async function bundleChild(): Promise<void> {
  await build({
    entryPoints: [CHILD_SOURCE],
    outfile: CHILD,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    logLevel: 'warning',
  });
}

export interface Launcher {
  readonly command: string;
  readonly prefix: readonly string[];
  /** Every child runs on CPU 1 (`taskset -c 1`). */
  readonly pinned: boolean;
  /** @fusedis/resp comes from its TS sources rather than its dist. */
  readonly source: boolean;
}

/**
 * Builds @fusedis/resp's dist (tsc), so the children run the JS that ships. Prints the tail of
 * the compiler's output and returns false when the build fails.
 */
export function buildDist(log: (line: string) => void): boolean {
  log('building @fusedis/resp (tsc -p tsconfig.build.json) so the children run the shipped JS…');
  const result = spawnSync('pnpm', ['--filter', '@fusedis/resp', 'run', 'build'], {
    cwd: REPO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status === 0) {
    // The native peer's TS entry (its addon is built by scripts/setup.sh or `turbo build`).
    const native = spawnSync('pnpm', ['--filter', '@fusedis/native-codec', 'run', 'build:ts'], {
      cwd: REPO_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    if (native.status !== 0) log('  @fusedis/native-codec did not build: the native peer will be missing');
    return true;
  }
  log(`  build failed (exit ${result.status}):`);
  for (const line of `${result.stdout}${result.stderr}`.trim().split('\n').slice(-8)) log(`    ${line}`);
  return false;
}

function canPin(): boolean {
  if (availableParallelism() < 2) return false;
  return spawnSync('taskset', ['-c', '1', 'true'], { stdio: 'ignore' }).status === 0;
}

export function makeLauncher(pin: boolean, source: boolean): Launcher {
  const pinned = pin && canPin();
  // With --source, tsx is loaded only so that @fusedis/resp's .ts files can be imported.
  const node = [
    process.execPath,
    '--expose-gc',
    ...(source ? ['--conditions=@fusedis/source', '--import', 'tsx'] : []),
    CHILD,
  ];
  return pinned
    ? { command: 'taskset', prefix: ['-c', '1', ...node], pinned, source }
    : { command: process.execPath, prefix: node.slice(1), pinned, source };
}

/** Runs one child; resolves with its last stdout line, or rejects with the first error line of its stderr. */
export function runChild(how: Launcher, arg: string): Promise<string> {
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
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(last);
        return;
      }
      const lines = err.trim().split('\n');
      const first = lines.find((l) => /Error/.test(l)) ?? lines[0] ?? '';
      reject(new Error(`exit ${code ?? signal}: ${first.slice(0, 300)}`));
    });
  });
}
