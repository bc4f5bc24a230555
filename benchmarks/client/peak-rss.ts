/**
 * Peak RSS of one pass. On Linux, writing `5` to /proc/self/clear_refs resets the kernel's
 * high-water mark (VmHWM) to the current RSS, so the peak after the pass is exact and costs nothing
 * during it. Where that file is not writable, RSS is sampled every 5 ms instead (and can miss a
 * short peak, or be late when the event loop is busy): `method` says which was used.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type PeakMethod = 'VmHWM reset' | 'sampled every 5 ms';

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

/** Runs `pass` and returns its result with the RSS growth over the RSS right before it, in MiB. */
export async function withPeakRss<T>(
  pass: () => Promise<T>,
): Promise<{ result: T; growthMiB: number; method: PeakMethod }> {
  const before = process.memoryUsage.rss();
  if (resetHighWaterMark()) {
    const result = await pass();
    const peakKiB = statusKiB('VmHWM');
    if (peakKiB !== undefined) {
      return { result, growthMiB: (peakKiB * 1024 - before) / 2 ** 20, method: 'VmHWM reset' };
    }
  }
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await pass();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthMiB: (peak - before) / 2 ** 20, method: 'sampled every 5 ms' };
  } finally {
    clearInterval(timer);
  }
}
