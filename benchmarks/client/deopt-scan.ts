/**
 * `--deopts`: no timing. Runs fusedis (or `--peers`) once per chosen case under
 * `--trace-deopt-verbose`, with the child's usual `gc()` before each pass, and prints what V8
 * deoptimized during the timed passes: in the workspace's packages (the code under test), and
 * code marked for deoptimization without a position (which may be Node's own). A clean case
 * prints "none". b2 lost ~30 % to such deoptimizations before the pipeline queue's reader kept its
 * hidden class alive (benchmarks README, "b2 and b3 against the raw ceiling").
 */
import { type Launcher, runChildOutput, withNodeFlags } from '../lib/child-launcher.js';
import { deoptReport } from '../lib/deopt-trace.js';
import type { CaseId } from './cases.js';
import type { RunOptions } from './options.js';
import type { PeerId } from './peers/bench-client.js';
import { CHILD_TIMEOUT_MS, type Task } from './task.js';

export async function scanDeopts(
  options: RunOptions,
  peers: readonly PeerId[],
  how: Launcher,
  server: { host: string; port: number },
  log: (line: string) => void,
): Promise<void> {
  const traced = withNodeFlags(how, ['--trace-deopt-verbose']);
  for (const caseId of options.cases as CaseId[]) {
    for (const peer of peers) {
      const task: Task = {
        peer,
        caseId,
        ...options.iterations[caseId],
        ...server,
        b7Ms: options.b7Ms,
        markPasses: true,
      };
      const output = await runChildOutput(traced, JSON.stringify(task), CHILD_TIMEOUT_MS);
      for (const line of deoptReport(`${caseId} ${peer}`, output)) log(line);
    }
  }
}
