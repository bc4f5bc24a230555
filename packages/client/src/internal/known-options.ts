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
  natMap: '`natMap` goes in `cluster: { natMap }` or `sentinel: { natMap }`',
  sentinelUsername:
    'sentinel credentials go in `sentinel: { sentinelUsername, sentinelPassword, sentinelTls }`',
  sentinelPassword:
    'sentinel credentials go in `sentinel: { sentinelUsername, sentinelPassword, sentinelTls }`',
  role: "ioredis's sentinel `role: 'slave'`: `sentinel: { readFrom: 'replica' }` sends reads to replicas; `nodes('replica')` gives a client per replica",
  preferredSlaves: "`sentinel: { readFrom: 'replica' }` spreads reads over the replicas",
  useReplicas: "replica reads are `cluster: { readFrom: 'replica' }`",
  readOnly: "replica reads are `cluster: { readFrom: 'replica' }` or `sentinel: { readFrom: 'replica' }`",
  disableOfflineQueue: '`maxOfflineCommands: 0` turns the offline queue off',
  commandsQueueMaxLength: '`maxOfflineCommands` and `maxOfflineBytes` bound the offline queue',
  autoResendUnfulfilledCommands:
    'queued commands are sent after a reconnect; a written one is sent again only if idempotent (`replayIdempotent`)',
  pingInterval:
    'no periodic PING: a link silent past `commandTimeout` with a reply due is declared dead and reconnected, and TCP keep-alive is on (`transport: tcp({ keepAlive })`)',
  maxLoadingRetryTime: 'while the server loads its data, `readyCheck` (on by default) waits until it is done',
  legacyMode: 'no callback API: every command returns a promise',
  stringNumbers:
    "integers past ±(2⁵³−1) already come as bigint, never rounded (every integer: `decodeOptions: { integers: 'bigint' }`)",
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
    // Own names only: `toString` or `constructor` given as an option is no peer's name.
    const hint = where === 'pool' || !Object.hasOwn(PEER_NAMES, name) ? undefined : PEER_NAMES[name];
    throw new InvalidOptionError(
      `createClient: unknown option ${path}${hint === undefined ? '' : ` (${hint})`}`,
    );
  }
  for (const nested of ['pool', 'cluster', 'sentinel'] as const) {
    const value = where === '' ? (given as Record<string, unknown>)[nested] : undefined;
    if (typeof value === 'object' && value !== null) checkKnownOptions(value, nested);
  }
}
