/**
 * `--deopts`: no timing. Runs the chosen peers (fusedis unless `--peers` says otherwise) once per
 * chosen case under `--trace-deopt-verbose`, with the child's usual `gc()` before each pass, and
 * prints what V8 deoptimized during the timed passes (lib/deopt-trace.ts). The native and `auto`
 * decoders lost 5–10 % of a1 in chunks to such deoptimizations until they kept an instance alive
 * (native-codec README, "Benchmark").
 */
import { type Launcher, runChildOutput, withNodeFlags } from '../lib/child-launcher.js';
import { deoptReport } from '../lib/deopt-trace.js';
import type { RunOptions } from './options.js';
import { type Cell, livePeers, taskFor } from './plan.js';

/** Traces each (cell, peer) once; prints what each deoptimized. */
export async function scanCellDeopts(
  cells: readonly Cell[],
  options: RunOptions,
  how: Launcher,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  const peers = options.peers.length === 0 ? ['fusedis'] : options.peers;
  const traced = withNodeFlags(how, ['--trace-deopt-verbose']);
  for (const cell of cells) {
    for (const peer of livePeers(cell).filter((p) => peers.includes(p.id) || peers.includes('all'))) {
      const task = { ...taskFor(cell, peer.id, options, false, dataDir), markPasses: true };
      const output = await runChildOutput(traced, JSON.stringify(task));
      const what = `${cell.key.caseId}${cell.key.mode === undefined ? '' : ` ${cell.key.mode}`} ${peer.id}`;
      for (const line of deoptReport(what, output)) log(line);
    }
  }
}
