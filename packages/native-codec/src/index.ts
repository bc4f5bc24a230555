import { createJsDecoder, type DecoderFactory } from '@fusedis/resp';
import { autoDecoderFactory } from './auto-decoder.js';
import {
  type DecodeGraphReply,
  type GraphModule,
  type GraphWireDecoderOptions,
  graphWireDecoderFactory,
  type NativeGraphWireDecoderFactory,
} from './graph-decoder.js';
import { type BindingSource, loadBinding, platformTriple } from './load-binding.js';
import { nativeDecoderFactory } from './native-decoder.js';

export {
  AUTO_JS_MAX_ELEMENT_BYTES,
  AUTO_NATIVE_MIN_ELEMENTS,
  AUTO_NATIVE_MIN_MAP_ENTRIES,
  AUTO_NATIVE_OK_RUN_BYTES,
  AUTO_NATIVE_TEXT_BYTES,
  autoDecoderFactory,
} from './auto-decoder.js';
export type {
  GraphModule,
  GraphWireDecoderOptions,
  NativeGraphResult,
  NativeGraphWireDecoder,
  NativeGraphWireDecoderFactory,
} from './graph-decoder.js';
export type { BindingSource } from './load-binding.js';
export { NativeCodecUnavailableError } from './native-codec-unavailable-error.js';

// Loaded once, when this module is imported: an import that succeeds means the decoder works,
// and one that fails throws NativeCodecUnavailableError (what a client's `decoder: 'auto'` catches).
const loaded = loadBinding();

/**
 * The native decoder: the same contract, options, values and error classes as `@fusedis/resp`'s
 * `createJsDecoder`, decoded in Rust with one Node-API crossing per chunk.
 */
export const createNativeDecoder: DecoderFactory = nativeDecoderFactory(loaded.binding);

/**
 * The decoder `@fusedis/client` uses for `decoder: 'auto'`: replies announcing at least
 * {@link AUTO_NATIVE_MIN_ELEMENTS} elements (maps: {@link AUTO_NATIVE_MIN_MAP_ENTRIES} entries)
 * are decoded natively, unless they are lists of integers or of strings of at most
 * {@link AUTO_JS_MAX_ELEMENT_BYTES} bytes, or tables of rows; every other reply by
 * `@fusedis/resp`'s JS decoder (faster there: crossing into Rust costs more than a small reply).
 */
export const createAutoDecoder: DecoderFactory = autoDecoderFactory(createJsDecoder, createNativeDecoder);

/** What `nativeInfo()` reports. */
export interface NativeInfo {
  /** Always `'native'`: the module only loads when the addon does. */
  readonly kind: 'native';
  /** Where the binary came from: this package's own build, the platform package, or `NAPI_RS_NATIVE_LIBRARY_PATH`. */
  readonly source: BindingSource;
  /** The napi-rs target the binary was looked up for, e.g. `linux-x64-gnu`. */
  readonly triple: string;
  /** The Node-API version of the running Node. */
  readonly nodeApi: string | undefined;
}

/** Which native binary is in use, for diagnostics (`client.decoderInfo`). */
export function nativeInfo(): NativeInfo {
  return {
    kind: 'native',
    source: loaded.source,
    triple: platformTriple(),
    nodeApi: process.versions.napi,
  };
}

/**
 * The native FalkorDB compact-result decoder, as a `@fusedis/graph` wire-decoder factory: pass
 * graph's module and hand the result to `new Graph(executor, name, { wireDecoder })`. It returns
 * exactly what graph's `CompactWireDecoder` returns (graph's own classes, records, statistics,
 * `missing` bits and errors), with the bytes read in Rust in one Node-API call per reply.
 *
 * @example
 * ```ts
 * import * as graph from '@fusedis/graph';
 * const g = new graph.Graph(executor, 'social', { wireDecoder: createGraphWireDecoder(graph) });
 * ```
 */
export function createGraphWireDecoder<S>(
  graph: GraphModule<S>,
  options?: GraphWireDecoderOptions,
): NativeGraphWireDecoderFactory<S> {
  const decode = (loaded.binding as unknown as { decodeGraphReply?: DecodeGraphReply }).decodeGraphReply;
  if (typeof decode !== 'function') {
    throw new TypeError('@fusedis/native-codec: the loaded addon has no decodeGraphReply: rebuild it');
  }
  return graphWireDecoderFactory(decode, graph, options);
}
