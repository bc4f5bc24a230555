/**
 * One peer × case × mode in a fresh process: warm-up, then timed iterations with gc() before each
 * (each iteration one run, or a batch of runs for a tiny reply: see GraphCase.decodeBatch).
 * Prints one JSON line: { samples (ms), rows, digest }.
 */
import { CASES, digest } from './cases.js';
import { decodeRunner, e2eRunner, type PeerName, type RecordedSchema } from './peers.js';

export interface ChildTask {
  readonly peer: PeerName;
  readonly caseId: string;
  readonly mode: 'e2e' | 'decode';
  readonly port: number;
  /** decode mode: the recorded reply and schema. */
  readonly replyFile: string;
  readonly schema: RecordedSchema;
  readonly warmup: number;
  readonly iterations: number;
  /** Runs per sample, timed back to back (see GraphCase.decodeBatch); 1 end to end. */
  readonly batch: number;
}

const task = JSON.parse(process.argv[2] ?? '{}') as ChildTask;
const spec = CASES.find((c) => c.id === task.caseId);
if (spec === undefined) throw new Error(`unknown case ${task.caseId}`);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const runner =
  task.mode === 'e2e'
    ? await e2eRunner(task.peer, task.port, spec.query)
    : await decodeRunner(task.peer, task.replyFile, task.schema);
try {
  let rows: Record<string, unknown>[] = [];
  for (let i = 0; i < task.warmup; i++) rows = await runner.run();
  const samples: number[] = [];
  for (let i = 0; i < task.iterations; i++) {
    gc();
    const t0 = process.hrtime.bigint();
    for (let b = 0; b < task.batch; b++) rows = await runner.run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6 / task.batch);
  }
  // The raw floor builds no rows.
  if (task.peer !== 'raw' && rows.length !== spec.rows) {
    throw new Error(`${task.peer} ${spec.id}: ${rows.length} rows, expected ${spec.rows}`);
  }
  process.stdout.write(
    `${JSON.stringify({ samples, rows: rows.length, digest: digest(rows, spec.digestColumn) })}\n`,
  );
} finally {
  await runner.close();
}
