/**
 * `--profile`: explains a ratio instead of measuring it. A child runs once under `--cpu-prof`, then
 * the functions with the most self time are printed. Profiles stay in benchmarks/.cache/profiles/
 * for Chrome DevTools.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Launcher, runChild, withNodeFlags } from './child-launcher.js';
import { errorMessage } from './log.js';
import { CACHE_DIR } from './paths.js';

export const PROFILE_DIR = join(CACHE_DIR, 'profiles');

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** The `top` functions by self time, as printable lines. */
export function topSelfTime(file: string, top: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalHits = profile.samples.length;
  const usPerHit = totalHits === 0 ? 0 : (profile.endTime - profile.startTime) / totalHits;
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split('/').slice(-2).join('/');
    const name = `${functionName || '(anonymous)'} ${file === '' ? '' : `${file}:${lineNumber + 1}`}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, hits]) => {
      const share = totalHits === 0 ? 0 : (100 * hits) / totalHits;
      return `${share.toFixed(1).padStart(5)} %  ${((hits * usPerHit) / 1000).toFixed(1).padStart(7)} ms  ${name}`;
    });
}

/** What to profile: the child's task, the profile's folder name, and what its self time covers. */
export interface ProfileJob {
  readonly arg: string;
  readonly name: string;
  readonly covers: string;
  /** @default no timeout */
  readonly timeoutMs?: number;
}

/**
 * Runs one child under `--cpu-prof` into `.cache/profiles/<name>/` and logs its 15 hottest
 * functions; a failure is logged, never thrown, so the next job still runs.
 */
export async function profileChild(
  how: Launcher,
  job: ProfileJob,
  log: (line: string) => void,
): Promise<void> {
  const dir = join(PROFILE_DIR, job.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    await runChild(withNodeFlags(how, ['--cpu-prof', `--cpu-prof-dir=${dir}`]), job.arg, job.timeoutMs);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('no .cpuprofile written');
    log(`\n${job.name}: self time (${job.covers}), ${join(dir, file)}`);
    for (const line of topSelfTime(join(dir, file), 15)) log(`  ${line}`);
  } catch (err) {
    log(`${job.name}: FAILED ${errorMessage(err)}`);
  }
}
