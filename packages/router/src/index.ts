export {
  type CommandPart,
  commandName,
  commandSlot,
  type FanOutReduce,
  fanOutReduce,
  joinParts,
  reduceReplies,
  type SplitCommand,
  splitBySlot,
} from './cluster-commands.js';
export { ClusterRouter, type ClusterRouterOptions } from './cluster-router.js';
export {
  type ClusterNodeInfo,
  type ClusterShard,
  type NodeAddress,
  parseClusterShards,
  parseClusterSlots,
  TopologyParseError,
} from './cluster-topology.js';
export { crc16, crc16OfString } from './crc16.js';
export {
  CrossSlotError,
  MasterDemotedError,
  RedirectionLimitError,
  TopologyDiscoveryError,
} from './errors.js';
export { keySlot, SLOT_COUNT, type SlotKey } from './key-slot.js';
export { addressKey, NodeLink, type NodePoolOptions } from './node-link.js';
export { parseRedirection, type Redirection } from './redirection.js';
export type { DedicatedWork, DispatchOptions, NodeRole, Router, RouterNode, ScanTarget } from './router.js';
export { SentinelRouter, type SentinelRouterOptions } from './sentinel-router.js';
export { StandaloneRouter, type StandaloneRouterOptions } from './standalone-router.js';
export { isReadOnlyRefusal, isSlotRefusal, transactionRefusal } from './transaction-refusal.js';
