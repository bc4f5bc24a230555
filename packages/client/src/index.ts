export {
  type CommandExecutor,
  Graph,
  type GraphEdge,
  GraphError,
  type GraphNode,
  type GraphParams,
  type GraphResult,
  GraphServer,
} from '@fusedis/graph';
export {
  ConnectionClosedError,
  duplex,
  InvalidOptionError,
  PoolClosedError,
  type PoolStats,
  QueueFullError,
  TimeoutError,
  type TimeoutPhase,
  type Transport,
  tcp,
  tls,
  unix,
} from '@fusedis/pool';
export {
  type Command,
  type CommandArg,
  type DecodeOptionsInput,
  type DecoderFactory,
  FusedisError,
  InvalidArgumentError,
  ReplyError,
  RespProtocolError,
  type StringMode,
} from '@fusedis/resp';
export {
  CrossSlotError,
  type DispatchOptions,
  MasterDemotedError,
  type NodeAddress,
  RedirectionLimitError,
  type Router,
  TopologyDiscoveryError,
} from '@fusedis/router';
export { Client, type NodeRoleOption } from './client.js';
export type { ClientEvents, ClientListener } from './client-events.js';
export type {
  CallOverrides,
  ClientClusterOptions,
  ClientOptions,
  ClientPoolOptions,
  ClientSentinelOptions,
  DecoderChoice,
  NatMap,
  NodeSpec,
  ReconnectOnError,
  RetryStrategy,
  RouterConnectionOptions,
} from './client-options.js';
export {
  type AnyCommandSpec,
  type CommandSpec,
  type CommandTable,
  defineCommand,
  type ReplyContext,
  type SpecArgs,
  type SpecReply,
} from './command-spec.js';
export { COMMANDS, type Commands } from './commands/index.js';
export { createClient } from './create-client.js';
export { batchChannel, type CommandMessage, commandChannel, connectChannel } from './diagnostics.js';
export { NativeCodecUnavailableError } from './errors.js';
export type { Buffered, BufferMethodName, BufferReply } from './internal/buffer-methods.js';
export type { CallArgument } from './internal/call-keys.js';
export type { ReservedCommandName } from './internal/client-methods.js';
export type { RawCommand } from './internal/command-list.js';
export type { CommandDefinition } from './internal/defined-commands.js';
export type { ClientStatus } from './internal/standalone-dispatch.js';
export { UnsupportedByRouterError } from './internal/unsupported-by-router-error.js';
export { Monitor, type MonitorListener } from './monitor/monitor.js';
export type { MonitorEvent } from './monitor/monitor-line.js';
export type { MultiOptions, Transaction } from './multi.js';
export { parseRedisUrl } from './parse-url.js';
export type { Pipeline, PipelineOptions, PipelineResult } from './pipeline.js';
export type { MessageListener, PubSubKind, PubSubMessage } from './pubsub/message.js';
export type {
  ChannelNames,
  SubscribeFunction,
  SubscribeOptions,
  UnsubscribeFunction,
} from './pubsub/pubsub.js';
export type { Subscription } from './pubsub/subscription.js';
export {
  type DecoderInfo,
  decoderFallbackChannel,
  type ResolvedDecoder,
  resolveDecoder,
} from './resolve-decoder.js';
export { type BackoffOptions, exponentialBackoff } from './retry-strategy.js';
export type { ScanBaseOptions, ScanIteratorOptions, ScoredMember } from './scan-iterator.js';
export { type Script, type ScriptArgs, ScriptCode, type ScriptDefinition } from './script.js';
export { ExecAbortError, type QueuedCommandError, WatchError } from './transaction-errors.js';
export type { WatchOptions, WatchScope } from './transaction-watch.js';
