/** The callers waiting on one signal, and the one listener that tells them all. */
interface Waiting {
  readonly callers: Set<() => void>;
  readonly listener: () => void;
}

/**
 * One listener per signal, however many calls wait on it: Node warns past 10 listeners on one
 * AbortSignal (`MaxListenersExceededWarning`), and a caller may well share one signal among many
 * calls (an application's shutdown signal given to every worker's `BLPOP`). It goes with the last.
 */
const waiting = new WeakMap<AbortSignal, Waiting>();

/**
 * Calls `onAbort` when `signal` aborts; the returned function stops that (idempotent). Shared by
 * `@fusedis/pool`, `@fusedis/router` and `@fusedis/client`, so every call of a process waiting on
 * one signal — whatever it waits for — is behind the same listener. Like `addEventListener`, it
 * never calls `onAbort` for a signal that has already aborted: check `signal.aborted` first.
 */
export function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const callers = new Set<() => void>();
    const listener = (): void => {
      waiting.delete(signal);
      for (const caller of callers) caller();
      callers.clear();
    };
    entry = { callers, listener };
    waiting.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callers, listener } = entry;
  // A wrapper of its own, so one function passed twice is two registrations, each stopped alone.
  const caller = (): void => onAbort();
  callers.add(caller);
  return () => {
    if (!callers.delete(caller) || callers.size > 0 || waiting.get(signal)?.callers !== callers) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}
