/**
 * `--profile`: explains a ratio instead of measuring it. Runs fusedis (or `--peers`) once per
 * chosen case under `--cpu-prof` and prints the functions with the most self time (the whole
 * child: connecting, preparing, warm-up and timed passes). Profiles stay in
 * benchmarks/.cache/profiles/client-<case>-<peer>/ for Chrome DevTools.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILE_DIR, topSelfTime } from '../codec/profile.js';
import type { CaseId } from './cases.js';
import { type Launcher, runChild } from './launcher.js';
import type { RunOptions } from './options.js';
import type { PeerId } from './peers/bench-client.js';
import type { Task } from './task.js';

export async function profileCases(
  options: RunOptions,
  peers: readonly PeerId[],
  how: Launcher,
  server: { host: string; port: number },
  log: (line: string) => void,
): Promise<void> {
  for (const caseId of options.cases as CaseId[]) {
    for (const peer of peers) {
      const name = `client-${caseId}-${peer}`;
      const dir = join(PROFILE_DIR, name);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const profiled: Launcher = {
        ...how,
        prefix: [...how.prefix.slice(0, -1), '--cpu-prof', `--cpu-prof-dir=${dir}`, ...how.prefix.slice(-1)],
      };
      const task: Task = { peer, caseId, ...options.iterations[caseId], ...server, b7Ms: options.b7Ms };
      try {
        await runChild(profiled, JSON.stringify(task));
        const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
        if (file === undefined) throw new Error('no .cpuprofile written');
        log(`\n${name}: self time (whole child), ${join(dir, file)}`);
        for (const line of topSelfTime(join(dir, file), 15)) log(`  ${line}`);
      } catch (err) {
        log(`${name}: FAILED ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
