/**
 * Peak RSS of one pass. On Linux, writing `5` to /proc/self/clear_refs resets the kernel's
 * high-water mark (VmHWM) to the current RSS, so the peak after the pass is exact and costs nothing
 * during it. Where that file is not writable, RSS is sampled every 5 ms instead (and can miss a
 * short peak, or be late when the event loop is busy): `method` says which was used.
 *
 * The V8 young generation's size before and after the pass is reported too: it grows (doubling,
 * up to its maximum) once enough of what a process allocates survives, and a process that enters
 * the pass with it still small pays that growth inside the pass's RSS growth.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

export type PeakMethod = 'VmHWM reset' | 'sampled every 5 ms';

/** What one pass did to the process's memory, in MiB. */
export interface PeakRss {
  /** The peak over the RSS right before the pass. */
  readonly growthMiB: number;
  /** The peak itself: the whole process's RSS at its highest during the pass. */
  readonly peakMiB: number;
  /** The young generation's reserved size (`new_space`) right before and right after the pass. */
  readonly youngBeforeMiB: number;
  readonly youngAfterMiB: number;
  readonly method: PeakMethod;
}

const MIB = 2 ** 20;

function statusKiB(field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function youngGenerationMiB(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space === undefined ? 0 : space.space_size / MIB;
}

/** Runs `pass` and returns its result with what it did to the RSS and the young generation. */
export async function withPeakRss<T>(pass: () => Promise<T>): Promise<{ result: T } & PeakRss> {
  const youngBeforeMiB = youngGenerationMiB();
  const before = process.memoryUsage.rss();
  const done = (result: T, peak: number, method: PeakMethod): { result: T } & PeakRss => ({
    result,
    growthMiB: (peak - before) / MIB,
    peakMiB: peak / MIB,
    youngBeforeMiB,
    youngAfterMiB: youngGenerationMiB(),
    method,
  });
  if (resetHighWaterMark()) {
    const result = await pass();
    const peakKiB = statusKiB('VmHWM');
    if (peakKiB !== undefined) return done(result, peakKiB * 1024, 'VmHWM reset');
  }
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await pass();
    return done(result, Math.max(peak, process.memoryUsage.rss()), 'sampled every 5 ms');
  } finally {
    clearInterval(timer);
  }
}
