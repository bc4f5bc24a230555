/**
 * Builds what the children run and starts them: `node --expose-gc .cache/client-child.mjs`, behind
 * `taskset -c 1` when the machine has a second CPU (the server gets CPU 0). child.ts and its
 * imports are bundled once per run by esbuild; every package stays an external import.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = join(HERE, '..');
export const REPO_DIR = join(PACKAGE_DIR, '..');
const CHILD = join(PACKAGE_DIR, '.cache', 'client-child.mjs');

export async function bundleChild(): Promise<void> {
  await build({
    entryPoints: [join(HERE, 'child.ts')],
    outfile: CHILD,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    logLevel: 'warning',
  });
}

/**
 * Builds @fusedis/client and the workspace packages it depends on (`pnpm --filter
 * @fusedis/client... run build`), so the children run the JS that ships. False when it fails.
 */
export function buildDist(log: (line: string) => void): boolean {
  log('building @fusedis/client and its dependencies (tsc -p tsconfig.build.json)…');
  const result = spawnSync('pnpm', ['--filter', '@fusedis/client...', 'run', 'build'], {
    cwd: REPO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status === 0) return true;
  log(`  build failed (exit ${result.status}):`);
  for (const line of `${result.stdout}${result.stderr}`.trim().split('\n').slice(-8)) log(`    ${line}`);
  return false;
}

/** True when there is a second CPU and `taskset` works. */
export function canPin(): boolean {
  if (availableParallelism() < 2) return false;
  return spawnSync('taskset', ['-c', '1', 'true'], { stdio: 'ignore' }).status === 0;
}

/** Moves every thread of a running process to CPU `cpu` (`taskset -a -p -c`). */
export function pinProcess(pid: number, cpu: number): boolean {
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' }).status === 0;
}

export interface Launcher {
  readonly command: string;
  readonly prefix: readonly string[];
  readonly pinned: boolean;
  /** The fusedis packages come from their TS sources (through tsx) rather than their dist. */
  readonly source: boolean;
}

export function makeLauncher(pinned: boolean, source: boolean): Launcher {
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
export function runChild(how: Launcher, arg: string, timeoutMs = 300_000): Promise<string> {
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
    // A client that hangs (a lost reply, a stuck connect) fails its row instead of the run.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(last);
        return;
      }
      const lines = err.trim().split('\n');
      const first = lines.find((l) => /Error/.test(l)) ?? lines[0] ?? '';
      const why = signal === 'SIGKILL' ? `killed after ${timeoutMs / 1000} s` : `exit ${code ?? signal}`;
      reject(new Error(`${why}: ${first.slice(0, 300)}`));
    });
  });
}
