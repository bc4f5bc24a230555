import type { DecoderFactory } from '@fusedis/resp';
import { describe } from 'vitest';
import { describeFixtureContract } from './contract-fixtures.js';
import { describeHostileContract } from './contract-hostile.js';
import { describeLargeBulkContract } from './contract-large-bulks.js';
import { describeStreamedListContract } from './contract-streamed-lists.js';
import { describeStreamingContract } from './contract-streaming.js';

/**
 * Registers the decoder contract suite (vitest `describe`/`it`) for one `DecoderFactory`.
 * Every decoder — the JS one, the native one, the oracle — runs it unchanged:
 *
 * ```ts
 * describeDecoderContract('js', createJsDecoder);
 * ```
 *
 * It covers every fixture in every chunking, prefixes (incomplete input is never an error),
 * `reset()`, the per-reply string mode, attributes, large lists and bulk strings in many chunks, and every hostile input with its exact
 * `RespProtocolError` reason, limits included.
 */
export function describeDecoderContract(
  name: string,
  factory: DecoderFactory,
  options: { readonly largeInputs?: boolean } = {},
): void {
  describe(`decoder contract: ${name}`, () => {
    describeFixtureContract(factory);
    describeStreamingContract(factory);
    // `largeInputs: false` for a decoder that re-parses per chunk (the oracle): quadratic on these.
    if (options.largeInputs !== false) {
      describeStreamedListContract(factory);
      describeLargeBulkContract(factory);
    }
    describeHostileContract(factory);
  });
}

export {
  chunkOffsetsArbitrary,
  decodeOptionsArbitrary,
  limitsArbitrary,
  type Mutation,
  mutate,
  mutationsArbitrary,
  type RespArbitraryOptions,
  respNode,
  respStream,
} from './arbitraries.js';
export { canonical, obj } from './canonical.js';
export { eventsByFrame, frameEnds, offsetsOf } from './contract-fixtures.js';
export {
  asPlainUint8Arrays,
  byteByByte,
  type Chunking,
  canonicalEvents,
  cutAt,
  type DecodeEvent,
  type DecodeHooks,
  type DecodeResult,
  decodeAll,
  fixedChunks,
  outcome,
  randomChunks,
  seededRandom,
  splitAt,
  toBytes,
  whole,
} from './decode-all.js';
export { type FastCheckRuns, fastCheckRuns } from './fast-check-runs.js';
export {
  ALL_BYTES,
  attribute,
  bulk,
  DECODER_FIXTURES,
  type DecoderFixture,
  decoderFixture,
  INVALID_UTF8,
  nested,
  push,
  reply,
  type Wire,
  wire,
} from './fixtures.js';
export { cutBytes, type FrameEvent, type FrameRun, type ModeOf, runFrames } from './frame-run.js';
export { deepArrays, HOSTILE_CASES, type HostileCase } from './hostile.js';
export { chunkingAt, type MutatedStreamCase, mutatedStreamCaseArbitrary } from './mutated-stream-case.js';
export { createOracleDecoder, deliverNode, nodeToValue, oracleEvents } from './oracle.js';
export { INCOMPLETE, type ParsedFrame, parseFrame, parseFrames } from './oracle-parse.js';
export type { NullWire, RespEntry, RespNode } from './resp-node.js';
export { writeResp, writeStream } from './resp-writer.js';
