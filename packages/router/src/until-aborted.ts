/** The callers waiting on one signal, and the one listener that tells them all. */
interface Waiting {
  readonly callers: Set<() => void>;
  readonly listener: () => void;
}

/**
 * One listener per signal, however many calls wait on it: Node warns past 10 listeners on one
 * AbortSignal, and a caller may well share one signal among many calls. It goes with the last.
 */
const waiting = new WeakMap<AbortSignal, Waiting>();

/** Calls `onAbort` when `signal` aborts; the returned function stops that. */
function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const callers = new Set<() => void>();
    const listener = (): void => {
      waiting.delete(signal);
      for (const caller of callers) caller();
    };
    entry = { callers, listener };
    waiting.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callers, listener } = entry;
  callers.add(onAbort);
  return () => {
    if (!callers.delete(onAbort) || callers.size > 0) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}

/** `promise`'s outcome, or `signal`'s reason as soon as it aborts (the promise goes on regardless). */
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
