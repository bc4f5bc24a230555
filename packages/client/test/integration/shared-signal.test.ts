import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { startFaultProxy } from '@fusedis/test-harness';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';

/**
 * One AbortSignal handed to many calls at once — an application's shutdown signal given to every
 * worker's `BLPOP` — must not add a listener per call: Node warns past 10 listeners on one signal
 * (`MaxListenersExceededWarning: Possible EventTarget memory leak detected`), which reads as a
 * leak in the user's logs. Commands on the shared connection already share one listener; these
 * are the other paths a call can wait on.
 */
const server = inject('servers').standalone;
const opened: Client[] = [];

afterAll(async () => {
  await Promise.all(opened.map((client) => client.quit().catch(() => {})));
});

const CALLS = 40;

/** The abort listeners on `signal` while `calls` are pending, then each call's outcome after `abort`. */
async function listenersThenAbort(
  controller: AbortController,
  calls: Promise<unknown>[],
  pending: () => Promise<void>,
): Promise<{ listeners: number; outcomes: unknown[]; after: number }> {
  await pending();
  const listeners = getEventListeners(controller.signal, 'abort').length;
  const reason = new Error(`shutdown ${randomUUID()}`);
  controller.abort(reason);
  const outcomes = await Promise.all(
    calls.map((call) =>
      call.then(
        () => 'resolved',
        (err: unknown) => err === reason,
      ),
    ),
  );
  return { listeners, outcomes, after: getEventListeners(controller.signal, 'abort').length };
}

describe('one AbortSignal shared by many pending calls', () => {
  it('blocking commands on pooled connections, and those waiting for one, add one listener in all', async () => {
    const client = createClient({ host: server.host, port: server.port, pool: { max: 8 } });
    opened.push(client);
    const controller = new AbortController();
    const view = client.withOptions({ signal: controller.signal });
    const key = `shared-signal:${randomUUID()}`;
    // 8 hold the pool's connections, blocked on the server; 32 wait for one of them.
    const calls = Array.from({ length: CALLS }, () => view.blpop([key], 0));
    const result = await listenersThenAbort(controller, calls, async () => {
      const deadline = performance.now() + 5_000;
      while (performance.now() < deadline) {
        const info = String(await client.call('INFO', 'clients'));
        if (/blocked_clients:8\b/.test(info)) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error('the pool never had 8 blocked connections');
    });
    expect(result.listeners).toBe(1);
    expect(result.outcomes).toEqual(Array.from({ length: CALLS }, () => true));
    expect(result.after).toBe(0);
  });

  it('commands waiting for the connection to come back add one listener in all', async () => {
    const proxy = await startFaultProxy({ host: server.host, port: server.port });
    try {
      const client = createClient({ host: proxy.host, port: proxy.port, retryStrategy: () => 50 });
      opened.push(client);
      client.on('error', () => {});
      await client.ping();
      proxy.setMode('refuse');
      proxy.resetAll();
      const controller = new AbortController();
      const view = client.withOptions({ signal: controller.signal });
      const calls = Array.from({ length: CALLS }, (_, i) => view.get(`shared-signal:${i}`));
      const result = await listenersThenAbort(controller, calls, async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
      });
      expect(result.listeners).toBe(1);
      expect(result.outcomes).toEqual(Array.from({ length: CALLS }, () => true));
      expect(result.after).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});
