import {
  createJsDecoder,
  type DecodeOptionsInput,
  type ReplyMode,
  resolveLimits,
  type StringMode,
} from '@fusedis/resp';
import {
  type Chunking,
  chunkingAt,
  chunkOffsetsArbitrary,
  cutBytes,
  type DecodeHooks,
  type DecodeResult,
  decodeAll,
  decodeOptionsArbitrary,
  fastCheckRuns,
  limitsArbitrary,
  type ModeOf,
  mutate,
  mutatedStreamCaseArbitrary,
  mutationsArbitrary,
  outcome,
  respStream,
  runFrames,
  whole,
  writeStream,
} from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

// Differential fuzzing: the JS decoder is the reference, and the native one must agree exactly —
// values, sink calls in order, error class, reason, message and offset, what feed() threw — under
// the same random chunking. FC_NUM_RUNS raises the counts locally; FC_SEED replays a failure.
const { base: RUNS, runs } = fastCheckRuns(200);
const TIMEOUT = Math.max(60_000, RUNS * 100);

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
          bothAgree(bytes, options, chunkingAt(a, bytes.length));
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
        fc.property(mutatedStreamCaseArbitrary, ({ bytes, options, chunking }) => {
          bothAgree(bytes, options, chunking);
        }),
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
          bothAgree(bytes, { limits: resolveLimits(limits) }, chunkingAt(a, bytes.length));
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
    'a per-reply stringMode under random chunking, attributes included: identical values and calls',
    () => {
      fc.assert(
        fc.property(
          respStream(),
          decodeOptionsArbitrary,
          fc.array(fc.constantFrom<StringMode>('utf8', 'buffer'), { minLength: 1, maxLength: 8 }),
          chunkOffsetsArbitrary,
          (nodes, options, modes, a) => {
            const { bytes } = writeStream(nodes);
            // Both decode an attribute with options.strings, whichever mode its reply gets.
            bothAgree(bytes, options, chunkingAt(a, bytes.length), () => {
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
            bothAgree(bytes, { ...options, strings: mode }, chunkingAt(a, bytes.length), () => ({
              stringMode: () => mode,
            }));
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    'frame mode among the others, per reply, random chunks: identical frames, values and calls',
    () => {
      fc.assert(
        fc.property(
          respStream(),
          decodeOptionsArbitrary,
          fc.array(fc.constantFrom<ReplyMode>('utf8', 'buffer', 'frame'), { minLength: 1, maxLength: 8 }),
          chunkOffsetsArbitrary,
          (nodes, options, modes, offsets) => {
            const { bytes } = writeStream(nodes);
            const modeOf: ModeOf = (_kind, i) => modes[i % modes.length] as ReplyMode;
            framesAgree(bytes, options, offsets, modeOf);
          },
        ),
        runs(RUNS * 2),
      );
    },
    TIMEOUT,
  );

  it(
    'frame mode on mutated streams, any limits: identical values and errors',
    () => {
      fc.assert(
        fc.property(
          respStream(),
          mutationsArbitrary,
          limitsArbitrary,
          decodeOptionsArbitrary,
          chunkOffsetsArbitrary,
          fc.boolean(),
          (nodes, mutations, limits, shape, offsets, mixed) => {
            const bytes = mutate(writeStream(nodes).bytes, mutations);
            const modeOf: ModeOf = (_kind, i) => (mixed && i % 2 === 1 ? 'buffer' : 'frame');
            framesAgree(bytes, { ...shape, limits: resolveLimits(limits) }, offsets, modeOf);
          },
        ),
        runs(RUNS * 4),
      );
    },
    TIMEOUT,
  );
});

/** Both decoders with a `replyMode` sink: the same sink calls (frames as bytes), whole and chunked. */
function framesAgree(
  bytes: Uint8Array,
  options: DecodeOptionsInput,
  offsets: readonly number[],
  modeOf: ModeOf,
): void {
  for (const bounds of [[], offsets.map((o) => o % (bytes.length + 1))]) {
    const js = runFrames(createJsDecoder, cutBytes(bytes, bounds), options, modeOf);
    const native = runFrames(createNativeDecoder, cutBytes(bytes, bounds), options, modeOf);
    expect(native.events).toEqual(js.events);
    expect(native.thrown).toEqual(js.thrown);
    // Native asks once per whole frame; JS as soon as a frame's type is known (also for one
    // that then breaks the protocol or stays cut short), so it may have asked one more.
    const framesAsked = native.events.filter((e) => e.kind === 'reply' || e.kind === 'push').length;
    expect(native.asked.length).toBe(framesAsked);
    expect(native.asked).toEqual(js.asked.slice(0, native.asked.length));
  }
}
