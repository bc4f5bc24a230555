import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { jsWireDecoder } from '@fusedis/graph';
import { createJsDecoder, type DecoderFactory } from '@fusedis/resp';
import { afterEach, describe, expect, it } from 'vitest';
import { NativeCodecUnavailableError, resolveDecoder } from '../../src/index.js';
import { decoderInfoOf, type NativeCodec, resolveDecoderWith } from '../../src/resolve-decoder.js';

const saved = process.env.FUSEDIS_DECODER;
afterEach(() => {
  if (saved === undefined) delete process.env.FUSEDIS_DECODER;
  else process.env.FUSEDIS_DECODER = saved;
});

const broken = (): Promise<NativeCodec> => Promise.reject(new Error('no binary for this platform'));
const fakeNative: DecoderFactory = (sink, options) => createJsDecoder(sink, options);
const working = (): Promise<NativeCodec> => Promise.resolve({ decoder: fakeNative });

/** Whether the real addon loads here (it is built in this workspace; it may not be elsewhere). */
const nativeLoads = await import('@fusedis/native-codec').then(
  () => true,
  () => false,
);

describe('resolveDecoder', () => {
  it('uses a factory as given', async () => {
    const factory = createJsDecoder;
    expect(await resolveDecoder(factory)).toMatchObject({ kind: 'custom', factory });
  });

  it("'js' is the JS decoder", async () => {
    delete process.env.FUSEDIS_DECODER;
    expect(await resolveDecoderWith('js', working)).toMatchObject({ kind: 'js', factory: createJsDecoder });
  });

  it("'auto' takes the package's auto decoder when it has one, and says where it switches", async () => {
    delete process.env.FUSEDIS_DECODER;
    const fakeAuto: DecoderFactory = (sink, options) => createJsDecoder(sink, options);
    const mixed = (): Promise<NativeCodec> =>
      Promise.resolve({ decoder: fakeNative, autoDecoder: fakeAuto, autoMinElements: 4096 });
    expect(await resolveDecoderWith('auto', mixed)).toMatchObject({
      kind: 'auto',
      factory: fakeAuto,
      reason: "decoder: 'auto'; native for replies of 4096+ elements, JS for the rest",
    });
    expect(await resolveDecoderWith('native', mixed)).toMatchObject({ kind: 'native', factory: fakeNative });
    const withMaps = (): Promise<NativeCodec> =>
      Promise.resolve({
        decoder: fakeNative,
        autoDecoder: fakeAuto,
        autoMinElements: 4096,
        autoMinMapEntries: 1024,
      });
    expect(await resolveDecoderWith('auto', withMaps)).toMatchObject({
      reason: "decoder: 'auto'; native for replies of 4096+ elements (maps: 1024+ entries), JS for the rest",
    });
    const withShortLists = (): Promise<NativeCodec> =>
      withMaps().then((codec) => ({ ...codec, autoJsMaxElementBytes: 24 }));
    expect(await resolveDecoderWith('auto', withShortLists)).toMatchObject({
      reason:
        "decoder: 'auto'; native for replies of 4096+ elements (maps: 1024+ entries; lists of integers or strings up to 24 bytes: JS), JS for the rest",
    });
    process.env.FUSEDIS_DECODER = 'native';
    expect(await resolveDecoderWith('auto', mixed)).toMatchObject({ kind: 'native', factory: fakeNative });
  });

  it("'auto' and 'native' take the native decoder when it loads", async () => {
    delete process.env.FUSEDIS_DECODER;
    expect(await resolveDecoderWith('auto', working)).toMatchObject({ kind: 'native', factory: fakeNative });
    expect(await resolveDecoderWith('native', working)).toMatchObject({
      kind: 'native',
      factory: fakeNative,
    });
  });

  it("'auto' falls back to JS when native cannot load, says why, and publishes on fusedis:decoder:fallback", async () => {
    delete process.env.FUSEDIS_DECODER;
    const seen: unknown[] = [];
    const listener = (m: unknown): void => {
      seen.push(m);
    };
    subscribe('fusedis:decoder:fallback', listener);
    try {
      const resolved = await resolveDecoderWith('auto', broken);
      expect(resolved.kind).toBe('js');
      expect(resolved.factory).toBe(createJsDecoder);
      expect(resolved.reason).toBe("decoder: 'auto'; native unavailable: no binary for this platform");
      expect(resolved.nativeError?.message).toBe('no binary for this platform');
    } finally {
      unsubscribe('fusedis:decoder:fallback', listener);
    }
    expect(seen).toEqual([expect.objectContaining({ reason: expect.stringMatching(/native unavailable/) })]);
  });

  it("'native' that cannot load rejects with NativeCodecUnavailableError, the failure as cause", async () => {
    delete process.env.FUSEDIS_DECODER;
    const err = await resolveDecoderWith('native', broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NativeCodecUnavailableError);
    expect((err as NativeCodecUnavailableError).code).toBe('ERR_NATIVE_CODEC_UNAVAILABLE');
    expect(((err as Error).cause as Error).message).toBe('no binary for this platform');
  });

  it('FUSEDIS_DECODER overrides a named choice but not a factory', async () => {
    process.env.FUSEDIS_DECODER = 'js';
    expect(await resolveDecoderWith('native', working)).toMatchObject({
      kind: 'js',
      reason: 'FUSEDIS_DECODER=js',
    });
    expect((await resolveDecoderWith(createJsDecoder, working)).kind).toBe('custom');
    process.env.FUSEDIS_DECODER = 'native';
    expect(await resolveDecoderWith('js', working)).toMatchObject({
      kind: 'native',
      reason: 'FUSEDIS_DECODER=native',
    });
  });

  it('loads the real @fusedis/native-codec when it is installed and built, with its graph decoder', async () => {
    delete process.env.FUSEDIS_DECODER;
    const auto = await resolveDecoder('auto');
    expect(auto.kind).toBe(nativeLoads ? 'auto' : 'js');
    expect(auto.graphWireDecoder).toBeUndefined();
    const native = resolveDecoder('native');
    if (!nativeLoads) {
      await expect(native).rejects.toThrow(NativeCodecUnavailableError);
      return;
    }
    const resolved = await native;
    expect(typeof resolved.graphWireDecoder).toBe('function');
    // One native graph decoder (and its scratch tape) per process, not per client.
    expect((await resolveDecoder('native')).graphWireDecoder).toBe(resolved.graphWireDecoder);
  });

  it("the native graph decoder serves every reply with 'native', none with 'auto' or 'js'", async () => {
    delete process.env.FUSEDIS_DECODER;
    const asked: number[] = [];
    const graphFactory = jsWireDecoder;
    const withGraph = (): Promise<NativeCodec> =>
      Promise.resolve({
        decoder: fakeNative,
        graphWireDecoder: (minBytes) => {
          asked.push(minBytes);
          return graphFactory;
        },
      });
    const auto = await resolveDecoderWith('auto', withGraph);
    expect(auto.graphWireDecoder).toBeUndefined();
    expect(decoderInfoOf(auto).graphDecoder).toBe('js');
    expect((await resolveDecoderWith('native', withGraph)).graphWireDecoder).toBe(graphFactory);
    expect((await resolveDecoderWith('js', withGraph)).graphWireDecoder).toBeUndefined();
    expect(asked).toEqual([0]);
    const olderAddon = (): Promise<NativeCodec> =>
      Promise.resolve({
        decoder: fakeNative,
        graphWireDecoder: () => {
          throw new TypeError('the loaded addon has no decodeGraphReply: rebuild it');
        },
      });
    const resolved = await resolveDecoderWith('native', olderAddon);
    expect(resolved.kind).toBe('native');
    expect(resolved.graphWireDecoder).toBeUndefined();
    expect(decoderInfoOf(resolved).graphDecoder).toBe('js');
  });
});
