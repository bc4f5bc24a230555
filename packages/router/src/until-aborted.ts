/** `promise`'s outcome, or `signal`'s reason as soon as it aborts (the promise goes on regardless). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
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
