import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { awaitConnect } from './internal/await-connect.js';
import { checkText } from './internal/validate.js';
import { checkOptionKeys, keysOf } from './option-keys.js';
import type { Transport } from './transport.js';

/** Options for {@link unix}. */
export interface UnixOptions {
  /** Path of the server's Unix domain socket (Redis `unixsocket`). */
  readonly path: string;
}

const UNIX_KEYS = keysOf<UnixOptions>({ path: true });

/** A Unix domain socket transport. Throws `InvalidOptionError` without a path, or for an unknown option. */
export function unix(options: UnixOptions): Transport {
  if (typeof options === 'object' && options !== null) checkOptionKeys(options, UNIX_KEYS, 'unix()');
  const path = checkText(options?.path, 'unix()', 'path');
  const label = `unix:${path}`;
  return {
    label,
    async connect(signal?: AbortSignal): Promise<Duplex> {
      signal?.throwIfAborted();
      return awaitConnect(netConnect({ path }), 'connect', label, signal);
    },
  };
}
