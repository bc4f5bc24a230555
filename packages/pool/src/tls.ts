import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ConnectionOptions as TlsConnectionOptions, connect as tlsConnect } from 'node:tls';
import { InvalidOptionError } from './errors.js';
import { awaitConnect } from './internal/await-connect.js';
import { type TcpOptions, tcpSettings, tuneSocket } from './tcp.js';
import type { Transport } from './transport.js';

/**
 * Options for {@link tls}: the TCP ones, the usual certificate options, and any other
 * `tls.connect` option (ciphers, minVersion, checkServerIdentity, session…).
 */
export interface TlsOptions
  extends TcpOptions,
    Omit<TlsConnectionOptions, 'host' | 'port' | 'path' | 'socket' | 'noDelay' | 'keepAlive'> {
  /**
   * The name the server's certificate must carry (and the SNI sent).
   * @default `host`, unless it is an IP address (then the certificate must name that IP)
   */
  readonly servername?: string;
  /** Certificate authorities to trust instead of Node's bundled ones (PEM). */
  readonly ca?: TlsConnectionOptions['ca'];
  /** Client certificate (PEM), for servers that ask for one (`tls-auth-clients yes`). */
  readonly cert?: TlsConnectionOptions['cert'];
  /** The client certificate's private key (PEM). */
  readonly key?: TlsConnectionOptions['key'];
  /**
   * Refuse a server whose certificate chain or name does not verify. Turn it off only for tests:
   * the link is then encrypted but not authenticated.
   * @default true
   */
  readonly rejectUnauthorized?: boolean;
}

/**
 * A TLS transport. `connect()` resolves only once the handshake is complete and the server's
 * certificate and name are verified; a failure rejects with `ConnectionClosedError` (the TLS
 * error as `cause`). It never falls back to plaintext.
 */
export function tls(options: TlsOptions = {}): Transport {
  const { host, port, noDelay, keepAlive } = tcpSettings(options, 'tls()');
  if (options.rejectUnauthorized !== undefined && typeof options.rejectUnauthorized !== 'boolean') {
    throw new InvalidOptionError('tls(): rejectUnauthorized must be a boolean');
  }
  const { noDelay: _n, keepAlive: _k, host: _h, port: _p, ...rest } = options;
  const servername = options.servername ?? (isIP(host) === 0 ? host : undefined);
  const settings: TlsConnectionOptions = {
    ...rest,
    host,
    port,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  };
  if (servername !== undefined) settings.servername = servername;
  else delete settings.servername;
  const label = `tls://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    label,
    async connect(signal?: AbortSignal): Promise<Duplex> {
      signal?.throwIfAborted();
      const socket = tlsConnect(settings);
      tuneSocket(socket, noDelay, keepAlive);
      return awaitConnect(socket, 'secureConnect', label, signal);
    },
  };
}
