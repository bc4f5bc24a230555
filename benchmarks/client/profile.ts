/**
 * `--profile` and `--deopts`: no timing. Runs fusedis (or `--peers`) once per chosen case, as the
 * timed children run it (`gc()` before each pass), and either prints the functions with the most
 * self time under `--cpu-prof` (the whole child: connecting, preparing, warm-up and timed passes;
 * profiles stay in benchmarks/.cache/profiles/client-<case>-<peer>/, lib/cpu-profile.ts), or what
 * V8 deoptimized during the timed passes under `--trace-deopt-verbose` (lib/deopt-trace.ts). b2
 * lost ~30 % to such deoptimizations before the pipeline queue's reader kept its hidden class alive
 * (benchmarks README, "b2 and b3 against the raw ceiling").
 */
import { type Launcher, runChildOutput, withNodeFlags } from '../lib/child-launcher.js';
import { profileChild } from '../lib/cpu-profile.js';
import { deoptReport } from '../lib/deopt-trace.js';
import type { RunOptions } from './options.js';
import type { PeerId } from './peers/bench-client.js';
import { CHILD_TIMEOUT_MS, untimedTasks } from './task.js';

export async function inspectCases(
  what: 'profile' | 'deopts',
  options: RunOptions,
  peers: readonly PeerId[],
  how: Launcher,
  server: { host: string; port: number },
  log: (line: string) => void,
): Promise<void> {
  const traced = withNodeFlags(how, ['--trace-deopt-verbose']);
  for (const { caseId, peer, task } of untimedTasks(options, peers, server)) {
    if (what === 'profile') {
      const job = {
        arg: JSON.stringify(task),
        name: `client-${caseId}-${peer}`,
        covers: 'whole child',
        timeoutMs: CHILD_TIMEOUT_MS,
      };
      await profileChild(how, job, log);
      continue;
    }
    const marked = JSON.stringify({ ...task, markPasses: true });
    const output = await runChildOutput(traced, marked, CHILD_TIMEOUT_MS);
    for (const line of deoptReport(`${caseId} ${peer}`, output)) log(line);
  }
}
