export type { CommandExecutor, SendOptions } from './command-executor.js';
export { CompactDecoder, type GraphResult } from './compact-decoder.js';
export { CompactWireDecoder } from './compact-wire-decoder.js';
export {
  type ConstraintSpec,
  Graph,
  type GraphCommand,
  type GraphOptions,
  type QueryOptions,
  type SlowlogEntry,
} from './graph.js';
export { GraphError } from './graph-error.js';
export { GraphServer, type UdfLibrary } from './graph-server.js';
export type { IndexSpec } from './internal/index-queries.js';
export { cypherIdentifier, cypherParamsPrefix, type GraphParams, type GraphParamValue } from './params.js';
export {
  SCHEMA_LABELS,
  SCHEMA_PROPERTY_KEYS,
  SCHEMA_RELATIONSHIP_TYPES,
  SchemaCache,
  type SchemaKinds,
} from './schema-cache.js';
export { GraphStatistics, parseStatistics } from './statistics.js';
export {
  createRecord,
  GraphDuration,
  GraphEdge,
  GraphNode,
  GraphPath,
  GraphPoint,
  type GraphRecord,
  GraphTime,
  type GraphValue,
  RECORD_PROTOTYPE,
} from './values.js';
export { jsWireDecoder, type WireDecoder, type WireDecoderFactory } from './wire-decoder.js';
