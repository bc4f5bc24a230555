import type { DecoderFactory } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import {
  asPlainUint8Arrays,
  byteByByte,
  canonicalEvents,
  type DecodeEvent,
  decodeAll,
  outcome,
  randomChunks,
  splitAt,
  whole,
} from './decode-all.js';
import { DECODER_FIXTURES, type DecoderFixture } from './fixtures.js';

/** Above this many bytes, "every offset" becomes evenly spaced offsets (the big fixtures would take seconds). */
const EVERY_OFFSET_UP_TO = 1024;
const SPACED_OFFSETS = 97;

/** Offsets 0..length (inclusive), all of them for small streams, evenly spaced plus the ends for large ones. */
export function offsetsOf(length: number): number[] {
  if (length <= EVERY_OFFSET_UP_TO) return Array.from({ length: length + 1 }, (_, i) => i);
  const offsets = new Set<number>([0, 1, 2, length - 2, length - 1, length]);
  for (let i = 1; i < SPACED_OFFSETS; i++) offsets.add(Math.floor((length * i) / SPACED_OFFSETS));
  return [...offsets].sort((a, b) => a - b);
}

/** The fixture's events grouped by the frame that causes them (attributes go with the reply after them). */
export function eventsByFrame(fixture: DecoderFixture): DecodeEvent[][] {
  const groups: DecodeEvent[][] = [];
  let current: DecodeEvent[] = [];
  for (const event of fixture.events) {
    current.push(event);
    if (event.kind === 'reply' || event.kind === 'push') {
      groups.push(current);
      current = [];
    }
  }
  if (groups.length !== fixture.frames.length || current.length > 0) {
    throw new Error(`fixture ${fixture.name}: ${fixture.frames.length} frames but ${groups.length} replies`);
  }
  return groups;
}

/** End offset of each frame of a fixture. */
export function frameEnds(fixture: DecoderFixture): number[] {
  let at = 0;
  return fixture.frames.map((frame) => {
    at += frame.length;
    return at;
  });
}

/** Every fixture, fed whole, byte by byte, split in two at every offset, and in random chunks. */
export function describeFixtureContract(factory: DecoderFactory): void {
  describe('fixtures', () => {
    for (const fixture of DECODER_FIXTURES) {
      describe(fixture.name, () => {
        const expected = { events: canonicalEvents(fixture.events), thrown: undefined };

        it('decodes it fed whole', () => {
          expect(outcome(decodeAll(factory, fixture.bytes, fixture.options, whole))).toEqual(expected);
        });

        it('decodes it fed byte by byte', () => {
          expect(outcome(decodeAll(factory, fixture.bytes, fixture.options, byteByByte))).toEqual(expected);
        });

        it('decodes it split in two at every offset', () => {
          for (const offset of offsetsOf(fixture.bytes.length)) {
            const got = outcome(decodeAll(factory, fixture.bytes, fixture.options, splitAt(offset)));
            expect(got, `split at ${offset}`).toEqual(expected);
          }
        });

        it('decodes it in random chunks, also from plain Uint8Arrays', () => {
          for (const chunking of [1, 2, 3, 4, 5].map((seed) => randomChunks(seed, 9))) {
            expect(
              outcome(decodeAll(factory, fixture.bytes, fixture.options, chunking)),
              chunking.name,
            ).toEqual(expected);
          }
          const plain = asPlainUint8Arrays(randomChunks(6, 9));
          expect(outcome(decodeAll(factory, fixture.bytes, fixture.options, plain)), plain.name).toEqual(
            expected,
          );
        });

        it('yields, for every prefix, exactly the frames wholly inside it', () => {
          const groups = eventsByFrame(fixture);
          const ends = frameEnds(fixture);
          for (const length of offsetsOf(fixture.bytes.length)) {
            const inside = groups.filter((_, i) => (ends[i] as number) <= length).flat();
            const got = outcome(
              decodeAll(factory, fixture.bytes.subarray(0, length), fixture.options, whole),
            );
            expect(got, `prefix of ${length} bytes`).toEqual({
              events: canonicalEvents(inside),
              thrown: undefined,
            });
          }
        });

        it('delivers each frame as soon as its last byte arrives', () => {
          const ends = frameEnds(fixture);
          const groups = eventsByFrame(fixture);
          const seen: string[] = [];
          const decoder = factory(
            {
              reply: () => void seen.push('reply'),
              push: () => void seen.push('push'),
              error: (err) => void seen.push(`error ${err.reason}`),
              attribute: () => void seen.push('attribute'),
            },
            fixture.options,
          );
          const bytes = fixture.bytes;
          const step = bytes.length > EVERY_OFFSET_UP_TO ? 512 : 1;
          for (let at = 0; at < bytes.length; at += step) {
            const to = Math.min(bytes.length, at + step);
            decoder.feed(Buffer.from(bytes.subarray(at, to)));
            const due = groups.filter((_, i) => (ends[i] as number) <= to).flat().length;
            expect(seen.length, `events after ${to} bytes`).toBe(due);
          }
        });
      });
    }
  });
}
