import { type FaultProxy, startFaultProxy } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
import { clientKeeper } from '../support/fault-fuzz.js';
import { checkPubSubSchedules } from '../support/pubsub-fuzz.js';

// One server behind one fault proxy; the schedules and what they must keep: support/pubsub-fuzz.ts.

const server = inject('servers').standalone;
const { base: RUNS, runs } = fastCheckRuns(10);
const clients = clientKeeper();
let reconnects = 0;

describe('pub/sub under random faults (fast-check, through a fault proxy)', () => {
  let proxy: FaultProxy;
  let publisher: Client;
  beforeAll(async () => {
    proxy = await startFaultProxy({ host: server.host, port: server.port });
    publisher = createClient({ host: server.host, port: server.port });
  });
  afterAll(async () => {
    await clients.closeAll();
    await publisher.quit();
    await proxy.close();
  });

  it(
    `delivers each message at most once, in order, to its own listeners, and resumes (${RUNS} schedules)`,
    async () => {
      await checkPubSubSchedules([proxy], publisher, runs(RUNS), {
        protocols: [2, 3],
        name: 'psfuzz',
        connect: (protocol) => {
          const subscriber = clients.open({
            port: proxy.port,
            protocol,
            retryStrategy: () => 5,
            commandTimeout: 2_000,
            connectTimeout: 1_000,
          });
          subscriber.on('reconnecting', () => reconnects++);
          return subscriber;
        },
      });
      // The faults broke links (the reads, idempotent, are replayed, so they seldom reject).
      expect(reconnects).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 3_000),
  );
});
