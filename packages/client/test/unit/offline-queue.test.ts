import { describe, expect, it } from 'vitest';
import { QueueFullError, TimeoutError } from '../../src/index.js';
import { commandBytes, OfflineQueue } from '../../src/internal/offline-queue.js';

const GET = { args: ['GET', 'key'] };

describe('OfflineQueue', () => {
  it('hands entries back in order and frees their share of the caps', async () => {
    const queue = new OfflineQueue(10, 10_000);
    const a = queue.push(GET, undefined, 0);
    const b = queue.push(undefined, [GET, GET], 0);
    expect(queue.size).toBe(3);
    expect(queue.bytes).toBe(3 * commandBytes(GET));
    const entries = queue.takeAll();
    expect(entries.map((e) => (e.cmd === undefined ? 'batch' : 'one'))).toEqual(['one', 'batch']);
    expect(queue.size).toBe(0);
    expect(queue.bytes).toBe(0);
    entries[0]?.resolve('A');
    entries[1]?.resolve(['B', 'C']);
    expect(await a).toBe('A');
    expect(await b).toEqual(['B', 'C']);
  });

  it('refuses past the count cap and past the byte cap with QueueFullError', async () => {
    const queue = new OfflineQueue(2, 1_000);
    const kept = [queue.push(GET, undefined, 0), queue.push(GET, undefined, 0)];
    await expect(queue.push(GET, undefined, 0)).rejects.toBeInstanceOf(QueueFullError);
    await expect(queue.push(undefined, [GET, GET], 0)).rejects.toBeInstanceOf(QueueFullError);
    const bytes = new OfflineQueue(100, 1_000);
    const err = await bytes
      .push({ args: ['SET', 'k', Buffer.alloc(2_000)] }, undefined, 0)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueFullError);
    expect((err as QueueFullError).limit).toBe(1_000);
    queue.rejectAll(new Error('closed'));
    await expect(Promise.all(kept)).rejects.toThrow('closed');
  });

  it('rejects an aborted entry with signal.reason and skips it later', async () => {
    const queue = new OfflineQueue(10, 10_000);
    const controller = new AbortController();
    const aborted = queue.push(GET, undefined, 0, controller.signal);
    const kept = queue.push(GET, undefined, 0);
    controller.abort(new Error('changed my mind'));
    await expect(aborted).rejects.toThrow('changed my mind');
    expect(queue.size).toBe(1);
    const entries = queue.takeAll();
    expect(entries).toHaveLength(1);
    entries[0]?.resolve('ok');
    expect(await kept).toBe('ok');
    const already = AbortSignal.abort(new Error('before'));
    await expect(queue.push(GET, undefined, 0, already)).rejects.toThrow('before');
  });

  it('times entries out with one timer, as not written', async () => {
    const queue = new OfflineQueue(10, 10_000);
    const started = performance.now();
    const short = queue.push(GET, undefined, 30);
    const long = queue.push(GET, undefined, 80);
    const none = queue.push(GET, undefined, 0);
    const err = await short.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ phase: 'command', written: false, timeout: 30 });
    await expect(long).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(queue.size).toBe(1);
    queue.rejectAll(new Error('end'));
    await expect(none).rejects.toThrow('end');
  });
});
