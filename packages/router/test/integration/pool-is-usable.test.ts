import { type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandaloneRouter } from '../../src/index.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

describe('pool.isUsable', () => {
  it('is asked, beside the router’s own check, before a pooled connection is reused', async () => {
    let asked = 0;
    const router = new StandaloneRouter({
      address: { host: server.host, port: server.port },
      pool: {
        isUsable: () => {
          asked++;
          return false;
        },
      },
    });
    try {
      const first = await router.withDedicated([], async (c) => c.clientId);
      const second = await router.withDedicated([], async (c) => c.clientId);
      expect(asked).toBeGreaterThan(0);
      expect(second).not.toBe(first); // refused on release: destroyed, not lent again
    } finally {
      await router.close();
    }
  });
});
