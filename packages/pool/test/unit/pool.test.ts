import { ReplyError } from '@fusedis/resp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidOptionError,
  Pool,
  PoolClosedError,
  type PoolOptions,
  TimeoutError,
} from '../../src/index.js';

interface Thing {
  readonly id: number;
  destroyed: boolean;
}

/** A pool of plain objects that records what it made and destroyed. */
function thingPool(options: Partial<PoolOptions<Thing>> = {}): {
  pool: Pool<Thing>;
  made: Thing[];
  destroyed: Thing[];
} {
  const made: Thing[] = [];
  const destroyed: Thing[] = [];
  const pool = new Pool<Thing>({
    create: async () => {
      const thing = { id: made.length + 1, destroyed: false };
      made.push(thing);
      return thing;
    },
    destroy: async (thing) => {
      thing.destroyed = true;
      destroyed.push(thing);
    },
    ...options,
  });
  pools.push(pool);
  return { pool, made, destroyed };
}

const pools: Pool<Thing>[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.drain();
});

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Pool', () => {
  it('validates its options up front', () => {
    const create = async (): Promise<number> => 1;
    const destroy = async (): Promise<void> => {};
    expect(() => new Pool({ create, destroy, max: 0 })).toThrow(InvalidOptionError);
    expect(() => new Pool({ create, destroy, max: 2, min: 3 })).toThrow(/min/);
    expect(() => new Pool({ create, destroy, idleTimeout: -1 })).toThrow(InvalidOptionError);
    expect(() => new Pool({ create, destroy: undefined } as never)).toThrow(InvalidOptionError);
  });

  it('reuses the most recently released resource first (LIFO)', async () => {
    const { pool } = thingPool({ max: 3 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    const c = await pool.acquire();
    pool.release(a);
    pool.release(c);
    pool.release(b);
    const again = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    expect(again.map((lease) => lease.resource.id)).toEqual([b, c, a].map((lease) => lease.resource.id));
    for (const lease of again) pool.release(lease);
  });

  it('serves waiters first come, first served, and never exceeds max', async () => {
    const { pool, made } = thingPool({ max: 1 });
    const first = await pool.acquire();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) =>
      pool.acquire().then((lease) => {
        order.push(n);
        pool.release(lease);
      }),
    );
    await tick();
    expect(pool.stats()).toMatchObject({ open: 1, borrowed: 1, waiting: 3 });
    pool.release(first);
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    expect(made).toHaveLength(1);
  });

  it('rejects a waiter with TimeoutError (phase acquire) after acquireTimeout', async () => {
    const { pool } = thingPool({ max: 1, acquireTimeout: 30 });
    const held = await pool.acquire();
    const started = performance.now();
    const err = await pool.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ phase: 'acquire', timeout: 30, written: false, code: 'ERR_TIMEOUT' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(pool.stats().waiting).toBe(0);
    pool.release(held);
  });

  it('rejects a waiter with signal.reason when aborted, and a pre-aborted signal at once', async () => {
    const { pool } = thingPool({ max: 1 });
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    const reason = new Error('changed my mind');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await expect(pool.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
    pool.release(held);
    // The aborted waiter did not take the released resource.
    expect(pool.stats()).toMatchObject({ idle: 1, borrowed: 0, waiting: 0 });
  });

  it('destroys a resource released with an error instead of reusing it', async () => {
    const { pool, destroyed } = thingPool({ max: 2 });
    const lease = await pool.acquire();
    pool.release(lease, new Error('broken while borrowed'));
    await tick();
    expect(destroyed.map((t) => t.id)).toEqual([lease.resource.id]);
    const next = await pool.acquire();
    expect(next.resource.id).not.toBe(lease.resource.id);
    pool.release(next);
    pool.release(lease); // twice: ignored
    expect(pool.stats()).toMatchObject({ open: 1, idle: 1, borrowed: 0 });
  });

  it('use() releases on success, keeps the resource on a ReplyError, destroys it on other throws', async () => {
    const { pool, destroyed } = thingPool({ max: 1 });
    expect(await pool.use(async (thing) => thing.id)).toBe(1);
    await expect(
      pool.use(async () => {
        throw new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value');
      }),
    ).rejects.toBeInstanceOf(ReplyError);
    expect(destroyed).toHaveLength(0);
    await expect(
      pool.use(async () => {
        throw new Error('socket died');
      }),
    ).rejects.toThrow('socket died');
    await tick();
    expect(destroyed.map((t) => t.id)).toEqual([1]);
    expect(pool.stats()).toMatchObject({ open: 0, borrowed: 0 });
  });

  it('releases the permit when create fails, and rejects the waiter with the error', async () => {
    let fail = true;
    const pool = new Pool<number>({
      max: 1,
      create: async () => {
        if (fail) throw new Error('server down');
        return 7;
      },
      destroy: async () => {},
    });
    await expect(pool.acquire()).rejects.toThrow('server down');
    expect(pool.stats()).toMatchObject({ open: 0, creating: 0, waiting: 0 });
    fail = false;
    const lease = await pool.acquire();
    expect(lease.resource).toBe(7);
    pool.release(lease);
    await pool.drain();
  });

  it('checks isUsable before lending an idle resource', async () => {
    const { pool, destroyed } = thingPool({ max: 2, isUsable: (thing) => thing.id !== 1 });
    const first = await pool.acquire();
    expect(first.resource.id).toBe(1);
    pool.release(first); // not usable: destroyed on release
    await tick();
    expect(destroyed.map((t) => t.id)).toEqual([1]);
    const second = await pool.acquire();
    expect(second.resource.id).toBe(2);
    pool.release(second);
  });

  it('evicts idle resources past idleTimeout, oldest first, keeping min', async () => {
    const { pool, destroyed } = thingPool({ max: 3, min: 1, idleTimeout: 40 });
    const leases = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    for (const lease of leases) pool.release(lease);
    expect(pool.stats().idle).toBe(3);
    await tick(120);
    expect(destroyed.map((t) => t.id)).toEqual([1, 2]);
    expect(pool.stats()).toMatchObject({ open: 1, idle: 1 });
  });

  it('drain() rejects waiters, destroys idle and borrowed ones on release, and then refuses', async () => {
    const { pool, made, destroyed } = thingPool({ max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(b);
    const lent = await pool.acquire(); // b again
    pool.release(lent);
    const c = await pool.acquire();
    const waiting = pool.acquire();
    const drained = pool.drain();
    await expect(waiting).rejects.toBeInstanceOf(PoolClosedError);
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'ERR_POOL_CLOSED' });
    let done = false;
    void drained.then(() => {
      done = true;
    });
    await tick();
    expect(done).toBe(false); // a and c are still borrowed
    pool.release(a);
    pool.release(c);
    await drained;
    expect(destroyed).toHaveLength(made.length);
    expect(pool.stats()).toMatchObject({ open: 0, idle: 0, borrowed: 0, waiting: 0, creating: 0 });
  });

  it('drain() aborts a creation in flight through its signal', async () => {
    let seen: AbortSignal | undefined;
    const pool = new Pool<number>({
      create: (signal) =>
        new Promise((_resolve, reject) => {
          seen = signal;
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
      destroy: async () => {},
    });
    const waiting = pool.acquire();
    await tick();
    await pool.drain();
    await expect(waiting).rejects.toBeInstanceOf(PoolClosedError);
    expect(seen?.aborted).toBe(true);
    expect(pool.stats().open).toBe(0);
  });
  it('close() still serves the callers already waiting, refuses new ones, then destroys everything', async () => {
    const { pool, made, destroyed } = thingPool({ max: 1 });
    const held = await pool.acquire();
    const first = pool.acquire();
    const second = pool.acquire();
    const closed = pool.close();
    expect(pool.close()).toBe(closed); // idempotent
    await expect(pool.acquire()).rejects.toBeInstanceOf(PoolClosedError);
    pool.release(held);
    const a = await first;
    expect(a.resource).toBe(held.resource); // the waiter got the resource given back, not a new one
    pool.release(a);
    const b = await second;
    let done = false;
    void closed.then(() => {
      done = true;
    });
    await tick();
    expect(done).toBe(false); // b is still borrowed
    pool.release(b);
    await closed;
    expect(made).toHaveLength(1);
    expect(destroyed).toEqual(made);
    expect(pool.stats()).toMatchObject({ open: 0, idle: 0, borrowed: 0, waiting: 0, creating: 0 });
  });

  it('close() makes a resource for a caller waiting on a creation, and with nobody waiting drains at once', async () => {
    const { pool, made, destroyed } = thingPool({ max: 2 });
    const waiting = pool.acquire(); // creation in flight
    const closed = pool.close();
    const lease = await waiting;
    expect(lease.resource.destroyed).toBe(false);
    pool.release(lease);
    await closed;
    expect(destroyed).toEqual(made);

    const idle = thingPool();
    idle.pool.release(await idle.pool.acquire());
    expect(idle.pool.stats().idle).toBe(1);
    await idle.pool.close();
    expect(idle.made).toHaveLength(1);
    expect(idle.destroyed).toEqual(idle.made);
  });

  it('drain() during close() rejects the callers still waiting', async () => {
    const { pool } = thingPool({ max: 1 });
    const held = await pool.acquire();
    const waiting = pool.acquire();
    const closed = pool.close();
    const drained = pool.drain();
    await expect(waiting).rejects.toBeInstanceOf(PoolClosedError);
    pool.release(held);
    await Promise.all([closed, drained]);
    expect(pool.stats().open).toBe(0);
  });
});
