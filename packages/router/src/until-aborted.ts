import { whenAborted } from '@fusedis/pool';

/**
 * `promise`'s outcome, or `signal`'s reason as soon as it aborts (the promise goes on regardless).
 * Through `whenAborted`, however many calls wait on one signal share one listener.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = whenAborted(signal, () => reject(signal.reason));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (err: unknown) => {
        stop();
        reject(err);
      },
    );
  });
}

/**
 * Runs `run` unless `signal` has already aborted, and gives up waiting for it (with the reason)
 * once it does: what a call's `signal` promises its caller, whatever the work behind it shares.
 */
export function abortable<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const result = run();
  return signal === undefined ? result : untilAborted(result, signal);
}
