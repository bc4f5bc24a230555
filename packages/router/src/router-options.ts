import { CONNECTION_OPTION_KEYS, checkOptionKeys, InvalidOptionError, keysOf, Pool } from '@fusedis/pool';
import type { ClusterRouterOptions } from './cluster-router.js';
import { NodeLink, type NodePoolOptions } from './node-link.js';
import type { SentinelRouterOptions } from './sentinel-router.js';
import type { StandaloneRouterOptions } from './standalone-router.js';

/**
 * The routers' options, checked when they are constructed: a typo or a wrong value is an
 * `InvalidOptionError` naming the router and the option, before anything connects, not a default
 * silently used (or a `TypeError` at the first command). The values inside `connection` and
 * `sentinelConnection` are `Connection.open()`'s to check (when a node is first connected); their
 * keys are checked here.
 */

type Given = Readonly<Record<string, unknown>>;

/** A router's connection options: the transport is its own (its `transport` option). */
const CONNECTION_KEYS: ReadonlySet<string> = new Set(
  [...CONNECTION_OPTION_KEYS].filter((key) => key !== 'transport'),
);
const POOL_KEYS = keysOf<NodePoolOptions>({
  max: true,
  min: true,
  idleTimeout: true,
  acquireTimeout: true,
  isUsable: true,
});
const CLUSTER_KEYS = keysOf<ClusterRouterOptions>({
  seeds: true,
  connection: true,
  transport: true,
  natMap: true,
  readFrom: true,
  maxRedirections: true,
  retryDelay: true,
  refreshInterval: true,
  pool: true,
});
const SENTINEL_KEYS = keysOf<SentinelRouterOptions>({
  sentinels: true,
  masterName: true,
  updateSentinels: true,
  connection: true,
  sentinelConnection: true,
  natMap: true,
  transport: true,
  sentinelTransport: true,
  readFrom: true,
  maxRetries: true,
  retryDelay: true,
  pool: true,
});
const STANDALONE_KEYS = keysOf<StandaloneRouterOptions>({
  address: true,
  transport: true,
  connection: true,
  maxRetries: true,
  retryDelay: true,
  pool: true,
  link: true,
});
const READ_FROM: ReadonlySet<unknown> = new Set(['master', 'replica', 'preferReplica']);
/** setInterval's limit: past it node fires every millisecond instead. */
const MAX_INTERVAL = 2 ** 31 - 1;

export function checkClusterRouterOptions(options: ClusterRouterOptions): void {
  const where = 'ClusterRouter';
  const o = given(options, where, CLUSTER_KEYS);
  addressList(o.seeds, where, 'seeds');
  connection(o.connection, where, 'connection');
  for (const name of ['transport', 'natMap', 'retryDelay'] as const) optionalFunction(o[name], where, name);
  readFrom(o.readFrom, where);
  // 0 and 1 alike: the first redirection or retry the cluster asks for rejects (RedirectionLimitError).
  count(o.maxRedirections, where, 'maxRedirections');
  const interval = o.refreshInterval;
  if (
    interval !== undefined &&
    (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0 || interval > MAX_INTERVAL)
  ) {
    fail(
      where,
      `refreshInterval must be a number of milliseconds from 0 to ${MAX_INTERVAL}, not ${show(interval)}`,
    );
  }
  pool(o.pool, where);
}

export function checkSentinelRouterOptions(options: SentinelRouterOptions): void {
  const where = 'SentinelRouter';
  const o = given(options, where, SENTINEL_KEYS);
  addressList(o.sentinels, where, 'sentinels');
  if (typeof o.masterName !== 'string' || o.masterName === '') {
    fail(where, `masterName must be a non-empty string, not ${show(o.masterName)}`);
  }
  if (o.updateSentinels !== undefined && typeof o.updateSentinels !== 'boolean') {
    fail(where, `updateSentinels must be a boolean, not ${show(o.updateSentinels)}`);
  }
  connection(o.connection, where, 'connection');
  connection(o.sentinelConnection, where, 'sentinelConnection');
  for (const name of ['natMap', 'transport', 'sentinelTransport', 'retryDelay'] as const) {
    optionalFunction(o[name], where, name);
  }
  readFrom(o.readFrom, where);
  count(o.maxRetries, where, 'maxRetries'); // 0: no retry
  pool(o.pool, where);
}

