export { type Command, ReplyError, RespProtocolError } from '@fusedis/resp';
export { hasBlockingCommand } from './blocking-batch.js';
export { Connection, PART_COMMANDS } from './connection.js';
export type { CloseListener, ConnectionOptions, UnsettledHook } from './connection-options.js';
export {
  ConnectionClosedError,
  InvalidOptionError,
  PoolClosedError,
  QueueFullError,
  TimeoutError,
  type TimeoutPhase,
} from './errors.js';
export { CONNECTION_OPTION_KEYS, checkOptionKeys, keysOf } from './option-keys.js';
export { isPermanentFailure } from './permanent-failure.js';
export { type Lease, Pool, type PoolOptions, type PoolStats } from './pool.js';
export {
  leftInStep,
  sendCancellable,
  sendManyCancellable,
  UNBLOCK_WAIT_MS,
  type Unblock,
} from './send-cancellable.js';
export { type TcpOptions, tcp } from './tcp.js';
export { type TlsOptions, tls } from './tls.js';
export { type DuplexFactory, duplex, type Transport } from './transport.js';
export { type UnixOptions, unix } from './unix.js';
export { whenAborted } from './when-aborted.js';
