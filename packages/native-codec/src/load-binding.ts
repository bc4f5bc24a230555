import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { NativeCodecUnavailableError } from './native-codec-unavailable-error.js';

/**
 * What the generated `binding.cjs` exports: the shape of `binding.d.ts`, restated (src never
 * imports a .cjs's types), plus `feedDecoder`, which `src/lib.rs` registers by hand, so the
 * generated types do not list it.
 */
export interface NativeBinding {
  readonly NativeDecoder: new (flags: number, limits: number[]) => NativeDecoderHandle;
  /** Feeds a decoder: a plain Node-API function, not a method (`src/lib.rs`, `feed_decoder`). */
  readonly feedDecoder: (
    decoder: NativeDecoderHandle,
    chunk: Uint8Array | Uint8Array[],
    hooks: readonly unknown[],
    decide: boolean,
  ) => unknown[] | number | undefined;
  /** The numbers the wrappers share with Rust, by name (`src/layout.rs`; compared by a test). */
  readonly wireLayout: () => Record<string, number>;
}

/** One native decoder instance (see `src/lib.rs`). */
export interface NativeDecoderHandle {
  reset(): void;
  idle(): boolean;
}

/** Where the binary came from. */
export type BindingSource = 'local-build' | 'platform-package' | 'override';

/** The loaded binding and where it came from. */
export interface LoadedBinding {
  readonly binding: NativeBinding;
  readonly source: BindingSource;
}

let triple: string | undefined;

/** glibc or musl, told apart as napi-rs's loader does: `ldd` first, a diagnostic report's header otherwise. */
function isMusl(): boolean {
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return report?.header?.glibcVersionRuntime === undefined;
  }
}

/** The napi-rs target triple of this machine, as the platform packages are named (`linux-x64-gnu`). */
export function platformTriple(): string {
  if (triple !== undefined) return triple;
  const { platform, arch } = process;
  if (platform !== 'linux') {
    triple = `${platform}-${arch}`;
  } else {
    triple = `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`;
  }
  return triple;
}

/**
 * Loads the addon through the generated loader `binding.cjs` (next to `src/` and `dist/`), which
 * tries the local build (`native-codec.<triple>.node`) and then the platform package
 * `@fusedis/native-codec-<triple>`; `NAPI_RS_NATIVE_LIBRARY_PATH` overrides both. Any failure
 * becomes a `NativeCodecUnavailableError` whose message says what to do, with the loader's
 * errors chained as `cause`. `entry` is a seam for tests (a loader that is not there).
 */
export function loadBinding(entry = '../binding.cjs', base: string = import.meta.url): LoadedBinding {
  const require = createRequire(base);
  let binding: NativeBinding;
  try {
    binding = require(entry) as NativeBinding;
  } catch (cause) {
    const triple = platformTriple();
    throw new NativeCodecUnavailableError(
      `@fusedis/native-codec could not load its native addon for ${triple}: ` +
        `install the optional package @fusedis/native-codec-${triple}, or build from source ` +
        '(Rust toolchain, then `pnpm --filter @fusedis/native-codec build`), or use the JS decoder ' +
        "(`decoder: 'js'` / FUSEDIS_DECODER=js). The cause chain has each attempt's error.",
      { cause },
    );
  }
  if (typeof binding.NativeDecoder !== 'function' || typeof binding.feedDecoder !== 'function') {
    throw new NativeCodecUnavailableError(
      `@fusedis/native-codec loaded ${entry} but it has no NativeDecoder or feedDecoder export: rebuild the addon`,
    );
  }
  const local = new URL(`../native-codec.${platformTriple()}.node`, base);
  const source: BindingSource =
    process.env.NAPI_RS_NATIVE_LIBRARY_PATH !== undefined
      ? 'override'
      : existsSync(local)
        ? 'local-build'
        : 'platform-package';
  return { binding, source };
}
