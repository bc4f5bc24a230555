import type { DecodeOptionsInput, DecoderFactory } from '@fusedis/resp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOptionsArbitrary, respNode } from './arbitraries.js';
import {
  byteByByte,
  type Chunking,
  cutAt,
  decodeAll,
  fixedChunks,
  outcome,
  randomChunks,
  whole,
} from './decode-all.js';
import { fastCheckRuns } from './fast-check-runs.js';
import { bulk, wire } from './fixtures.js';
import { writeStream } from './resp-writer.js';

/*
 * Large top-level lists fed in pieces. A decoder may decode such a list element by element as
 * it arrives (the JS one does, to keep memory flat) instead of gathering it whole: whatever it
 * does, every chunking must give exactly what feeding the bytes whole gives — values, attributes,
 * errors and their reasons, and the replies after the list.
 */

/** `count` bulk strings `item-<i>`, as one list of type `type` (`*`, `~`, `>`). */
function bulkList(count: number, type = '*'): Buffer {
  const parts: Buffer[] = [Buffer.from(`${type}${count}\r\n`)];
  for (let i = 0; i < count; i++) parts.push(bulk(`item-${i}`));
  return Buffer.concat(parts);
}

/** A nested array of `count` integers: one element large enough to span many chunks. */
function intArray(count: number): string {
  let text = `*${count}\r\n`;
  for (let i = 0; i < count; i++) text += `:${i}\r\n`;
  return text;
}

const CHUNKINGS: Chunking[] = [fixedChunks(1460), fixedChunks(64), fixedChunks(7), randomChunks(5, 3000)];

/** Asserts that `bytes` decodes in every chunking exactly as it does whole; returns the whole outcome. */
function sameAsWhole(
  factory: DecoderFactory,
  bytes: Buffer,
  options?: DecodeOptionsInput,
  chunkings: readonly Chunking[] = CHUNKINGS,
): ReturnType<typeof outcome> {
  const expected = outcome(decodeAll(factory, bytes, options, whole));
  for (const chunking of chunkings) {
    expect(outcome(decodeAll(factory, bytes, options, chunking)), chunking.name).toEqual(expected);
  }
  return expected;
}

