import { type Pending, SUBSCRIBE } from './pending.js';
import type { Ring } from './ring.js';

/**
 * Declares a link dead when a reply is due and no byte comes (a cable pulled, a peer gone with no
 * FIN or RST: without this, commands would time out one by one until TCP keepalive notices).
 *
 * The rule: the next reply belongs to the head of the reply queue. When that command has a
 * timeout (`timeout > 0`) and no byte has arrived for `max(commandTimeout, its timeout)` since
 * it was written or since the last byte (whichever is later), the link is dead. Any byte resets
 * the clock, so a huge reply arriving slowly is fine; a head with no timeout (a blocking command
 * with `timeout: 0`) never makes the link look dead; a per-command timeout shorter than
 * `commandTimeout` (e.g. 100 ms on a DEBUG SLEEP) expires that command but does not shorten the
 * window. `commandTimeout: 0` turns the watch off.
 *
 * Cost: one `performance.now()` per chunk received and one boolean test per command written;
 * the timer is armed only while a reply is due, re-armed for the head's own window when it fires.
 */
export class StallWatch {
  readonly #ring: Ring<Pending>;
  readonly #window: number;
  readonly #onStall: (silence: number) => void;
  #timer: NodeJS.Timeout | undefined;
  /** Off until the handshake is over (the connect timeout covers it), and for window 0. */
  #on = false;
  /** `performance.now()` when the last chunk arrived. */
  lastByte = 0;
  readonly #fire = (): void => this.#check();

  constructor(ring: Ring<Pending>, window: number, onStall: (silence: number) => void) {
    this.#ring = ring;
    this.#window = window;
    this.#onStall = onStall;
  }

  /** On (`commandTimeout > 0`) and not watching yet: a write should `start()` it. */
  get needsStart(): boolean {
    return this.#timer === undefined && this.#on;
  }

  /** The connection is open: watch from now on (unless the window is 0). */
  enable(): void {
    this.#on = this.#window > 0;
  }

  /** A command was written and no timer runs: look again once a window has passed. */
  start(): void {
    this.#timer = setTimeout(this.#fire, this.#window).unref();
  }

  stop(): void {
    this.#on = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    this.#timer = undefined;
    const head = this.#head();
    // Nothing due, or the head may wait forever: stay quiet until the next write.
    if (head === undefined || head.timeout === 0) return;
    const now = performance.now();
    const since = Math.max(head.deadline - head.timeout, this.lastByte);
    const window = Math.max(this.#window, head.timeout);
    const due = since + window;
    // Timers may fire up to a millisecond early (they round): count that as due.
    if (due <= now + 1) this.#onStall(window);
    else this.#timer = setTimeout(this.#fire, Math.ceil(due - now)).unref();
  }

  /** The command the next reply belongs to (a subscribe already confirmed is over). */
  #head(): Pending | undefined {
    const ring = this.#ring;
    for (let i = 0; i < ring.length; i++) {
      const pending = ring.at(i) as Pending;
      if (pending.kind !== SUBSCRIBE || pending.received === 0) return pending;
    }
    return undefined;
  }
}
