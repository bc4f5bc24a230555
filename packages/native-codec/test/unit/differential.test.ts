import { createJsDecoder, type DecodeOptionsInput, resolveLimits, type StringMode } from '@fusedis/resp';
import {
  type Chunking,
  chunkOffsetsArbitrary,
  cutAt,
  type DecodeHooks,
  type DecodeResult,
  decodeAll,
  decodeOptionsArbitrary,
  limitsArbitrary,
  mutate,
  mutationsArbitrary,
  outcome,
  respStream,
  whole,
  writeStream,
} from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

// Differential fuzzing: the JS decoder is the reference, and the native one must agree exactly —
// values, sink calls in order, error class, reason, message and offset, what feed() threw — under
// the same random chunking. FC_NUM_RUNS raises the counts locally; FC_SEED replays a failure.
const RUNS = Number(process.env.FC_NUM_RUNS ?? 200);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
function runs(numRuns: number): { numRuns: number; seed?: number } {
  return SEED === undefined ? { numRuns } : { numRuns, seed: SEED };
}
const TIMEOUT = Math.max(60_000, RUNS * 100);

function chunkingOf(offsets: readonly number[], length: number): Chunking {
  return cutAt(offsets.map((offset) => offset % (length + 1)));
}

/** `outcome`, plus each protocol error's class, message and offset. */
function strict(result: DecodeResult): unknown {
  return {
    ...outcome(result),
    errors: result.errors.map((err) => ({
      name: err.name,
      message: err.message,
      offset: err.offset,
      reason: err.reason,
    })),
  };
}

function bothAgree(
  bytes: Uint8Array,
  options: DecodeOptionsInput | undefined,
  chunking: Chunking,
  hooks?: () => DecodeHooks,
): void {
  const js = decodeAll(createJsDecoder, bytes, options, chunking, hooks?.());
  const native = decodeAll(createNativeDecoder, bytes, options, chunking, hooks?.());
  expect(strict(native)).toEqual(strict(js));
  expect(native.stringModeCalls).toEqual(js.stringModeCalls);
}

/** RESP-looking noise: type bytes, digits, CRLFs and anything else. */
const noise = fc
  .array(
    fc.oneof(
      fc.constantFrom(...'+-:$*_#,(!=%~|>'.split('').map((c) => c.charCodeAt(0))),
      fc.constantFrom(0x0d, 0x0a, 0x0d, 0x0a),
      fc.integer({ min: 0x30, max: 0x39 }),
      fc.integer({ min: 0, max: 255 }),
    ),
    { maxLength: 120 },
  )
  .map((bytes) => Uint8Array.from(bytes));

describe('native vs JS decoder (differential)', () => {
  it(
    'generated RESP3 streams, any options, random chunks: identical sink calls',
    () => {
      fc.assert(
        fc.property(respStream(), decodeOptionsArbitrary, chunkOffsetsArbitrary, (nodes, options, a) => {
          const { bytes } = writeStream(nodes);
          bothAgree(bytes, options, chunkingOf(a, bytes.length));
        }),
        runs(RUNS * 2),
      );
    },
    TIMEOUT,
  );

  it(
    'mutated streams, any limits and options, random chunks: identical values and errors',
    () => {
      fc.assert(
        fc.property(
          respStream(),
          mutationsArbitrary,
          limitsArbitrary,
          decodeOptionsArbitrary,
          chunkOffsetsArbitrary,
          (nodes, mutations, limits, shape, a) => {
            const bytes = mutate(writeStream(nodes).bytes, mutations);
            bothAgree(bytes, { ...shape, limits: resolveLimits(limits) }, chunkingOf(a, bytes.length));
          },
        ),
        runs(RUNS * 4),
      );
    },
    TIMEOUT,
  );

  it(
    'random bytes, tight limits, random chunks: identical values and errors',
    () => {
      fc.assert(
        fc.property(noise, limitsArbitrary, chunkOffsetsArbitrary, (bytes, limits, a) => {
          bothAgree(bytes, { limits: resolveLimits(limits) }, chunkingOf(a, bytes.length));
          bothAgree(bytes, { limits: resolveLimits(limits) }, whole);
        }),
        runs(RUNS * 4),
      );
    },
    TIMEOUT,
  );

  it(
    'a per-reply stringMode: identical values and stringMode calls',
    () => {
      fc.assert(
        fc.property(
          respStream(),
          decodeOptionsArbitrary,
          fc.array(fc.constantFrom<StringMode>('utf8', 'buffer'), { minLength: 1, maxLength: 8 }),
          (nodes, options, modes) => {
            const { bytes } = writeStream(nodes);
            // Whole: the JS decoder decides a reply's mode once its top-level type is known, even
            // when the reply is still cut short; the native one once it is whole. The same calls
            // result; only an attribute before a cut-short reply could then differ (see README).
            bothAgree(bytes, options, whole, () => {
              let call = 0;
              return { stringMode: () => modes[call++ % modes.length] as StringMode };
            });
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    'a stringMode sink under random chunking (its mode agreeing with options.strings): identical calls',
    () => {
      fc.assert(
        fc.property(
          respStream(),
          decodeOptionsArbitrary,
          fc.constantFrom<StringMode>('utf8', 'buffer'),
          chunkOffsetsArbitrary,
          (nodes, options, mode, a) => {
            const { bytes } = writeStream(nodes);
            bothAgree(bytes, { ...options, strings: mode }, chunkingOf(a, bytes.length), () => ({
              stringMode: () => mode,
            }));
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );
});
