/**
 * `--profile`: explains a ratio instead of measuring it. Runs the chosen peers (fusedis unless
 * `--peers` says otherwise) once per chosen case under `--cpu-prof`, then prints the functions
 * with the most self time. Profiles land in benchmarks/.cache/profiles/ for Chrome DevTools.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Launcher, PACKAGE_DIR, runChild } from './launcher.js';
import type { RunOptions } from './options.js';
import { type Cell, livePeers, taskFor } from './plan.js';

export const PROFILE_DIR = join(PACKAGE_DIR, '.cache', 'profiles');

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

/** Profiles each (cell, peer) once; prints the hottest functions of each. */
export async function profileCells(
  cells: readonly Cell[],
  options: RunOptions,
  how: Launcher,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  const peers = options.peers.length === 0 ? ['fusedis'] : options.peers;
  for (const cell of cells) {
    for (const peer of livePeers(cell).filter((p) => peers.includes(p.id) || peers.includes('all'))) {
      const name = `${cell.key.caseId}${cell.key.mode === undefined ? '' : `-${cell.key.mode}`}-${peer.id}`;
      const dir = join(PROFILE_DIR, name);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const profiled: Launcher = {
        ...how,
        prefix: [...how.prefix.slice(0, -1), '--cpu-prof', `--cpu-prof-dir=${dir}`, ...how.prefix.slice(-1)],
      };
      try {
        await runChild(profiled, JSON.stringify(taskFor(cell, peer.id, options, false, dataDir)));
        const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
        if (file === undefined) throw new Error('no .cpuprofile written');
        log(`\n${name}: self time (whole child, warm-up and data loading included), ${join(dir, file)}`);
        for (const line of topSelfTime(join(dir, file), 15)) log(`  ${line}`);
      } catch (err) {
        log(`${name}: FAILED ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
