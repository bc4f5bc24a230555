import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Observes a promise from the moment it is made (so a rejection during the load is handled at
 * once, never reported as unhandled) and gives its outcome as `Promise.allSettled` would.
 */
export function track<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}

/**
 * Settles every promise or fails the test: a promise still pending after `ms` is a bug.
 * @default ms 20_000 (milliseconds)
 */
export async function settleAll<T>(promises: Promise<T>[], ms = 20_000): Promise<T[]> {
  const timer = sleep(ms, 'pending' as const, { ref: false });
  const result = await Promise.race([Promise.all(promises), timer]);
  if (result === 'pending') throw new Error(`promises still pending after ${ms} ms`);
  return result;
}
