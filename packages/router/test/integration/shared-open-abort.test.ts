import { type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandaloneRouter } from '../../src/index.js';

// A node's shared connection is opened once for every command waiting on it (single flight): a
// caller that gives up (its AbortSignal fires) must leave the opening to the others.

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

describe('a shared connection being opened', () => {
  it('is not abandoned when the first caller waiting for it aborts', async () => {
    const router = new StandaloneRouter({ address: { host: server.host, port: server.port } });
    try {
      const controller = new AbortController();
      const reason = new Error('the first caller gave up');
      const first = router.dispatch({ args: ['PING', 'first'] }, { signal: controller.signal });
      const second = router.dispatch({ args: ['PING', 'second'] });
      const third = router.dispatchMany([{ args: ['PING', 'third'] }]);
      controller.abort(reason);
      await expect(first).rejects.toBe(reason);
      await expect(second).resolves.toBe('second');
      await expect(third).resolves.toEqual(['third']);
    } finally {
      await router.close();
    }
  });

  it('rejects a caller whose signal is already aborted, and opens for the next', async () => {
    const router = new StandaloneRouter({ address: { host: server.host, port: server.port } });
    try {
      const reason = new Error('aborted before the call');
      await expect(router.dispatch({ args: ['PING'] }, { signal: AbortSignal.abort(reason) })).rejects.toBe(
        reason,
      );
      await expect(router.dispatch({ args: ['PING', 'next'] })).resolves.toBe('next');
    } finally {
      await router.close();
    }
  });
});