/** Large lists arriving in many chunks: the same values, attributes and errors as whole. */
export function describeStreamedListContract(factory: DecoderFactory): void {
  describe('large lists in many chunks', () => {
    it('a list of 5,000 bulk strings, then more replies, in both string modes', () => {
      const bytes = wire(bulkList(5000), '+OK\r\n:7\r\n');
      const expected = sameAsWhole(factory, bytes);
      expect(expected.events).toHaveLength(3);
      expect(expected.events[0]).toEqual({ reply: Array.from({ length: 5000 }, (_, i) => `item-${i}`) });
      sameAsWhole(factory, bytes, { strings: 'buffer' });
    });

    it('chunks cut exactly at element boundaries', () => {
      const list = bulkList(3000);
      const ends: number[] = [];
      for (let at = '*3000\r\n'.length, i = 0; i < 3000; i++) {
        at += bulk(`item-${i}`).length;
        ends.push(at);
      }
      const bytes = wire(list, '+after\r\n');
      const everyHundredth = cutAt(ends.filter((_, i) => i % 100 === 99));
      const expected = sameAsWhole(factory, bytes, undefined, [everyHundredth, cutAt([ends[200] as number])]);
      expect(expected.events).toHaveLength(2);
    });

    it('a set (as array and as Set) and a push', () => {
      const bytes = wire(bulkList(3000, '~'), bulkList(3000, '>'), bulkList(2, '*'));
      sameAsWhole(factory, bytes);
      const asSets = sameAsWhole(factory, bytes, { sets: 'set' });
      expect(Object.keys(asSets.events[0] as object)).toEqual(['reply']);
      expect(Object.keys(asSets.events[1] as object)).toEqual(['push']);
    });

    it('a nested element larger than many chunks, among small ones; byte by byte too', () => {
      const bytes = wire('*4\r\n+a\r\n', intArray(8000), bulk('x'.repeat(40_000)), intArray(3), ':1\r\n');
      sameAsWhole(factory, bytes, undefined, [...CHUNKINGS, byteByByte]);
    });

    it('attributes inside elements, delivered once each', () => {
      const parts: string[] = ['*2000\r\n'];
      for (let i = 0; i < 2000; i++)
        parts.push(i % 100 === 0 ? `|1\r\n+at\r\n:${i}\r\n:${i}\r\n` : `:${i}\r\n`);
      const expected = sameAsWhole(factory, Buffer.from(parts.join('')), { attributes: 'sink' });
      expect(expected.events.filter((e) => Object.keys(e as object)[0] === 'attribute')).toHaveLength(20);
    });

    it('a grammar error far into a list: the same reason, and no reply', () => {
      const parts: Buffer[] = [Buffer.from('*4000\r\n')];
      for (let i = 0; i < 4000; i++) parts.push(i === 3990 ? Buffer.from('?oops\r\n') : bulk(`item-${i}`));
      const expected = sameAsWhole(factory, wire('*2\r\n+a\r\n+b\r\n', ...parts));
      expect(expected.events).toEqual([{ reply: ['a', 'b'] }, { error: 'invalid-type' }]);
    });

    it('too deep inside a large element, and inside a small one after it', () => {
      const limits = { limits: { maxDepth: 3 } };
      const deepInside = wire('*3\r\n', '*2\r\n', intArray(6000), '*1\r\n*1\r\n:1\r\n', ':2\r\n', ':3\r\n');
      expect(sameAsWhole(factory, deepInside, limits).events).toEqual([{ error: 'too-deep' }]);
      const deepAfter = wire('*3\r\n', intArray(6000), '*1\r\n*1\r\n*1\r\n:1\r\n', ':2\r\n');
      expect(sameAsWhole(factory, deepAfter, limits).events).toEqual([{ error: 'too-deep' }]);
    });

    it('an unfinished list past maxReplyBytes is refused in every chunking (fed whole, it is no longer unfinished)', () => {
      const options = { limits: { maxReplyBytes: 40_000 } };
      for (const chunking of CHUNKINGS) {
        expect(outcome(decodeAll(factory, bulkList(5000), options, chunking)).events, chunking.name).toEqual([
          { error: 'reply-too-large' },
        ]);
      }
    });

    it('a list that is whole in the bytes that start it streaming, then another reply', () => {
      // A 4-element list whose first element is a 1,023-byte bulk: in 64-byte chunks the body's
      // chunks are held, and the chunk that ends it also holds the rest of the list and the next
      // reply. (The JS decoder once took `+OK` as a fifth element here and waited forever.)
      const bytes = wire(`*4\r\n$1023\r\n${'x'.repeat(1023)}\r\n+simple\r\n$-1\r\n_\r\n`, '+OK\r\n');
      const expected = sameAsWhole(factory, bytes, undefined, [fixedChunks(64), ...CHUNKINGS]);
      expect(expected.events).toEqual([{ reply: ['x'.repeat(1023), 'simple', null, null] }, { reply: 'OK' }]);
    });

    it('any large list of random RESP3 elements, any options, random chunks: as fed whole', () => {
      const { base, runs } = fastCheckRuns(25);
      // Lists of a few hundred elements pass the size from which a list is streamed; element
      // sizes vary widely, so elements larger than every one before them keep arriving.
      const largeList = fc.array(respNode({ maxItems: 6 }), { minLength: 150, maxLength: 500 }).map(
        (items) =>
          writeStream([
            { type: 'array', items },
            { type: 'simple-string', bytes: Buffer.from('after') },
          ]).bytes,
      );
      fc.assert(
        fc.property(
          largeList,
          decodeOptionsArbitrary,
          fc.integer({ min: 1, max: 3000 }),
          (bytes, options, seed) => {
            const expected = outcome(decodeAll(factory, bytes, options, whole));
            for (const chunking of [fixedChunks(1460), fixedChunks(37), randomChunks(seed, 700)]) {
              expect(outcome(decodeAll(factory, bytes, options, chunking)), chunking.name).toEqual(expected);
            }
          },
        ),
        runs(base),
      );
    }, 120_000);

    it('a list cut short stays incomplete, and reset() drops it', () => {
      const bytes = bulkList(5000);
      const cut = bytes.subarray(0, bytes.length - 5);
      for (const chunking of CHUNKINGS) {
        expect(decodeAll(factory, cut, undefined, chunking).events, chunking.name).toEqual([]);
      }
      const replies: unknown[] = [];
      const decoder = factory({
        reply: (v) => void replies.push(v),
        push: () => {},
        error: (e) => void replies.push(e),
      });
      for (const chunk of fixedChunks(1460).split(cut)) decoder.feed(chunk);
      decoder.reset();
      decoder.feed(Buffer.from('+after\r\n'));
      expect(replies).toEqual(['after']);
    });
  });
}
