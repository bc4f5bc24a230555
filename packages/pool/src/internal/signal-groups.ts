import type { Pending } from './pending.js';

/** The commands of one connection that share one AbortSignal, behind one listener. */
class SignalGroup {
  readonly members = new Set<Pending>();
  readonly #onAbort: (pending: Pending) => void;

  constructor(onAbort: (pending: Pending) => void) {
    this.#onAbort = onAbort;
  }

  handleEvent(): void {
    for (const pending of [...this.members]) this.#onAbort(pending);
  }
}

/**
 * One abort listener per signal per connection, however many commands share the signal: Node
 * warns past 10 listeners on one AbortSignal, and a caller may well pass one signal to thousands
 * of sends. A group (and its listener) goes away with its last command.
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
      group = new SignalGroup(this.#onAbort);
      this.#groups.set(signal, group);
      signal.addEventListener('abort', group, { once: true });
    }
    group.members.add(pending);
  }

  remove(pending: Pending, signal: AbortSignal): void {
    const group = this.#groups.get(signal);
    if (group === undefined || !group.members.delete(pending) || group.members.size > 0) return;
    this.#groups.delete(signal);
    signal.removeEventListener('abort', group);
  }
}
