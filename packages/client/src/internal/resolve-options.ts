import { InvalidOptionError, type Transport, tcp, tls, unix } from '@fusedis/pool';
import type { DecodeOptionsInput, StringMode } from '@fusedis/resp';
import type { ClientOptions, DecoderChoice, ReconnectOnError, RetryStrategy } from '../client-options.js';
import { parseRedisUrl } from '../parse-url.js';
import { exponentialBackoff } from '../retry-strategy.js';
import { checkKnownOptions } from './known-options.js';
import { resolveTopology, type Topology } from './resolve-topology.js';

/** Client options with every default applied and checked. The password is non-enumerable. */
export interface ResolvedOptions {
  /** What the user gave (URL merged in), for `duplicate()`; its password is non-enumerable. */
  readonly given: ClientOptions;
  readonly transport: Transport;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
  readonly protocol: 2 | 3;
  readonly connectTimeout: number;
  readonly commandTimeout: number;
  readonly lazyConnect: boolean;
  readonly autoPipelining: boolean;
  readonly replayIdempotent: boolean;
  readonly reconnectOnError: ReconnectOnError | undefined;
  readonly readyCheck: boolean;
  readonly retryStrategy: RetryStrategy;
  readonly maxOfflineCommands: number;
  readonly maxOfflineBytes: number;
  readonly maxInFlight: number;
  readonly keyPrefix: string;
  readonly stringMode: StringMode;
  readonly clientName: string | undefined;
  readonly decoder: DecoderChoice;
  readonly decodeOptions: DecodeOptionsInput;
  readonly pool: { max: number; min: number; idleTimeout: number; acquireTimeout: number };
  /** One server (the transport above), or a cluster, a Sentinel group, or a given router. */
  readonly topology: Topology;
}

/** Sets `password` as a non-enumerable property, so logs, spreads and `inspect` skip it. */
export function hidePassword<T extends object>(target: T, password: string | undefined): T {
  if (password !== undefined) {
    Object.defineProperty(target, 'password', { value: password, enumerable: false, writable: false });
  }
  return target;
}

/** Merges the URL (if any) under the options, applies the defaults and checks every value. */
export function resolveOptions(input: string | ClientOptions | undefined): ResolvedOptions {
  const options: ClientOptions = typeof input === 'string' ? { url: input } : (input ?? {});
  if (typeof options !== 'object')
    throw new InvalidOptionError('createClient: options must be a URL or an object');
  checkKnownOptions(options);
  const fromUrl = options.url === undefined ? {} : parseRedisUrl(options.url);
  const password = options.password ?? fromUrl.password;
  const { password: _a, ...urlRest } = fromUrl;
  // The URL is merged into the fields and dropped: it may carry the password.
  const { password: _b, url: _u, ...rest } = options;
  const given: ClientOptions = hidePassword({ ...urlRest, ...rest }, password);
  const topology = resolveTopology(given);
  const protocol = given.protocol ?? 3;
  if (protocol !== 2 && protocol !== 3) throw new InvalidOptionError('createClient: protocol must be 2 or 3');
  const decoder = given.decoder ?? 'auto';
  if (typeof decoder !== 'function' && decoder !== 'auto' && decoder !== 'js' && decoder !== 'native') {
    throw new InvalidOptionError("createClient: decoder must be 'auto', 'js', 'native' or a factory");
  }
  const keyPrefix = given.keyPrefix ?? '';
  if (typeof keyPrefix !== 'string') throw new InvalidOptionError('createClient: keyPrefix must be a string');
  const retryStrategy = given.retryStrategy ?? exponentialBackoff();
  if (typeof retryStrategy !== 'function') {
    throw new InvalidOptionError('createClient: retryStrategy must be a function');
  }
  const returnBuffers = given.returnBuffers ?? false;
  const reconnectOnError = given.reconnectOnError;
  if (reconnectOnError !== undefined) {
    if (typeof reconnectOnError !== 'function')
      throw new InvalidOptionError('createClient: reconnectOnError must be a function');
    if (topology.kind !== 'standalone') {
      throw new InvalidOptionError(
        'createClient: reconnectOnError is for a standalone client (the cluster and sentinel routers follow failovers themselves)',
      );
    }
  }
  const readyCheck = given.readyCheck ?? true;
  if (typeof readyCheck !== 'boolean')
    throw new InvalidOptionError('createClient: readyCheck must be a boolean');
  return {
    given,
    topology,
    transport: given.transport ?? buildTransport(given),
    username: given.username,
    password,
    db: count(given.db ?? 0, 'db', 0),
    protocol,
    connectTimeout: ms(given.connectTimeout ?? 10_000, 'connectTimeout'),
    commandTimeout: ms(given.commandTimeout ?? 30_000, 'commandTimeout'),
    lazyConnect: given.lazyConnect ?? true,
    autoPipelining: given.autoPipelining ?? true,
    replayIdempotent: given.replayIdempotent ?? true,
    reconnectOnError,
    readyCheck,
    retryStrategy,
    maxOfflineCommands: count(given.maxOfflineCommands ?? 100_000, 'maxOfflineCommands', 0),
    maxOfflineBytes: count(given.maxOfflineBytes ?? 64 * 1024 * 1024, 'maxOfflineBytes', 0),
    maxInFlight: count(given.maxInFlight ?? 0, 'maxInFlight', 0),
    keyPrefix,
    stringMode: returnBuffers ? 'buffer' : 'utf8',
    clientName: given.clientName,
    decoder,
    decodeOptions: { ...given.decodeOptions, strings: returnBuffers ? 'buffer' : 'utf8' },
    pool: {
      max: count(given.pool?.max ?? 10, 'pool.max', 1),
      min: count(given.pool?.min ?? 0, 'pool.min', 0),
      idleTimeout: ms(given.pool?.idleTimeout ?? 30_000, 'pool.idleTimeout'),
      acquireTimeout: ms(given.pool?.acquireTimeout ?? 10_000, 'pool.acquireTimeout'),
    },
  };
}

function buildTransport(options: ClientOptions): Transport {
  if (options.path !== undefined) {
    if (options.tls !== undefined && options.tls !== false) {
      throw new InvalidOptionError('createClient: tls cannot be used with a Unix socket path');
    }
    return unix({ path: options.path });
  }
  const address = { host: options.host ?? '127.0.0.1', port: options.port ?? 6379 };
  if (options.tls === undefined || options.tls === false) return tcp(address);
  return tls(options.tls === true ? address : { ...options.tls, ...address });
}

function ms(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(`createClient: ${name} must be a number of milliseconds ≥ 0`);
  }
  return value;
}

function count(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`createClient: ${name} must be an integer ≥ ${min}`);
  }
  return value;
}
