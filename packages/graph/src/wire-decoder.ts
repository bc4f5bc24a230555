import type { GraphResult } from './compact-decoder.js';
import { CompactWireDecoder } from './compact-wire-decoder.js';
import type { SchemaKinds } from './schema-cache.js';

/**
 * Decodes the bytes of one whole compact `GRAPH.QUERY` reply frame (RESP2 or RESP3) against one
 * snapshot of a graph's name tables. {@link CompactWireDecoder} is the built-in one;
 * `@fusedis/native-codec`'s `createGraphWireDecoder(graph)` makes a native one.
 *
 * The contract, which `Graph.decodeReply` relies on: `result` returns what `CompactWireDecoder`
 * returns for the same bytes (graph's value classes, records from `createRecord`, statistics from
 * `parseStatistics`) and throws what it throws (`GraphError` with code `ERR_GRAPH` for an error
 * reply, `ERR_GRAPH_REPLY` for bytes of another shape); an id past the end of its table does not
 * throw but sets its `SCHEMA_*` bit in `missing`, read after `result`.
 */
export interface WireDecoder {
  /** The tables that lacked an id during the last `result`: a bit set of `SCHEMA_*`. */
  readonly missing: SchemaKinds;
  /**
   * Decodes `bytes` (one whole frame); `asArrays` makes each row an array instead of a record.
   * `Graph` keeps one decoder per schema snapshot and calls this for reply after reply: each call
   * resets `missing`, and none may keep the bytes alive past its return.
   */
  result(bytes: Uint8Array, asArrays: boolean): GraphResult<unknown>;
}

/** Makes a {@link WireDecoder} over a graph's name tables (label, relationship type and property key names by id). */
export type WireDecoderFactory = (
  labels: readonly string[],
  relationshipTypes: readonly string[],
  propertyKeys: readonly string[],
) => WireDecoder;

/** The built-in factory: graph's own {@link CompactWireDecoder}. */
export const jsWireDecoder: WireDecoderFactory = (labels, relationshipTypes, propertyKeys) =>
  new CompactWireDecoder(labels, relationshipTypes, propertyKeys);
