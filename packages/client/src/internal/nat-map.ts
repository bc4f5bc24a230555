import { InvalidOptionError } from '@fusedis/pool';
import type { NodeAddress } from '@fusedis/router';
import type { NatMap } from '../client-options.js';

/**
 * `cluster.natMap` / `sentinel.natMap` as the routers take it: a function, from either form the
 * client accepts — a function (a `null` or `undefined` result keeps the address, as in ioredis) or
 * ioredis's table `{ 'host:port': { host, port } }` (addresses it does not list are kept).
 */
export function resolveNatMap(
  given: NatMap | undefined,
  name: string,
): ((address: NodeAddress) => NodeAddress) | undefined {
  if (given === undefined) return undefined;
  if (typeof given === 'function') return (address) => given(address) ?? address;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new InvalidOptionError(
      `createClient: ${name} is a function or an object of 'host:port' → { host, port }`,
    );
  }
  const table = new Map<string, NodeAddress>();
  for (const [key, target] of Object.entries(given)) {
    const to = target as Partial<NodeAddress> | null;
    if (typeof to !== 'object' || to === null || typeof to.host !== 'string' || !Number.isInteger(to.port)) {
      throw new InvalidOptionError(`createClient: ${name}['${key}'] needs a host and an integer port`);
    }
    if (!/^.+:\d+$/.test(key)) {
      throw new InvalidOptionError(`createClient: ${name} keys are 'host:port' (got '${key}')`);
    }
    table.set(key, { host: to.host, port: to.port as number });
  }
  return (address) => table.get(`${address.host}:${address.port}`) ?? address;
}