export function checkStandaloneRouterOptions(options: StandaloneRouterOptions): void {
  const where = 'StandaloneRouter';
  const o = given(options, where, STANDALONE_KEYS);
  if (o.address !== undefined) address(o.address, where, 'address');
  const transport = o.transport as { connect?: unknown } | null | undefined;
  if (
    transport !== undefined &&
    (typeof transport !== 'object' || typeof transport?.connect !== 'function')
  ) {
    fail(where, `transport must be a Transport (tcp(), tls(), unix(), duplex()), not ${show(transport)}`);
  }
  connection(o.connection, where, 'connection');
  count(o.maxRetries, where, 'maxRetries'); // 0: no retry
  optionalFunction(o.retryDelay, where, 'retryDelay');
  pool(o.pool, where);
  if (o.link !== undefined) {
    if (!(o.link instanceof NodeLink)) fail(where, 'link must be a NodeLink');
    // The link's own address, transport, connection and pool are used: others given would be ignored.
    const ignored = ['address', 'transport', 'connection', 'pool'].filter((name) => o[name] !== undefined);
    if (ignored.length > 0) fail(where, `link excludes ${ignored.join(' and ')} (the link's own are used)`);
  }
}

function fail(where: string, message: string): never {
  throw new InvalidOptionError(`${where}: ${message}`);
}

/** A value, briefly, for "not …": never an object's contents (they may hold a password). */
function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 20 ? `${value.slice(0, 20)}…` : value}'`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

function isPlainObject(value: unknown): value is Given {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function given(options: unknown, where: string, keys: ReadonlySet<string>): Given {
  if (!isPlainObject(options)) fail(where, `options must be an object, not ${show(options)}`);
  checkOptionKeys(options, keys, where);
  return options;
}

function address(value: unknown, where: string, name: string): void {
  if (!isPlainObject(value)) fail(where, `${name} must be { host, port }, not ${show(value)}`);
  const { host, port } = value;
  if (typeof host !== 'string' || host === '') {
    fail(where, `${name}.host must be a non-empty string, not ${show(host)}`);
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    fail(where, `${name}.port must be an integer from 1 to 65535, not ${show(port)}`);
  }
}

function addressList(value: unknown, where: string, name: string): void {
  if (!Array.isArray(value) || value.length === 0) {
    fail(where, `${name} must be a non-empty array of { host, port }, not ${show(value)}`);
  }
  for (const [i, entry] of (value as unknown[]).entries()) address(entry, where, `${name}[${i}]`);
}

function connection(value: unknown, where: string, name: string): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) fail(where, `${name} must be an object, not ${show(value)}`);
  checkOptionKeys(value, CONNECTION_KEYS, where, name);
}

/** The pool's keys, then its values, by the constructor the node links will call (nothing opens). */
function pool(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) fail(where, `pool must be an object, not ${show(value)}`);
  checkOptionKeys(value, POOL_KEYS, where, 'pool');
  try {
    new Pool<never>({
      max: 10,
      ...(value as NodePoolOptions),
      create: () => Promise.reject(),
      destroy: () => Promise.resolve(),
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InvalidOptionError(`${where}: invalid pool (${reason})`, { cause });
  }
}

function optionalFunction(value: unknown, where: string, name: string): void {
  if (value !== undefined && typeof value !== 'function') {
    fail(where, `${name} must be a function, not ${show(value)}`);
  }
}

function readFrom(value: unknown, where: string): void {
  if (value !== undefined && !READ_FROM.has(value)) {
    fail(where, `readFrom must be 'master', 'replica' or 'preferReplica', not ${show(value)}`);
  }
}

function count(value: unknown, where: string, name: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
    fail(where, `${name} must be an integer ≥ 0, not ${show(value)}`);
  }
}
