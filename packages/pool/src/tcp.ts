import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { InvalidOptionError } from './errors.js';
import { awaitConnect } from './internal/await-connect.js';
import { checkMs, checkPort, checkText } from './internal/validate.js';
import { checkOptionKeys, keysOf } from './option-keys.js';
import type { Transport } from './transport.js';

/** Options for {@link tcp}. */
export interface TcpOptions {
  /** Host name or IP address. @default '127.0.0.1' */
  readonly host?: string;
  /** TCP port. @default 6379 */
  readonly port?: number;
  /** Disable Nagle's algorithm, so small commands leave at once. @default true */
  readonly noDelay?: boolean;
  /**
   * TCP keep-alive: the idle time before the first probe, in milliseconds, or `false` for none.
   * @default 10_000
   */
  readonly keepAlive?: number | false;
}

/** Applies `noDelay` and `keepAlive` to a socket (TCP or TLS). */
export function tuneSocket(socket: Socket, noDelay: boolean, keepAlive: number | false): void {
  socket.setNoDelay(noDelay);
  if (keepAlive !== false) socket.setKeepAlive(true, keepAlive);
}

/** Reads and checks the options TCP and TLS share. */
export function tcpSettings(
  options: TcpOptions,
  where: string,
): { host: string; port: number; noDelay: boolean; keepAlive: number | false } {
  const host = checkText(options.host ?? '127.0.0.1', where, 'host');
  const port = checkPort(options.port ?? 6379, where);
  const keepAlive =
    options.keepAlive === false ? false : checkMs(options.keepAlive ?? 10_000, where, 'keepAlive');
  const noDelay = options.noDelay ?? true;
  if (typeof noDelay !== 'boolean') throw new InvalidOptionError(`${where}: noDelay must be a boolean`);
  return { host, port, noDelay, keepAlive };
}

const TCP_KEYS = keysOf<TcpOptions>({ host: true, port: true, noDelay: true, keepAlive: true });

/** A plain TCP transport. Throws `InvalidOptionError` for a bad host or port, or an unknown option. */
export function tcp(options: TcpOptions = {}): Transport {
  // Only here, not in tcpSettings: tls() passes node's own tls.connect options through.
  if (typeof options === 'object' && options !== null) checkOptionKeys(options, TCP_KEYS, 'tcp()');
  const { host, port, noDelay, keepAlive } = tcpSettings(options, 'tcp()');
  const label = `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    label,
    async connect(signal?: AbortSignal): Promise<Duplex> {
      signal?.throwIfAborted();
      const socket = netConnect({ host, port });
      tuneSocket(socket, noDelay, keepAlive);
      return awaitConnect(socket, 'connect', label, signal);
    },
  };
}
