import { ReplyError } from '@fusedis/resp';
import { InvalidOptionError, PoolClosedError, TimeoutError } from './errors.js';
import { Ring } from './internal/ring.js';
import { checkCount, checkMs } from './internal/validate.js';
import { checkOptionKeys, keysOf } from './option-keys.js';
import { whenAborted } from './when-aborted.js';

/** Options for a {@link Pool}. Durations are in milliseconds. */
export interface PoolOptions<T> {
  /**
   * Makes a resource. `signal` aborts when the pool is drained. A rejection releases the permit
   * and rejects the oldest waiter with that error.
   */
  create(signal: AbortSignal): Promise<T>;
  /** Disposes of a resource. Its errors are ignored (the resource is gone either way). */
  destroy(resource: T): Promise<void>;
  /** Most resources alive at once (borrowed + idle + being created). @default 10 */
  readonly max?: number;
  /** Idle eviction never takes the pool below this many resources (none are made up front). @default 0 */
  readonly min?: number;
  /** An idle resource unused this long is destroyed; 0 = never. @default 30_000 */
  readonly idleTimeout?: number;
  /** Longest wait in `acquire()` → `TimeoutError` phase `acquire`; 0 = none. @default 10_000 */
  readonly acquireTimeout?: number;
  /** Checked before an idle resource is handed out and when one is released: false → destroyed. */
  isUsable?(resource: T): boolean;
}

/** A borrowed resource; give it back with `pool.release(lease)`. */
export interface Lease<T> {
  readonly resource: T;
}

/** A snapshot of a pool's counters. */
export interface PoolStats {
  /** Resources alive or being created: the permits in use. */
  readonly open: number;
  /** Resources waiting in the pool. */
  readonly idle: number;
  /** Resources lent out. */
  readonly borrowed: number;
  /** `acquire()` calls waiting for a resource. */
  readonly waiting: number;
  /** Resources being created. */
  readonly creating: number;
  readonly max: number;
}

class PoolLease<T> implements Lease<T> {
  readonly resource: T;
  constructor(resource: T) {
    this.resource = resource;
  }
}

interface Waiter<T> {
  resolve(lease: Lease<T>): void;
  reject(err: unknown): void;
  done: boolean;
  timer: NodeJS.Timeout | undefined;
  /** Stops listening to the caller's signal. */
  stopWaiting: (() => void) | undefined;
}

interface Idle<T> {
  readonly resource: T;
  /** `performance.now()` when it was released. */
  readonly since: number;
}

const WHERE = 'new Pool()';
const POOL_KEYS = keysOf<PoolOptions<unknown>>({
  create: true,
  destroy: true,
  max: true,
  min: true,
  idleTimeout: true,
  acquireTimeout: true,
  isUsable: true,
});

/**
 * A semaphore-sized pool of any resource (connections for blocking commands and transactions).
 *
 * One permit per live resource, released on every failure path (a failed `create` too); the
 * most recently released idle resource goes out first (LIFO, so the rest can age out); waiters
 * are served first come, first served, with a timeout and an AbortSignal; a resource released
 * with an error is destroyed, never reused; timers are unref'd and nothing outlives `drain()`.
 */
export class Pool<T> {
  readonly #create: (signal: AbortSignal) => Promise<T>;
  readonly #destroy: (resource: T) => Promise<void>;
  readonly #isUsable: ((resource: T) => boolean) | undefined;
  readonly #max: number;
  readonly #min: number;
  readonly #idleTimeout: number;
  readonly #acquireTimeout: number;
  /** Idle resources, oldest at index 0, most recent on top. */
  readonly #idle: Idle<T>[] = [];
  readonly #waiters = new Ring<Waiter<T>>();
  #waiting = 0;
  readonly #leases = new Set<PoolLease<T>>();
  #open = 0;
  #creating = 0;
  readonly #destroying = new Set<Promise<void>>();
  #evictTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** `close()` was called: no new borrowers, the waiting ones are still served. */
  #closing: Promise<void> | undefined;
  #noWaiters: (() => void) | undefined;
  #draining: Promise<void> | undefined;
  #quiet: (() => void) | undefined;
  readonly #controller = new AbortController();

