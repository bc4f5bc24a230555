import { FusedisError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { NativeCodecUnavailableError, nativeInfo } from '../../src/index.js';
import { loadBinding, platformTriple } from '../../src/load-binding.js';

describe('loader', () => {
  it('loads this package’s own build and says so', () => {
    const info = nativeInfo();
    expect(info.kind).toBe('native');
    expect(info.triple).toBe(platformTriple());
    expect(['local-build', 'platform-package', 'override']).toContain(info.source);
    expect(info.nodeApi).toBe(process.versions.napi);
  });

  it('names linux-x64-gnu as napi-rs names it on this machine', () => {
    if (process.platform === 'linux' && process.arch === 'x64')
      expect(platformTriple()).toMatch(/^linux-x64-(gnu|musl)$/);
    else expect(platformTriple()).toBe(`${process.platform}-${process.arch}`);
  });

  it('turns a missing addon into NativeCodecUnavailableError with the cause chained', () => {
    let thrown: unknown;
    try {
      loadBinding('./no-such-binding.cjs');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(NativeCodecUnavailableError);
    expect(thrown).toBeInstanceOf(FusedisError);
    const err = thrown as NativeCodecUnavailableError;
    expect(err.name).toBe('NativeCodecUnavailableError');
    expect(err.code).toBe('ERR_NATIVE_CODEC_UNAVAILABLE');
    expect(err.message).toContain(`@fusedis/native-codec-${platformTriple()}`);
    expect(err.message).toContain('FUSEDIS_DECODER=js');
    expect((err.cause as NodeJS.ErrnoException).code).toBe('MODULE_NOT_FOUND');
  });

  it('refuses a module that is not the addon', () => {
    expect(() => loadBinding('node:path')).toThrow(NativeCodecUnavailableError);
  });

  it('brands the error so instanceof survives a second copy of the class', () => {
    const foreign = Object.create({
      [Symbol.for('fusedis.error.NativeCodecUnavailableError')]: true,
    }) as object;
    expect(foreign).toBeInstanceOf(NativeCodecUnavailableError);
  });
});
