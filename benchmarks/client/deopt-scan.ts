/**
 * `--deopts`: no timing. Runs fusedis (or `--peers`) once per chosen case under
 * `--trace-deopt-verbose`, with the child's usual `gc()` before each pass, and prints what V8
 * deoptimized during the timed passes: in the workspace's packages (the code under test), and
 * code marked for deoptimization without a position (which may be Node's own). A clean case
 * prints "none". b2 lost ~30 % to such deoptimizations before the pipeline queue's reader kept its
 * hidden class alive (benchmarks README, "b2 and b3 against the raw ceiling").
 */
import { type Launcher, runChildOutput, withNodeFlags } from '../lib/child-launcher.js';
import { type Deopt, timedDeopts } from '../lib/deopt-trace.js';
import type { CaseId } from './cases.js';
import type { RunOptions } from './options.js';
import type { PeerId } from './peers/bench-client.js';
import { CHILD_TIMEOUT_MS, PASS_MARK, type Task } from './task.js';

/** A marker line the child prints before each pass: `@@pass <n> timed|warm-up`. */
function passOf(line: string): { pass: number; timed: boolean } | undefined {
  if (!line.startsWith(PASS_MARK)) return undefined;
  const [, pass, kind] = line.split(' ');
  return { pass: Number(pass), timed: kind === 'timed' };
}

/** One printable line per distinct deoptimization (same function, reason and place), with its passes. */
function summarizeDeopts(deopts: readonly Deopt[]): string[] {
  const byKey = new Map<string, number[]>();
  for (const d of deopts) {
    const key = `${d.fn}: ${d.reason}${d.at === '' ? '' : ` at ${d.at.replace(/^.*\/packages\//, '')}`}`;
    byKey.set(key, [...(byKey.get(key) ?? []), d.pass]);
  }
  return [...byKey].map(([key, passes]) => `    ${key} (pass ${[...new Set(passes)].join(', ')})`);
}

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
      const deopts = timedDeopts(output, passOf);
      const ours = deopts.filter((d) => d.at.includes('/packages/'));
      const marked = deopts.filter((d) => d.at === '');
      log(`${caseId} ${peer}: deoptimized during the timed passes`);
      log(`  in packages/: ${ours.length === 0 ? 'none' : ''}`);
      for (const line of summarizeDeopts(ours)) log(line);
      log(`  marked, no position (may be Node's own): ${marked.length === 0 ? 'none' : ''}`);
      for (const line of summarizeDeopts(marked)) log(line);
    }
  }
}
