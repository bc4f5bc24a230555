/**
 * One child process: one peer on one case. Connects (untimed), runs `warmup` untimed and
 * `measured` timed passes with a full GC before each, checks every pass's result outside timing,
 * and prints a `TaskResult` as JSON on its last stdout line. With `probe`, it only reports whether
 * @fusedis/client loads.
 */

import { markPass, markPassesEnd } from '../lib/deopt-trace.js';
import { type CaseRun, prepareClientCase, prepareRawCase } from './case-runs.js';
import { caseInfo } from './cases.js';
import { type PeakRss, withPeakRss } from './peak-rss.js';
import { isRawPeer, respOf } from './peers/bench-client.js';
import { loadFusedis } from './peers/fusedis.js';
import { openClient } from './peers/open.js';
import { RawConnection } from './raw-connection.js';
import type { Probe, Task, TaskResult } from './task.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Written with each pass's result, so no work can be optimised away. */
export const sink: { value: unknown } = { value: undefined };

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

async function runTask(task: Task): Promise<TaskResult> {
  const info = caseInfo(task.caseId);
  const server = { host: task.host, port: task.port };
  let run: CaseRun;
  let close: () => Promise<void>;
  let resp = 'RESP2'; // the raw ceiling sends no HELLO
  if (isRawPeer(task.peer)) {
    const raw = await RawConnection.open(server.host, server.port);
    run = prepareRawCase(task.caseId, raw, task.peer === 'raw-promises');
    close = () => raw.close();
  } else {
    const client = await openClient(task.peer, server);
    run = prepareClientCase(task.caseId, client);
    resp = respOf(await client.clientInfo());
    const about = client.describe?.();
    if (about !== undefined) resp += `, ${about}`;
    close = () => client.close();
  }
  const samples: number[] = [];
  const p50Us: number[] = [];
  const p99Us: number[] = [];
  let rss: PeakRss | undefined;
  const b7Warmup = Math.min(1000, task.b7Ms / 4);
  for (let i = 0; i < task.warmup + task.measured; i++) {
    const timed = i >= task.warmup;
    const window = timed ? task.b7Ms : b7Warmup;
    sink.value = undefined;
    gc();
    if (task.markPasses === true) markPass(i, timed);
    let result: unknown;
    let elapsedMs: number;
    if (task.caseId === 'b4' && i === 0) {
      // Peak RSS from the first LRANGE in the process: later ones start on a heap already grown.
      const t0 = process.hrtime.bigint();
      const measured = await withPeakRss(() => run.run(window));
      elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
      ({ result, ...rss } = measured);
    } else {
      const t0 = process.hrtime.bigint();
      result = await run.run(window);
      elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    }
    sink.value = result;
    const wrong = run.check(result);
    if (wrong !== undefined) throw new Error(`${task.peer} ${task.caseId} pass ${i}: ${wrong}`);
    if (!timed) continue;
    if (info.unit === 'ops/s') samples.push(((run.ops?.() ?? 0) * 1000) / elapsedMs);
    else samples.push(elapsedMs);
    const lat = run.latencies?.();
    if (lat !== undefined) {
      const sorted = Float64Array.from(lat).sort();
      p50Us.push(percentile(sorted, 0.5));
      p99Us.push(percentile(sorted, 0.99));
    }
  }
  sink.value = undefined;
  if (task.markPasses === true) markPassesEnd();
  await close();
  return {
    samples,
    resp,
    check: 'ok',
    ...(p50Us.length > 0 ? { p50Us, p99Us } : {}),
    ...(rss === undefined
      ? {}
      : {
          rssMiB: rss.growthMiB,
          rssMethod: rss.method,
          rssPeakMiB: rss.peakMiB,
          youngMiB: [rss.youngBeforeMiB, rss.youngAfterMiB] as const,
        }),
  };
}

async function probe(): Promise<Probe> {
  let entry = '';
  try {
    entry = import.meta.resolve('@fusedis/client');
  } catch {
    // not installed: the load below says why
  }
  try {
    await loadFusedis();
    return { fusedis: true, entry };
  } catch (err) {
    return { fusedis: false, entry, error: err instanceof Error ? err.message : String(err) };
  }
}

const arg = process.argv[2] ?? '';
const out = arg === 'probe' ? await probe() : await runTask(JSON.parse(arg) as Task);
process.stdout.write(`${JSON.stringify(out)}\n`);
// A client library that keeps a handle open (a timer, a native thread) must not hold the child.
process.exit(0);
