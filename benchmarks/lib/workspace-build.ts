/**
 * Builds the workspace packages the children import, so they run the JS that ships (tsc, target
 * ES2023: `#private` fields stay native). A failed build is reported, and the runner decides
 * whether to fall back to the TS sources.
 */
import { spawnSync } from 'node:child_process';
import { REPO_DIR } from './paths.js';

/** `pnpm --filter <filter> run <script>` from the repository root; its status and output. */
export function runPnpmScript(
  filter: string,
  script: string,
): { ok: boolean; status: number | null; output: string } {
  const result = spawnSync('pnpm', ['--filter', filter, 'run', script], {
    cwd: REPO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  return { ok: result.status === 0, status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Logs `announce`, builds `filter`; on failure logs the exit code and the last 8 lines and returns false. */
export function buildPackages(filter: string, announce: string, log: (line: string) => void): boolean {
  log(announce);
  const result = runPnpmScript(filter, 'build');
  if (result.ok) return true;
  log(`  build failed (exit ${result.status}):`);
  for (const line of result.output.trim().split('\n').slice(-8)) log(`    ${line}`);
  return false;
}

/** @fusedis/client and the workspace packages it depends on (`--filter @fusedis/client...`). */
export function buildClientDist(log: (line: string) => void): boolean {
  return buildPackages(
    '@fusedis/client...',
    'building @fusedis/client and its dependencies (tsc -p tsconfig.build.json)…',
    log,
  );
}
