/**
 * One child process: runs one peer on one case, `warmup` untimed then `measured` timed iterations,
 * a full GC before each when `--expose-gc` is on, then (if asked) the spot check, outside timing.
 * Prints a `TaskResult` as JSON on its last stdout line.
 */
import { readFileSync } from 'node:fs';
import { markPass, markPassesEnd } from '../lib/deopt-trace.js';
import { decodeCase, feedChunks } from './cases.js';
import { type DecodePeer, loadDecodePeers } from './decode-peers.js';
import { encodePeers, expectedWire, setCommands } from './encode-peers.js';
import { loadResp } from './load-resp.js';
import { firstDifference, mapShape } from './same-value.js';
import type { CheckResult, Task, TaskResult } from './task.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Written by every reply callback, so no decoder's work can be optimised away. */
export const sink: { value: unknown } = { value: undefined };

const loaded = await loadResp();

async function runDecode(task: Task & { kind: 'decode' }): Promise<TaskResult> {
  const c = decodeCase(task.caseId);
  const peers = await loadDecodePeers(loaded.resp);
  const peer = peers.find((p) => p.id === task.peer);
  if (peer === undefined) throw new Error(`decode peer ${task.peer} is not available`);
  const chunks = feedChunks(readFileSync(task.dataFile), task.mode);
  let count = 0;
  const onReply = (value: unknown): void => {
    count++;
    sink.value = value;
  };
  const samples: number[] = [];
  for (let i = 0; i < task.warmup + task.measured; i++) {
    sink.value = undefined;
    gc();
    if (task.markPasses === true) markPass(i, i >= task.warmup);
    const decoder = peer.create(onReply, c.resp3);
    count = 0;
    const t0 = process.hrtime.bigint();
    for (const chunk of chunks) decoder.feed(chunk);
    const t1 = process.hrtime.bigint();
    if (count !== c.replies) throw new Error(`${peer.id} ${c.id}: ${count} replies, expected ${c.replies}`);
    if (i >= task.warmup) samples.push(Number(t1 - t0) / 1e6);
  }
  sink.value = undefined;
  if (task.markPasses === true) markPassesEnd();
  if (!task.check) return { samples };
  gc();
  const replies: unknown[] = [];
  const decoder = peer.create((value) => replies.push(value), c.resp3);
  for (const chunk of chunks) decoder.feed(chunk);
  return { samples, check: checkDecoded(peer, replies, c.expected(), chunks) };
}

function checkDecoded(
  peer: DecodePeer,
  replies: unknown[],
  expected: unknown[],
  chunks: Buffer[],
): CheckResult {
  if (!peer.buildsValues) {
    // The reference yields frame lengths: they must tile the input exactly.
    const total = chunks.reduce((n, chunk) => n + chunk.length, 0);
    const scanned = replies.reduce<number>((n, length) => n + (length as number), 0);
    const ok = replies.length === expected.length && scanned === total;
    return {
      ok,
      detail: `${replies.length} frames covering ${scanned} of ${total} bytes (no values to compare)`,
    };
  }
  const diff = firstDifference(replies, expected);
  if (diff !== undefined) return { ok: false, detail: diff };
  const shape = mapShape(replies[0]);
  return { ok: true, detail: shape === undefined ? 'equal' : `equal (map as ${shape})` };
}

function runEncode(task: Task & { kind: 'encode' }): TaskResult {
  const peer = encodePeers(loaded.resp).find((p) => p.id === task.peer);
  if (peer === undefined) throw new Error(`encode peer ${task.peer} is not available`);
  const commands = setCommands();
  const encoder = peer.prepare(task.caseId, commands);
  const samples: number[] = [];
  for (let i = 0; i < task.warmup + task.measured; i++) {
    sink.value = undefined;
    gc();
    if (task.markPasses === true) markPass(i, i >= task.warmup);
    const t0 = process.hrtime.bigint();
    sink.value = encoder.run();
    const t1 = process.hrtime.bigint();
    if (i >= task.warmup) samples.push(Number(t1 - t0) / 1e6);
  }
  if (task.markPasses === true) markPassesEnd();
  if (!task.check) return { samples };
  const got = encoder.output();
  const want = expectedWire(commands);
  if (got.equals(want)) return { samples, check: { ok: true, detail: `equal (${got.length} bytes)` } };
  let at = 0;
  while (at < got.length && got[at] === want[at]) at++;
  const detail = `${got.length} bytes, expected ${want.length}; first difference at byte ${at}`;
  return { samples, check: { ok: false, detail } };
}

const arg = process.argv[2] ?? '';
if (arg === 'probe') {
  // The runner asks once which @fusedis/resp it gets, with the same flags as the timed children.
  process.stdout.write(`${JSON.stringify({ ...loaded, resp: loaded.resp !== undefined })}\n`);
} else {
  const task = JSON.parse(arg) as Task;
  const result = task.kind === 'decode' ? await runDecode(task) : runEncode(task);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
