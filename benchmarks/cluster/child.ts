/**
 * One measured child: opens one peer's cluster client, runs a warm-up pass and a timed pass of one
 * case, prints `{"sample": …}` or `{"unsupported": "…"}` as its last line, and exits.
 *   node .cache/cluster-child.mjs '{"peer":"fusedis","case":"c2","seeds":[…],"quick":false}'
 */
import { type CaseId, runCase } from './cases.js';
import { openPeer, type PeerId, type Seed, Unsupported } from './peers.js';

interface Task {
  readonly peer: PeerId;
  readonly case: CaseId;
  readonly seeds: readonly Seed[];
  readonly quick: boolean;
}

const task = JSON.parse(process.argv[2] ?? '{}') as Task;
const client = await openPeer(task.peer, task.seeds);
try {
  if (task.case !== 'c4') await runCase(task.case, client, true);
  const sample = await runCase(task.case, client, task.quick);
  console.log(JSON.stringify({ sample }));
} catch (err) {
  if (!(err instanceof Unsupported)) throw err;
  console.log(JSON.stringify({ unsupported: err.message.slice(0, 160) }));
} finally {
  await client.close().catch(() => {});
}
