import { InvalidOptionError } from '@fusedis/pool';
import type { NodeAddress } from './cluster-topology.js';

/**
 * The routers' user callbacks with their results checked where they are called. A `natMap` that
 * returns `{ host, prot }` or a `retryDelay` that returns `'100'` would otherwise surface far from
 * the mistake (a socket error naming port `undefined`, Node's `TimeoutOverflowWarning` and a 1 ms
 * delay): now the command that needed the callback rejects with an `InvalidOptionError` naming the
 * option and what it returned.
 */

/** setTimeout's limit: past it Node waits 1 ms instead. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * `natMap` as the routers call it: `null` or `undefined` keeps the address (ioredis's rule);
 * anything else must be `{ host, port }` with a non-empty host and a port from 1 to 65535.
 */
export function checkedNatMap(
  natMap: ((address: NodeAddress) => NodeAddress | null | undefined) | undefined,
  where: string,
): (address: NodeAddress) => NodeAddress {
  if (natMap === undefined) return (address) => address;
  return (address) => {
    const mapped: unknown = natMap(address);
    if (mapped === null || mapped === undefined) return address;
    const { host, port } = (typeof mapped === 'object' ? mapped : {}) as Partial<Record<string, unknown>>;
    if (typeof host === 'string' && host !== '' && Number.isInteger(port) && (port as number) >= 1) {
      if ((port as number) <= 65_535) return { host, port: port as number };
    }
    throw new InvalidOptionError(
      `${where}: natMap returned ${describe(mapped)} for ${address.host}:${address.port}; ` +
        'it must return { host, port } (a non-empty host, a port from 1 to 65535), or nothing to keep the address',
    );
  };
}

/** `retryDelay` as the routers call it: a number of milliseconds from 0 to setTimeout's limit. */
export function checkedRetryDelay(
  retryDelay: (attempt: number) => number,
  where: string,
): (attempt: number) => number {
  return (attempt) => {
    const delay: unknown = retryDelay(attempt);
    if (typeof delay === 'number' && delay >= 0 && delay <= MAX_DELAY) return delay;
    throw new InvalidOptionError(
      `${where}: retryDelay(${attempt}) returned ${describe(delay)}; it must return milliseconds from 0 to ${MAX_DELAY}`,
    );
  };
}

/** A callback's result, briefly: never an object's contents. */
function describe(value: unknown): string {
  if (typeof value === 'string')
    return `the string '${value.length > 20 ? `${value.slice(0, 20)}…` : value}'`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).slice(0, 4);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.join(', ')}`;
  }
  return String(value);
}
