import { InvalidOptionError } from '@fusedis/pool';
import type { ClientOptions } from './client-options.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Query options a URL may carry, and how each is read. */
const QUERY: Readonly<Record<string, (options: Writable<ClientOptions>, value: string) => void>> = {
  db: (o, v) => {
    o.db = integer(v, 'db');
  },
  protocol: (o, v) => {
    if (v !== '2' && v !== '3') throw new InvalidOptionError(`url: protocol must be 2 or 3, not ${v}`);
    o.protocol = v === '2' ? 2 : 3;
  },
  username: (o, v) => {
    o.username = v;
  },
  password: (o, v) => {
    o.password = v;
  },
  commandTimeout: (o, v) => {
    o.commandTimeout = integer(v, 'commandTimeout');
  },
  connectTimeout: (o, v) => {
    o.connectTimeout = integer(v, 'connectTimeout');
  },
  clientName: (o, v) => {
    o.clientName = v;
  },
  keyPrefix: (o, v) => {
    o.keyPrefix = v;
  },
  lazyConnect: (o, v) => {
    o.lazyConnect = boolean(v, 'lazyConnect');
  },
  autoPipelining: (o, v) => {
    o.autoPipelining = boolean(v, 'autoPipelining');
  },
  returnBuffers: (o, v) => {
    o.returnBuffers = boolean(v, 'returnBuffers');
  },
  decoder: (o, v) => {
    if (v !== 'auto' && v !== 'js' && v !== 'native') {
      throw new InvalidOptionError(`url: decoder must be auto, js or native, not ${v}`);
    }
    o.decoder = v;
  },
};

/**
 * Reads a connection URL into client options:
 *
 * - `redis://[[username][:password]@]host[:port][/db][?option=value&…]`
 * - `rediss://…` — the same over TLS (never plaintext)
 * - `unix:///path/to/redis.sock[?db=1&password=…]`
 *
 * User and password are percent-decoded. Query options: `db`, `protocol`, `username`,
 * `password`, `commandTimeout`, `connectTimeout`, `clientName`, `keyPrefix`, `lazyConnect`,
 * `autoPipelining`, `returnBuffers`, `decoder`; any other name is refused (a typo must not pass
 * silently). Throws `InvalidOptionError`; the message never contains the password.
 */
export function parseRedisUrl(url: string): ClientOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The text may hold a password: say what is wrong without echoing it.
    throw new InvalidOptionError('url: not a valid URL (expected redis://, rediss:// or unix://)');
  }
  const options: Writable<ClientOptions> = {};
  const scheme = parsed.protocol;
  if (scheme === 'redis:' || scheme === 'rediss:') {
    if (parsed.hostname !== '') options.host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    if (parsed.port !== '') options.port = Number(parsed.port);
    if (scheme === 'rediss:') options.tls = true;
    const db = parsed.pathname.replace(/^\//, '');
    if (db !== '') options.db = integer(db, 'db');
  } else if (scheme === 'unix:') {
    if (parsed.pathname === '') throw new InvalidOptionError('url: unix:// needs a socket path');
    options.path = decodeURIComponent(parsed.pathname);
  } else {
    throw new InvalidOptionError(`url: unsupported scheme ${scheme} (expected redis:, rediss: or unix:)`);
  }
  if (parsed.username !== '') options.username = decodeURIComponent(parsed.username);
  if (parsed.password !== '') options.password = decodeURIComponent(parsed.password);
  for (const [name, value] of parsed.searchParams) {
    const read = Object.hasOwn(QUERY, name) ? QUERY[name] : undefined;
    if (read === undefined) throw new InvalidOptionError(`url: unknown option ${JSON.stringify(name)}`);
    read(options, value);
  }
  return options;
}

function integer(text: string, name: string): number {
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < 0) {
    throw new InvalidOptionError(`url: ${name} must be an integer ≥ 0, not ${JSON.stringify(text)}`);
  }
  return value;
}

function boolean(text: string, name: string): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new InvalidOptionError(`url: ${name} must be true or false, not ${JSON.stringify(text)}`);
}
