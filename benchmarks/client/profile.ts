/**
 * `--profile`: runs fusedis (or `--peers`) once per chosen case under `--cpu-prof` and prints the
 * functions with the most self time (the whole child: connecting, preparing, warm-up and timed
 * passes). Profiles stay in benchmarks/.cache/profiles/client-<case>-<peer>/ (lib/cpu-profile.ts).
 */
import type { Launcher } from '../lib/child-launcher.js';
import { profileChild } from '../lib/cpu-profile.js';
import type { CaseId } from './cases.js';
import type { RunOptions } from './options.js';
import type { PeerId } from './peers/bench-client.js';
import { CHILD_TIMEOUT_MS, type Task } from './task.js';

export async function profileCases(
  options: RunOptions,
  peers: readonly PeerId[],
  how: Launcher,
  server: { host: string; port: number },
  log: (line: string) => void,
): Promise<void> {
  for (const caseId of options.cases as CaseId[]) {
    for (const peer of peers) {
      const task: Task = { peer, caseId, ...options.iterations[caseId], ...server, b7Ms: options.b7Ms };
      const job = {
        arg: JSON.stringify(task),
        name: `client-${caseId}-${peer}`,
        covers: 'whole child',
        timeoutMs: CHILD_TIMEOUT_MS,
      };
      await profileChild(how, job, log);
    }
  }
}
