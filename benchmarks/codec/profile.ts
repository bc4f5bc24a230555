/**
 * `--profile`: runs the chosen peers (fusedis unless `--peers` says otherwise) once per chosen case
 * under `--cpu-prof`, then prints the functions with the most self time (lib/cpu-profile.ts).
 */
import type { Launcher } from '../lib/child-launcher.js';
import { profileChild } from '../lib/cpu-profile.js';
import type { RunOptions } from './options.js';
import { type Cell, livePeers, taskFor } from './plan.js';

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
      const job = {
        arg: JSON.stringify(taskFor(cell, peer.id, options, false, dataDir)),
        name: `${cell.key.caseId}${cell.key.mode === undefined ? '' : `-${cell.key.mode}`}-${peer.id}`,
        covers: 'whole child, warm-up and data loading included',
      };
      await profileChild(how, job, log);
    }
  }
}
