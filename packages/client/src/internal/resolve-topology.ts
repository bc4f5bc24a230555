import { InvalidOptionError } from '@fusedis/pool';
import type { NodeAddress, Router } from '@fusedis/router';
import type {
  ClientClusterOptions,
  ClientOptions,
  ClientSentinelOptions,
  NodeSpec,
  RouterConnectionOptions,
} from '../client-options.js';
import { parseRedisUrl } from '../parse-url.js';
import { resolveNatMap } from './nat-map.js';

/** What the client talks to, checked: one server, a cluster, a Sentinel group, or a given router. */
export type Topology =
  | { readonly kind: 'standalone' }
  | {
      readonly kind: 'cluster';
      readonly seeds: readonly NodeAddress[];
      readonly options: ClientClusterOptions;
      readonly natMap: ((address: NodeAddress) => NodeAddress) | undefined;
      /** Credentials or TLS found in the first seed URL (used when the options give none). */
      readonly fromUrl: ClientOptions;
    }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly NodeAddress[];
      readonly options: ClientSentinelOptions;
      readonly natMap: ((address: NodeAddress) => NodeAddress) | undefined;
    }
  | { readonly kind: 'router'; readonly router: Router | ((connection: RouterConnectionOptions) => Router) };

/** Checks `cluster`, `sentinel` and `router` (at most one, and nothing that contradicts it). */
export function resolveTopology(given: ClientOptions): Topology {
  const chosen = (['cluster', 'sentinel', 'router'] as const).filter((name) => given[name] !== undefined);
  if (chosen.length > 1)
    throw new InvalidOptionError(`createClient: ${chosen.join(' and ')} exclude each other`);
  const name = chosen[0];
  if (name === undefined) return { kind: 'standalone' };
  if (given.path !== undefined || given.transport !== undefined) {
    throw new InvalidOptionError(
      `createClient: ${name} builds its own transports; path and transport must be unset`,
    );
  }
  if (name === 'router') {
    const router = given.router;
    if (typeof router !== 'function' && !isRouter(router)) {
      throw new InvalidOptionError(
        'createClient: `router` is reserved for a Router (with dispatch, dispatchMany and close) or a function returning one',
      );
    }
    return { kind: 'router', router: router as Router };
  }
  if (name === 'cluster') {
    const options = given.cluster as ClientClusterOptions;
    if (given.db !== undefined && given.db !== 0) {
      throw new InvalidOptionError('createClient: a cluster has database 0 only');
    }
    checkReadFrom(options.readFrom, 'cluster.readFrom');
    checkNumber(options.maxRedirections, 'cluster.maxRedirections', true);
    checkNumber(options.refreshInterval, 'cluster.refreshInterval', false);
    const specs = nodeList(options.seeds, 'cluster.seeds');
    const first = specs[0];
    const fromUrl = typeof first === 'string' && first.includes('://') ? parseRedisUrl(first) : {};
    return {
      kind: 'cluster',
      seeds: specs.map((s) => address(s, 'cluster.seeds', 6379)),
      options,
      natMap: resolveNatMap(options.natMap, 'cluster.natMap'),
      fromUrl,
    };
  }
  const options = given.sentinel as ClientSentinelOptions;
  if (typeof options.masterName !== 'string' || options.masterName === '') {
    throw new InvalidOptionError('createClient: sentinel.masterName must be a non-empty string');
  }
  checkReadFrom(options.readFrom, 'sentinel.readFrom');
  if (options.updateSentinels !== undefined && typeof options.updateSentinels !== 'boolean') {
    throw new InvalidOptionError('createClient: sentinel.updateSentinels must be a boolean');
  }
  const sentinels = nodeList(options.sentinels, 'sentinel.sentinels').map((s) =>
    address(s, 'sentinel.sentinels', 26379),
  );
  return { kind: 'sentinel', sentinels, options, natMap: resolveNatMap(options.natMap, 'sentinel.natMap') };
}

function isRouter(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.dispatch === 'function' && typeof r.dispatchMany === 'function' && typeof r.close === 'function'
  );
}

function nodeList(value: readonly NodeSpec[] | string | undefined, name: string): readonly NodeSpec[] {
  const list =
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidOptionError(`createClient: ${name} needs at least one node`);
  }
  return list;
}

/** `'redis://h:p'`, `'rediss://h:p'`, `'h:p'` or `{ host, port }` → `{ host, port }` (`port` by default). */
function address(spec: NodeSpec, name: string, port: number): NodeAddress {
  if (typeof spec === 'object' && spec !== null) {
    if (typeof spec.host !== 'string' || !Number.isInteger(spec.port)) {
      throw new InvalidOptionError(`createClient: ${name} entries need a host and an integer port`);
    }
    return { host: spec.host, port: spec.port };
  }
  if (typeof spec !== 'string')
    throw new InvalidOptionError(`createClient: ${name} entries are URLs or { host, port }`);
  const parsed = parseRedisUrl(spec.includes('://') ? spec : `redis://${spec}`);
  if (parsed.host === undefined) throw new InvalidOptionError(`createClient: ${name} entries need a host`);
  return { host: parsed.host, port: parsed.port ?? port };
}

/**
 * The router checks these too, but only when it is built, at the first command: here a wrong
 * value is refused by `createClient`, as every other option is.
 */
function checkReadFrom(value: unknown, name: string): void {
  if (value !== undefined && value !== 'master' && value !== 'replica' && value !== 'preferReplica') {
    throw new InvalidOptionError(`createClient: ${name} must be 'master', 'replica' or 'preferReplica'`);
  }
}

/** A count (an integer ≥ 0) or a number of milliseconds (up to setInterval's 2^31 − 1). */
function checkNumber(value: unknown, name: string, integer: boolean): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'number' &&
    value >= 0 &&
    (integer ? Number.isInteger(value) : Number.isFinite(value) && value <= 2 ** 31 - 1);
  if (!ok) {
    throw new InvalidOptionError(
      `createClient: ${name} must be ${integer ? 'an integer ≥ 0' : 'a number of milliseconds from 0 to 2147483647'}`,
    );
  }
}
