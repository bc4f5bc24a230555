import { TimeoutError } from '../errors.js';
import type { Pending } from './pending.js';
import type { Ring } from './ring.js';

/**
 * The one command-timeout timer of a connection (a timer per command costs node-redis 3.7× on
 * concurrent GETs). It is armed for the earliest deadline it was told about; when it fires it
 * expires every written command that is due, keeping their FIFO slots, and re-arms for the
 * earliest deadline left. A deadline later than the armed one costs one comparison.
 */
export class DeadlineTimer {
  readonly #ring: Ring<Pending>;
  #timer: NodeJS.Timeout | undefined;
  #at = Number.POSITIVE_INFINITY;
  readonly #fire = (): void => this.#sweep();

  constructor(ring: Ring<Pending>) {
    this.#ring = ring;
  }

  /** A command was written with this deadline (`performance.now()` based). */
  watch(deadline: number, now: number): void {
    if (deadline < this.#at) this.#arm(deadline, now);
  }

  /** Expires what is due now (before the connection is declared dead), then re-arms. */
  expireDue(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#sweep();
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
  }

  #arm(at: number, now: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#at = at;
    this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(at - now))).unref();
  }

  #sweep(): void {
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
    const ring = this.#ring;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < ring.length; i++) {
      const pending = ring.at(i) as Pending;
      if (pending.done || pending.deadline === 0) continue;
      // Timers may fire up to a millisecond early (they round): count that as due.
      if (pending.deadline <= now + 1) pending.fail(new TimeoutError('command', pending.timeout, true));
      else if (pending.deadline < next) next = pending.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next, now);
  }
}
