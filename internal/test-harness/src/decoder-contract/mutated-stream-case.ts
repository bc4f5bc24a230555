import { type DecodeOptionsInput, resolveLimits } from '@fusedis/resp';
import fc from 'fast-check';
import {
  chunkOffsetsArbitrary,
  decodeOptionsArbitrary,
  limitsArbitrary,
  mutate,
  mutationsArbitrary,
  respStream,
} from './arbitraries.js';
import { type Chunking, cutAt } from './decode-all.js';
import { writeStream } from './resp-writer.js';

/** A chunking that cuts `length` bytes at `offsets`, each taken modulo `length + 1`. */
export function chunkingAt(offsets: readonly number[], length: number): Chunking {
  return cutAt(offsets.map((offset) => offset % (length + 1)));
}

/** What a differential property feeds two decoders: a mutated stream, its options, its chunking. */
export interface MutatedStreamCase {
  readonly bytes: Buffer;
  readonly options: DecodeOptionsInput;
  readonly chunking: Chunking;
}

/**
 * A generated RESP3 stream with random edits (so also broken ones), decoded with random limits and
 * options, cut at random offsets.
 */
export const mutatedStreamCaseArbitrary: fc.Arbitrary<MutatedStreamCase> = fc
  .tuple(respStream(), mutationsArbitrary, limitsArbitrary, decodeOptionsArbitrary, chunkOffsetsArbitrary)
  .map(([nodes, mutations, limits, shape, offsets]) => {
    const bytes = mutate(writeStream(nodes).bytes, mutations);
    return {
      bytes,
      options: { ...shape, limits: resolveLimits(limits) },
      chunking: chunkingAt(offsets, bytes.length),
    };
  });
