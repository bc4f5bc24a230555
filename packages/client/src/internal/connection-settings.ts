import { createRequire } from 'node:module';
import type { RouterConnectionOptions } from '../client-options.js';
import type { ResolvedDecoder } from '../resolve-decoder.js';
import type { ResolvedOptions } from './resolve-options.js';

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Connection options with writable fields, for filling in the optional ones. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The client's settings that every connection it opens shares, standalone or a router's data
 * node: decoder, protocol, timeouts, pipelining, identity and credentials. The caller adds
 * where to connect (`transport`, `db`) and its hooks (`onPush`, `onUnsettled`).
 */
export function connectionSettings(
  o: ResolvedOptions,
  decoder: ResolvedDecoder,
): Writable<RouterConnectionOptions> {
  const options: Writable<RouterConnectionOptions> = {
    decoder: decoder.factory,
    decodeOptions: o.decodeOptions,
    protocol: o.protocol,
    connectTimeout: o.connectTimeout,
    readyCheck: o.readyCheck,
    commandTimeout: o.commandTimeout,
    autoPipeline: o.autoPipelining,
    maxInFlight: o.maxInFlight,
    libName: 'fusedis',
    libVersion: VERSION,
  };
  if (o.username !== undefined) options.username = o.username;
  if (o.password !== undefined) options.password = o.password;
  if (o.clientName !== undefined) options.clientName = o.clientName;
  return options;
}
