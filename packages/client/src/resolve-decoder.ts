import { channel } from 'node:diagnostics_channel';
import type { WireDecoderFactory } from '@fusedis/graph';
import * as graphModule from '@fusedis/graph';
import { createJsDecoder, type DecoderFactory } from '@fusedis/resp';
import type { DecoderChoice } from './client-options.js';
import { NativeCodecUnavailableError } from './errors.js';

/** Which decoder a client ended up with, and why. */
export interface DecoderInfo {
  /**
   * `js` (the `@fusedis/resp` decoder), `native` (`@fusedis/native-codec`'s), `auto` (both:
   * native-codec's `createAutoDecoder`, native for large replies and JS for the rest) or `custom`
   * (your factory).
   */
  readonly kind: 'js' | 'native' | 'auto' | 'custom';
  /** Why this one: e.g. `decoder: 'auto'; native unavailable: Cannot find package …`. */
  readonly reason: string;
  /**
   * Which decoder reads `client.graph()`'s compact replies: `native` (`@fusedis/native-codec`'s
   * FalkorDB decoder, with `'native'`) or `js` (`@fusedis/graph`'s, which `'auto'` uses too).
   */
  readonly graphDecoder?: 'native' | 'js';
}

/** A decoder choice resolved to a factory. */
export interface ResolvedDecoder extends DecoderInfo {
  readonly factory: DecoderFactory;
  /** With `'native'`: `@fusedis/native-codec`'s FalkorDB decoder for `client.graph()`'s compact replies. */
  readonly graphWireDecoder?: WireDecoderFactory;
  /** Why the native decoder could not be used, when `auto` fell back to JS. */
  readonly nativeError?: Error;
}

/** Published (only when subscribed) each time `auto` falls back to JS: `{ reason, error }`. */
export const decoderFallbackChannel = channel('fusedis:decoder:fallback');

/** What the native package gives: the RESP decoder, and (when the addon has it) a graph decoder maker. */
export interface NativeCodec {
  readonly decoder: DecoderFactory;
  /** The `auto` decoder (native for replies of at least `autoMinElements` elements, JS below), when the package has it. */
  readonly autoDecoder?: DecoderFactory;
  readonly autoMinElements?: number;
  /** Maps go native from this many entries (packages that route maps apart). */
  readonly autoMinMapEntries?: number;
  /** Lists of integers or strings of at most this many bytes stay JS (packages that route them apart). */
  readonly autoJsMaxElementBytes?: number;
  /** The FalkorDB decoder for replies of at least `minBytes` (shorter ones: graph's JS decoder). */
  readonly graphWireDecoder?: (minBytes: number) => WireDecoderFactory;
}

// A variable, so bundlers and tsc leave the optional peer alone when it is not installed.
const NATIVE_PACKAGE = '@fusedis/native-codec';
let nativeCodec: Promise<NativeCodec> | undefined; // loaded once per process

async function loadNative(): Promise<NativeCodec> {
  const module: unknown = await import(NATIVE_PACKAGE);
  const {
    createNativeDecoder,
    createGraphWireDecoder,
    createAutoDecoder,
    AUTO_NATIVE_MIN_ELEMENTS,
    AUTO_NATIVE_MIN_MAP_ENTRIES,
    AUTO_JS_MAX_ELEMENT_BYTES,
  } = module as {
    createNativeDecoder?: unknown;
    createGraphWireDecoder?: unknown;
    createAutoDecoder?: unknown;
    AUTO_NATIVE_MIN_ELEMENTS?: unknown;
    AUTO_NATIVE_MIN_MAP_ENTRIES?: unknown;
    AUTO_JS_MAX_ELEMENT_BYTES?: unknown;
  };
  if (typeof createNativeDecoder !== 'function') {
    throw new TypeError(`${NATIVE_PACKAGE} does not export createNativeDecoder`);
  }
  const decoders: Pick<
    NativeCodec,
    'decoder' | 'autoDecoder' | 'autoMinElements' | 'autoMinMapEntries' | 'autoJsMaxElementBytes'
  > =
    typeof createAutoDecoder === 'function' && typeof AUTO_NATIVE_MIN_ELEMENTS === 'number'
      ? {
          decoder: createNativeDecoder as DecoderFactory,
          autoDecoder: createAutoDecoder as DecoderFactory,
          autoMinElements: AUTO_NATIVE_MIN_ELEMENTS,
          ...(typeof AUTO_NATIVE_MIN_MAP_ENTRIES === 'number'
            ? { autoMinMapEntries: AUTO_NATIVE_MIN_MAP_ENTRIES }
            : {}),
          ...(typeof AUTO_JS_MAX_ELEMENT_BYTES === 'number'
            ? { autoJsMaxElementBytes: AUTO_JS_MAX_ELEMENT_BYTES }
            : {}),
        }
      : { decoder: createNativeDecoder as DecoderFactory };
  if (typeof createGraphWireDecoder !== 'function') return decoders;
  const make = createGraphWireDecoder as (
    graph: unknown,
    options: { minBytes: number },
  ) => WireDecoderFactory;
  // One factory per threshold for the process: each keeps a scratch tape (up to 32 MiB) it reuses.
  const made = new Map<number, WireDecoderFactory>();
  return {
    ...decoders,
    graphWireDecoder: (minBytes) => {
      let factory = made.get(minBytes);
      if (factory === undefined) {
        factory = make(graphModule, { minBytes });
        made.set(minBytes, factory);
      }
      return factory;
    },
  };
}

