import { type FaultProxy, startFaultProxy } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
import { checkFaultSchedules, clientKeeper } from '../support/fault-fuzz.js';

// One server behind one fault proxy; the schedules and what they must keep: support/fault-fuzz.ts.

const server = inject('servers').standalone;
const { base: RUNS, runs } = fastCheckRuns(20);
const clients = clientKeeper();

describe('client under random faults (fast-check, through a fault proxy)', () => {
  let proxy: FaultProxy;
  let admin: Client;
  beforeAll(async () => {
    proxy = await startFaultProxy({ host: server.host, port: server.port });
    admin = createClient({ host: server.host, port: server.port });
  });
  afterAll(async () => {
    await clients.closeAll();
    await admin.quit();
    await proxy.close();
  });

  it(
    `keeps every promise, never doubles a write, never misdelivers a reply (${RUNS} schedules)`,
    async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', onUnhandled);
      try {
        await checkFaultSchedules([proxy], admin, runs(RUNS), (options) =>
          clients.open({ port: proxy.port, retryStrategy: () => 5, ...options }),
        );
        // Rejections are reported a turn late: give them one.
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    },
    // ~80 ms a schedule here: room for slow machines and a raised FC_NUM_RUNS.
    Math.max(60_000, RUNS * 500),
  );
});