  /** Throws `InvalidOptionError` for a bad or unknown option. */
  constructor(options: PoolOptions<T>) {
    if (typeof options?.create !== 'function' || typeof options.destroy !== 'function') {
      throw new InvalidOptionError(`${WHERE}: create and destroy functions are required`);
    }
    checkOptionKeys(options, POOL_KEYS, WHERE);
    this.#create = options.create.bind(options);
    this.#destroy = options.destroy.bind(options);
    if (options.isUsable !== undefined && typeof options.isUsable !== 'function') {
      throw new InvalidOptionError(`${WHERE}: isUsable must be a function`);
    }
    this.#isUsable = options.isUsable?.bind(options);
    this.#max = checkCount(options.max ?? 10, WHERE, 'max', 1);
    this.#min = checkCount(options.min ?? 0, WHERE, 'min', 0);
    if (this.#min > this.#max)
      throw new InvalidOptionError(`${WHERE}: min (${this.#min}) is above max (${this.#max})`);
    this.#idleTimeout = checkMs(options.idleTimeout ?? 30_000, WHERE, 'idleTimeout');
    this.#acquireTimeout = checkMs(options.acquireTimeout ?? 10_000, WHERE, 'acquireTimeout');
  }

  /**
   * Borrows a resource: an idle one (the most recent), a new one while below `max`, or the next
   * one released. Rejects with `PoolClosedError`, `TimeoutError` (phase `acquire`), the error of
   * a failed `create`, or `signal.reason`.
   */
  acquire(signal?: AbortSignal): Promise<Lease<T>> {
    if (this.#closed || this.#closing !== undefined) return Promise.reject(new PoolClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#waiting === 0) {
      const lease = this.#takeIdle();
      if (lease !== undefined) return Promise.resolve(lease);
    }
    return new Promise<Lease<T>>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        done: false,
        timer: undefined,
        stopWaiting: undefined,
      };
      const limit = this.#acquireTimeout;
      if (limit > 0) {
        waiter.timer = setTimeout(
          () => this.#settle(waiter, new TimeoutError('acquire', limit, false)),
          limit,
        );
        waiter.timer.unref();
      }
      if (signal !== undefined) {
        waiter.stopWaiting = whenAborted(signal, () => this.#settle(waiter, signal.reason));
      }
      this.#waiters.push(waiter);
      this.#waiting++;
      this.#grow();
    });
  }

  /**
   * Gives a resource back. With `err` (or when `isUsable` says no, or the pool is drained) it is
   * destroyed instead of reused. Releasing the same lease twice does nothing.
   */
  release(lease: Lease<T>, err?: Error): void {
    if (!(lease instanceof PoolLease) || !this.#leases.delete(lease)) return;
    const resource = lease.resource as T;
    if (err !== undefined || this.#closed || (this.#isUsable !== undefined && !this.#isUsable(resource))) {
      this.#dispose(resource);
      this.#grow();
    } else {
      this.#deliver(resource);
    }
    this.#checkQuiet();
  }

  /**
   * Runs `fn` with a borrowed resource and always gives it back; a throw other than a
   * `ReplyError` (the server refused one command: the connection is fine) destroys it, unless
   * `reusable` says the resource was left fit to lend again (e.g. `leftInStep`).
   */
  async use<R>(
    fn: (resource: T) => Promise<R>,
    signal?: AbortSignal,
    reusable?: (resource: T) => boolean,
  ): Promise<R> {
    const lease = await this.acquire(signal);
    let result: R;
    try {
      result = await fn(lease.resource);
    } catch (err) {
      const keep = err instanceof ReplyError || reusable?.(lease.resource) === true;
      this.release(lease, keep ? undefined : err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    this.release(lease);
    return result;
  }

  /**
   * Closes the pool gracefully: new `acquire()` calls reject with `PoolClosedError`, while the
   * callers already waiting are still served (resources are made for them as usual); once none
   * waits, it drains (below). Resolves once every resource is destroyed. Idempotent; `drain()`
   * meanwhile closes at once.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    if (this.#waiting === 0 || this.#closed) {
      this.#closing = this.drain();
    } else {
      this.#closing = new Promise<void>((resolve) => {
        this.#noWaiters = resolve;
      }).then(() => this.drain());
    }
    return this.#closing;
  }

  /**
   * Closes the pool: waiters reject with `PoolClosedError`, idle resources are destroyed, borrowed
   * ones are destroyed as they come back, creations in flight are aborted. Resolves once every
   * resource is destroyed. Idempotent.
   */
  drain(): Promise<void> {
    if (this.#draining !== undefined) return this.#draining;
    this.#closed = true;
    if (this.#evictTimer !== undefined) clearTimeout(this.#evictTimer);
    this.#evictTimer = undefined;
    this.#controller.abort(new PoolClosedError());
    for (let waiter = this.#nextWaiter(); waiter !== undefined; waiter = this.#nextWaiter()) {
      this.#settle(waiter, new PoolClosedError());
    }
    for (const idle of this.#idle.splice(0)) this.#dispose(idle.resource);
    this.#draining = this.#drain();
    return this.#draining;
  }

  async #drain(): Promise<void> {
    if (this.#leases.size > 0 || this.#creating > 0) {
      await new Promise<void>((resolve) => {
        this.#quiet = resolve;
      });
    }
    while (this.#destroying.size > 0) await Promise.allSettled([...this.#destroying]);
  }

  /** The pool's counters now. */
  stats(): PoolStats {
    return {
      open: this.#open,
      idle: this.#idle.length,
      borrowed: this.#leases.size,
      waiting: this.#waiting,
      creating: this.#creating,
      max: this.#max,
    };
  }

  #takeIdle(): Lease<T> | undefined {
    for (let idle = this.#idle.pop(); idle !== undefined; idle = this.#idle.pop()) {
      if (this.#isUsable === undefined || this.#isUsable(idle.resource)) return this.#lend(idle.resource);
      this.#dispose(idle.resource);
    }
    return undefined;
  }

  #lend(resource: T): PoolLease<T> {
    const lease = new PoolLease(resource);
    this.#leases.add(lease);
    return lease;
  }

  /** Starts creations while waiters outnumber them and permits are left. */
  #grow(): void {
    while (!this.#closed && this.#waiting > this.#creating && this.#open < this.#max) {
      this.#open++;
      this.#creating++;
      new Promise<T>((resolve) => resolve(this.#create(this.#controller.signal))).then(
        (resource) => {
          this.#creating--;
          if (this.#closed) this.#dispose(resource);
          else this.#deliver(resource);
          this.#checkQuiet();
        },
        (err: unknown) => {
          this.#creating--;
          this.#open--;
          const waiter = this.#nextWaiter();
          if (waiter !== undefined) this.#settle(waiter, err);
          this.#grow();
          this.#checkQuiet();
        },
      );
    }
  }

  /** A resource is free: to the oldest waiter, else on top of the idle stack. */
  #deliver(resource: T): void {
    const waiter = this.#nextWaiter();
    if (waiter !== undefined) {
      this.#settle(waiter, undefined, this.#lend(resource));
      return;
    }
    this.#idle.push({ resource, since: performance.now() });
    this.#scheduleEviction();
  }

  #nextWaiter(): Waiter<T> | undefined {
    for (let waiter = this.#waiters.shift(); waiter !== undefined; waiter = this.#waiters.shift()) {
      if (!waiter.done) return waiter;
    }
    return undefined;
  }

  /** Settles a waiter once: with a lease, or with an error (its lease, if any, is not taken). */
  #settle(waiter: Waiter<T>, err: unknown, lease?: PoolLease<T>): void {
    if (waiter.done) return;
    waiter.done = true;
    this.#waiting--;
    if (this.#waiting === 0 && this.#noWaiters !== undefined) {
      const closeNow = this.#noWaiters;
      this.#noWaiters = undefined;
      closeNow();
    }
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    waiter.stopWaiting?.();
    if (lease !== undefined) waiter.resolve(lease);
    else waiter.reject(err);
  }

  /** Destroys a resource and frees its permit; `drain()` waits for the destruction. */
  #dispose(resource: T): void {
    this.#open--;
    const done = new Promise<void>((resolve) => resolve(this.#destroy(resource))).catch(() => {});
    this.#destroying.add(done);
    void done.then(() => this.#destroying.delete(done));
  }

  #scheduleEviction(): void {
    if (this.#evictTimer !== undefined || this.#idleTimeout === 0 || this.#closed) return;
    const oldest = this.#idle[0];
    if (oldest === undefined) return;
    const wait = Math.max(1, Math.ceil(oldest.since + this.#idleTimeout - performance.now()));
    this.#evictTimer = setTimeout(() => this.#evict(), wait).unref();
  }

  /** Destroys idle resources past `idleTimeout`, oldest first, keeping `min` alive. */
  #evict(): void {
    this.#evictTimer = undefined;
    const now = performance.now();
    let expired = 0;
    while (
      expired < this.#idle.length &&
      this.#open - expired > this.#min &&
      (this.#idle[expired] as Idle<T>).since + this.#idleTimeout <= now + 1
    ) {
      expired++;
    }
    for (const idle of this.#idle.splice(0, expired)) this.#dispose(idle.resource);
    if (this.#open > this.#min) this.#scheduleEviction();
  }

  #checkQuiet(): void {
    if (this.#quiet !== undefined && this.#leases.size === 0 && this.#creating === 0) {
      const quiet = this.#quiet;
      this.#quiet = undefined;
      quiet();
    }
  }
}