/** `FUSEDIS_DECODER=js|native` overrides a named choice (not a factory). */
function decoderFromEnv(): 'js' | 'native' | undefined {
  const value = process.env.FUSEDIS_DECODER;
  return value === 'js' || value === 'native' ? value : undefined;
}

/**
 * Turns a `decoder` option into a factory. `'native'` that cannot load rejects with
 * `NativeCodecUnavailableError`; `'auto'` never fails: it falls back to JS and says why.
 */
export function resolveDecoder(choice: DecoderChoice = 'auto'): Promise<ResolvedDecoder> {
  return resolveDecoderWith(choice, () => {
    nativeCodec ??= loadNative();
    return nativeCodec;
  });
}

/**
 * {@link resolveDecoder} with the native loader given: the seam its tests use to exercise both
 * outcomes whether or not the addon is built here. Internal (not exported from the package).
 */
export async function resolveDecoderWith(
  choice: DecoderChoice,
  loadNativeCodec: () => Promise<NativeCodec>,
): Promise<ResolvedDecoder> {
  if (typeof choice === 'function') return { kind: 'custom', factory: choice, reason: 'decoder: a factory' };
  const env = decoderFromEnv();
  const want = env ?? choice;
  const asked = env === undefined ? `decoder: '${choice}'` : `FUSEDIS_DECODER=${env}`;
  if (want === 'js') return { kind: 'js', factory: createJsDecoder, reason: asked };
  try {
    const native = await loadNativeCodec();
    // `auto` leaves graph replies to graph's JS decoder: the native one is slower on every graph
    // case of the benchmark now (decode, 2026-11-28: 1.02–1.67× the JS decoder's time from 100,000
    // rows, 3× on a 100-row reply), so only `'native'` asks for it (README, "Decoder choice").
    const graph = want === 'auto' ? undefined : graphDecoderOf(native, 0);
    // `auto` takes the package's mix when it has one: native pays a crossing per chunk, and loses
    // to JS on small replies (README, "Decoder choice").
    const resolved: ResolvedDecoder =
      want === 'auto' && native.autoDecoder !== undefined
        ? {
            kind: 'auto',
            factory: native.autoDecoder,
            reason: `${asked}; native for replies of ${native.autoMinElements ?? '?'}+ elements${autoExceptions(native)}, JS for the rest`,
          }
        : { kind: 'native', factory: native.decoder, reason: asked };
    return graph === undefined ? resolved : { ...resolved, graphWireDecoder: graph };
  } catch (cause) {
    const error = cause instanceof Error ? cause : new Error(String(cause));
    if (want === 'native') {
      throw new NativeCodecUnavailableError(`${asked}, but @fusedis/native-codec could not be loaded`, {
        cause: error,
      });
    }
    const reason = `${asked}; native unavailable: ${error.message}`;
    if (decoderFallbackChannel.hasSubscribers) decoderFallbackChannel.publish({ reason, error });
    return { kind: 'js', factory: createJsDecoder, reason, nativeError: error };
  }
}

/** The native graph decoder, or undefined (graph's JS one then serves) when this addon cannot make one. */
function graphDecoderOf(native: NativeCodec, minBytes: number): WireDecoderFactory | undefined {
  try {
    return native.graphWireDecoder?.(minBytes);
  } catch {
    return undefined; // an addon built before the graph decoder existed
  }
}

/** The public summary of a resolved decoder (`client.decoderInfo`). */
export function decoderInfoOf(resolved: ResolvedDecoder): DecoderInfo {
  return {
    kind: resolved.kind,
    reason: resolved.reason,
    graphDecoder: resolved.graphWireDecoder === undefined ? 'js' : 'native',
  };
}

/** The parenthesis of `auto`'s reason: the package's routing rules besides its element threshold. */
function autoExceptions(native: NativeCodec): string {
  const rules: string[] = [];
  if (native.autoMinMapEntries !== undefined) rules.push(`maps: ${native.autoMinMapEntries}+ entries`);
  if (native.autoJsMaxElementBytes !== undefined) {
    rules.push(`lists of integers or strings up to ${native.autoJsMaxElementBytes} bytes: JS`);
  }
  return rules.length === 0 ? '' : ` (${rules.join('; ')})`;
}
