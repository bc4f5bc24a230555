import { channel } from 'node:diagnostics_channel';
import { createJsDecoder, type DecoderFactory } from '@fusedis/resp';
import type { DecoderChoice } from './client-options.js';
import { NativeCodecUnavailableError } from './errors.js';

/** Which decoder a client ended up with, and why. */
export interface DecoderInfo {
  /** `js` (the `@fusedis/resp` decoder), `native` (`@fusedis/native-codec`) or `custom` (your factory). */
  readonly kind: 'js' | 'native' | 'custom';
  /** Why this one: e.g. `decoder: 'auto'; native unavailable: Cannot find package …`. */
  readonly reason: string;
}

/** A decoder choice resolved to a factory. */
export interface ResolvedDecoder extends DecoderInfo {
  readonly factory: DecoderFactory;
  /** Why the native decoder could not be used, when `auto` fell back to JS. */
  readonly nativeError?: Error;
}

/** Published (only when subscribed) each time `auto` falls back to JS: `{ reason, error }`. */
export const decoderFallbackChannel = channel('fusedis:decoder:fallback');

// A variable, so bundlers and tsc leave the optional peer alone when it is not installed.
const NATIVE_PACKAGE = '@fusedis/native-codec';
let nativeFactory: Promise<DecoderFactory> | undefined; // loaded once per process

async function loadNative(): Promise<DecoderFactory> {
  const module: unknown = await import(NATIVE_PACKAGE);
  const factory = (module as { createNativeDecoder?: unknown }).createNativeDecoder;
  if (typeof factory !== 'function') {
    throw new TypeError(`${NATIVE_PACKAGE} does not export createNativeDecoder`);
  }
  return factory as DecoderFactory;
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
    nativeFactory ??= loadNative();
    return nativeFactory;
  });
}

/**
 * {@link resolveDecoder} with the native loader given: the seam its tests use to exercise both
 * outcomes whether or not the addon is built here. Internal (not exported from the package).
 */
export async function resolveDecoderWith(
  choice: DecoderChoice,
  loadNativeFactory: () => Promise<DecoderFactory>,
): Promise<ResolvedDecoder> {
  if (typeof choice === 'function') return { kind: 'custom', factory: choice, reason: 'decoder: a factory' };
  const env = decoderFromEnv();
  const want = env ?? choice;
  const asked = env === undefined ? `decoder: '${choice}'` : `FUSEDIS_DECODER=${env}`;
  if (want === 'js') return { kind: 'js', factory: createJsDecoder, reason: asked };
  try {
    return { kind: 'native', factory: await loadNativeFactory(), reason: asked };
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
