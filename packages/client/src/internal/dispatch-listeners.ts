/**
 * The push and ready listeners a dispatcher keeps for the client's pub/sub: one copy for
 * `StandaloneDispatch` and `RouterDispatch`, which fire them at their own moments.
 */
export class DispatchListeners {
  readonly #push = new Set<(push: unknown[]) => void>();
  readonly #ready = new Set<() => void>();

  /** Calls `listener` with every out-of-band push; returns the unsubscribe. */
  onPush(listener: (push: unknown[]) => void): () => void {
    this.#push.add(listener);
    return () => this.#push.delete(listener);
  }

  /** Calls `listener` each time the dispatcher becomes ready; returns the unsubscribe. */
  onReady(listener: () => void): () => void {
    this.#ready.add(listener);
    return () => this.#ready.delete(listener);
  }

  emitPush(push: unknown[]): void {
    for (const listener of this.#push) listener(push);
  }

  emitReady(): void {
    for (const listener of this.#ready) listener();
  }
}
