import {
  canonicalEvents,
  chunkingAt,
  chunkOffsetsArbitrary,
  createOracleDecoder,
  decodeAll,
  decodeOptionsArbitrary,
  fastCheckRuns,
  mutate,
  mutatedStreamCaseArbitrary,
  mutationsArbitrary,
  oracleEvents,
  outcome,
  parseFrames,
  respStream,
  whole,
  writeStream,
} from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsDecoder, DEFAULT_LIMITS } from '../../src/index.js';

// Run counts keep the whole unit suite well under a minute on two cores; raise them locally
// (FC_NUM_RUNS=10000) when hunting.
// FC_SEED replays a failure fast-check reported (with its seed); otherwise every run explores anew.
const { base: RUNS, runs } = fastCheckRuns(150);
/** Generous: a slow CI machine must not turn a passing property into a timeout. */
const TIMEOUT = Math.max(30_000, RUNS * 40);

/** A chunking from raw numbers, folded into the stream's length. */
describe('decoder properties', () => {
  it(
    'the oracle reads back exactly the trees the test writer wrote',
    () => {
      fc.assert(
        fc.property(respStream(), (nodes) => {
          const { bytes } = writeStream(nodes);
          expect(parseFrames(bytes, DEFAULT_LIMITS)).toEqual({ nodes, rest: bytes.length });
        }),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    'RESP3 values, any options, random chunks: the JS decoder yields the expected values, like the oracle',
    () => {
      fc.assert(
        fc.property(
          respStream(),
          decodeOptionsArbitrary,
          chunkOffsetsArbitrary,
          chunkOffsetsArbitrary,
          (nodes, options, a, b) => {
            const { bytes } = writeStream(nodes);
            const expected = { events: canonicalEvents(oracleEvents(nodes, options)), thrown: undefined };
            expect(outcome(decodeAll(createJsDecoder, bytes, options, chunkingAt(a, bytes.length)))).toEqual(
              expected,
            );
            expect(
              outcome(decodeAll(createOracleDecoder, bytes, options, chunkingAt(b, bytes.length))),
            ).toEqual(expected);
          },
        ),
        runs(RUNS * 2),
      );
    },
    TIMEOUT,
  );

  it(
    'RESP2-only values, random chunks: likewise',
    () => {
      fc.assert(
        fc.property(
          respStream({ resp2Only: true, maxDepth: 4 }),
          decodeOptionsArbitrary,
          chunkOffsetsArbitrary,
          (nodes, options, a) => {
            const { bytes } = writeStream(nodes);
            const expected = { events: canonicalEvents(oracleEvents(nodes, options)), thrown: undefined };
            expect(outcome(decodeAll(createJsDecoder, bytes, options, chunkingAt(a, bytes.length)))).toEqual(
              expected,
            );
            expect(outcome(decodeAll(createOracleDecoder, bytes, options, whole))).toEqual(expected);
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    'a prefix of a valid stream yields exactly the frames wholly inside it, and no error',
    () => {
      fc.assert(
        fc.property(
          respStream(),
          decodeOptionsArbitrary,
          fc.nat(),
          chunkOffsetsArbitrary,
          (nodes, options, cut, a) => {
            const { bytes, ends } = writeStream(nodes);
            const length = cut % (bytes.length + 1);
            const inside = nodes.filter((_, i) => (ends[i] as number) <= length);
            const expected = { events: canonicalEvents(oracleEvents(inside, options)), thrown: undefined };
            const prefix = bytes.subarray(0, length);
            expect(outcome(decodeAll(createJsDecoder, prefix, options, chunkingAt(a, length)))).toEqual(
              expected,
            );
            expect(outcome(decodeAll(createOracleDecoder, prefix, options, whole))).toEqual(expected);
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    'mutated streams: the JS decoder and the oracle agree on values and on the error reason',
    () => {
      fc.assert(
        fc.property(mutatedStreamCaseArbitrary, ({ bytes, options, chunking }) => {
          const oracle = outcome(decodeAll(createOracleDecoder, bytes, options, chunking));
          expect(outcome(decodeAll(createJsDecoder, bytes, options, chunking))).toEqual(oracle);
        }),
        runs(RUNS * 4),
      );
    },
    TIMEOUT,
  );

  it(
    'mutated streams with roomy reply limits: chunking never changes what the JS decoder says',
    () => {
      fc.assert(
        fc.property(respStream(), mutationsArbitrary, chunkOffsetsArbitrary, (nodes, mutations, a) => {
          const bytes = mutate(writeStream(nodes).bytes, mutations);
          const atOnce = outcome(decodeAll(createJsDecoder, bytes, undefined, whole));
          expect(outcome(decodeAll(createJsDecoder, bytes, undefined, chunkingAt(a, bytes.length)))).toEqual(
            atOnce,
          );
        }),
        runs(RUNS * 2),
      );
    },
    TIMEOUT,
  );
});
