import { whenAborted } from '../when-aborted.js';
import type { Pending } from './pending.js';

/** The commands of one connection that share one AbortSignal. */
interface SignalGroup {
  readonly members: Set<Pending>;
  /** Stops listening to the signal. */
  readonly stop: () => void;
}

/**
 * One registration per signal per connection, however many commands share the signal, and through
 * `whenAborted` one listener per signal in the process: Node warns past 10 listeners on one
 * AbortSignal, and a caller may well pass one signal to thousands of sends, on any number of
 * connections. A group goes away with its last command.
 */
export class SignalGroups {
  readonly #groups = new Map<AbortSignal, SignalGroup>();
  readonly #onAbort: (pending: Pending) => void;

  constructor(onAbort: (pending: Pending) => void) {
    this.#onAbort = onAbort;
  }

  add(pending: Pending, signal: AbortSignal): void {
    let group = this.#groups.get(signal);
    if (group === undefined) {
      const members = new Set<Pending>();
      const stop = whenAborted(signal, () => {
        for (const member of [...members]) this.#onAbort(member);
      });
      group = { members, stop };
      this.#groups.set(signal, group);
    }
    group.members.add(pending);
  }

  remove(pending: Pending, signal: AbortSignal): void {
    const group = this.#groups.get(signal);
    if (group === undefined || !group.members.delete(pending) || group.members.size > 0) return;
    this.#groups.delete(signal);
    group.stop();
  }
}
