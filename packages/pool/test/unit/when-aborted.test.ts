import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Pool, whenAborted } from '../../src/index.js';

describe('whenAborted', () => {
  it('tells every caller of one signal through one listener, which goes with the last', () => {
    const controller = new AbortController();
    const told: number[] = [];
    const stops = Array.from({ length: 50 }, (_, i) => whenAborted(controller.signal, () => told.push(i)));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const stop of stops.slice(0, 49)) stop();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    stops[49]?.();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(told).toEqual([]);
  });

  it('calls each caller still waiting once, in order, and stopping afterwards is harmless', () => {
    const controller = new AbortController();
    const told: string[] = [];
    const handler = (): void => {
      told.push('same');
    };
    const first = whenAborted(controller.signal, handler);
    const second = whenAborted(controller.signal, handler); // the same function twice: two callers
    const gone = whenAborted(controller.signal, () => told.push('gone'));
    whenAborted(controller.signal, () => told.push('last'));
    gone();
    gone(); // idempotent: must not stop another caller
    controller.abort();
    expect(told).toEqual(['same', 'same', 'last']);
    first();
    second();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // A new signal's callers start afresh.
    const next = new AbortController();
    whenAborted(next.signal, () => told.push('next'));
    next.abort();
    expect(told).toEqual(['same', 'same', 'last', 'next']);
  });

  it('keeps one listener for a pool’s waiters sharing a signal, and rejects them all on abort', async () => {
    const pool = new Pool<object>({
      max: 1,
      create: async () => ({}),
      destroy: async () => {},
    });
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiters = Array.from({ length: 20 }, () => pool.acquire(controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('shutdown');
    controller.abort(reason);
    for (const waiter of waiters) await expect(waiter).rejects.toBe(reason);
    pool.release(held);
    await pool.drain();
  });
});
