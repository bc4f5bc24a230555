import { InvalidOptionError } from '@fusedis/pool';

/** Every option `createClient` reads, per object (top level, `pool`, `cluster`, `sentinel`). */
const KNOWN: Readonly<Record<string, ReadonlySet<string>>> = {
  '': new Set([
    'url',
    'host',
    'port',
    'path',
    'username',
    'password',
    'db',
    'tls',
    'transport',
    'protocol',
    'connectTimeout',
    'readyCheck',
    'commandTimeout',
    'lazyConnect',
    'autoPipelining',
    'replayIdempotent',
    'reconnectOnError',
    'retryStrategy',
    'maxOfflineCommands',
    'maxOfflineBytes',
    'maxInFlight',
    'keyPrefix',
    'scripts',
    'returnBuffers',
    'clientName',
    'decoder',
    'decodeOptions',
    'pool',
    'cluster',
    'sentinel',
    'router',
  ]),
  pool: new Set(['max', 'min', 'idleTimeout', 'acquireTimeout']),
  cluster: new Set(['seeds', 'readFrom', 'natMap', 'maxRedirections', 'refreshInterval']),
  sentinel: new Set([
    'sentinels',
    'masterName',
    'natMap',
    'sentinelUsername',
    'sentinelPassword',
    'sentinelTls',
    'readFrom',
    'updateSentinels',
  ]),
};

/** What ioredis and node-redis users may bring, and where it lives here. */
const PEER_NAMES: Readonly<Record<string, string>> = {
  socket: "node-redis's `socket`: give host, port, path, tls and connectTimeout at the top level, or a url",
  database: 'the database is `db`',
  RESP: 'the RESP version is `protocol`',
  name: "ioredis's sentinel `name` is `sentinel: { masterName }`; a connection name is `clientName`",
  connectionName: 'a connection name is `clientName`',
  sentinels: 'sentinels go in `sentinel: { sentinels, masterName }`',
  enableAutoPipelining: 'auto-pipelining is `autoPipelining` (on by default)',
  enableReadyCheck: 'the ready check is `readyCheck` (on by default)',
  enableOfflineQueue: '`maxOfflineCommands: 0` turns the offline queue off',
  maxRetriesPerRequest:
    'a queued command waits at most `commandTimeout`; a written one is sent again only if idempotent (`replayIdempotent`)',
  reconnectStrategy: 'the reconnect policy is `retryStrategy`',
  autoResubscribe: 'subscriptions are always restored after a reconnect',
  scaleReads: 'reads go where `cluster: { readFrom }` or `sentinel: { readFrom }` says',
  rootNodes: 'cluster nodes go in `cluster: { seeds }`',
  keepAlive: 'TCP settings go in `transport: tcp({ host, port, keepAlive, noDelay })` (@fusedis/pool)',
  noDelay: 'TCP settings go in `transport: tcp({ host, port, keepAlive, noDelay })` (@fusedis/pool)',
  family: 'TCP settings go in `transport: tcp({ … })` (@fusedis/pool)',
};

/**
 * Refuses an option `createClient` does not know (a typo, or another client's name for it) with
 * `InvalidOptionError`: ignored, `{ socket: { port } }` would connect to the default server.
 */
export function checkKnownOptions(given: object, where = ''): void {
  const known = KNOWN[where] as ReadonlySet<string>;
  for (const name of Object.keys(given)) {
    if (known.has(name)) continue;
    const path = where === '' ? name : `${where}.${name}`;
    const hint = where === 'pool' ? undefined : PEER_NAMES[name];
    throw new InvalidOptionError(
      `createClient: unknown option ${path}${hint === undefined ? '' : ` (${hint})`}`,
    );
  }
  for (const nested of ['pool', 'cluster', 'sentinel'] as const) {
    const value = where === '' ? (given as Record<string, unknown>)[nested] : undefined;
    if (typeof value === 'object' && value !== null) checkKnownOptions(value, nested);
  }
}
