/**
 * `--profile` and `--deopts`: no timing. Runs the chosen peers (fusedis unless `--peers` says
 * otherwise) once per chosen case, as the timed children run it (`gc()` before each pass), and
 * either prints the functions with the most self time under `--cpu-prof` (lib/cpu-profile.ts), or
 * what V8 deoptimized during the timed passes under `--trace-deopt-verbose` (lib/deopt-trace.ts).
 * The native and `auto` decoders lost 5–10 % of a1 in chunks to such deoptimizations until they
 * kept an instance alive (native-codec README, "Benchmark").
 */
import { type Launcher, runChildOutput, withNodeFlags } from '../lib/child-launcher.js';
import { profileChild } from '../lib/cpu-profile.js';
import { deoptReport } from '../lib/deopt-trace.js';
import type { RunOptions } from './options.js';
import { type Cell, untimedTasks } from './plan.js';

/** Profiles or traces each (cell, peer) once; prints the hottest functions or the deoptimizations. */
export async function inspectCells(
  what: 'profile' | 'deopts',
  cells: readonly Cell[],
  options: RunOptions,
  how: Launcher,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  const traced = withNodeFlags(how, ['--trace-deopt-verbose']);
  for (const { name, task } of untimedTasks(cells, options, dataDir)) {
    if (what === 'profile') {
      const covers = 'whole child, warm-up and data loading included';
      await profileChild(how, { arg: JSON.stringify(task), name, covers }, log);
      continue;
    }
    const output = await runChildOutput(traced, JSON.stringify({ ...task, markPasses: true }));
    for (const line of deoptReport(name, output)) log(line);
  }
}
