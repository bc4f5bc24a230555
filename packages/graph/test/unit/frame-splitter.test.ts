import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURE_QUERIES, type FixtureName, RESP3_FIXTURES } from '../support/fixture-queries.js';
import { wireOf } from '../support/fixtures.js';
import { FrameSplitter } from '../support/frame-splitter.js';

// The socket executor of the integration tests and the benchmark relies on this test-support
// splitter to hand whole frames to the fused decoder: it must cut exactly at frame ends.
const frames: Buffer[] = [
  ...(Object.keys(FIXTURE_QUERIES) as FixtureName[]).map((name) => wireOf(name)),
  ...RESP3_FIXTURES.map((name) => wireOf(name, 3)),
  Buffer.from('-ERR oops\r\n'),
  Buffer.from('$-1\r\n'),
  Buffer.from('*-1\r\n'),
  Buffer.from('%1\r\n+k\r\n*2\r\n:1\r\n,-1.5\r\n'),
  Buffer.from('*0\r\n'),
  Buffer.from('$12\r\n*2\r\n:1\r\n:2\r\n\r\n'),
];
const stream = Buffer.concat(frames);
// Hex strings: vitest compares Buffers element by element, which is slow at this size.
const expected = frames.map((f) => f.toString('hex'));
const hex = (list: Buffer[]) => list.map((f) => f.toString('hex'));

describe('FrameSplitter (test support)', () => {
  it('cuts a stream fed whole into its frames', () => {
    const out: Buffer[] = [];
    new FrameSplitter().feed(Buffer.from(stream), (f) => out.push(Buffer.from(f)));
    expect(hex(out)).toEqual(expected);
  });

  it('cuts the same frames for any chunking, byte by byte included', () => {
    const byByte: Buffer[] = [];
    const splitter = new FrameSplitter();
    for (let i = 0; i < stream.length; i++)
      splitter.feed(stream.subarray(i, i + 1), (f) => byByte.push(Buffer.from(f)));
    expect(hex(byByte)).toEqual(expected);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const out: Buffer[] = [];
        const s = new FrameSplitter();
        let from = 0;
        for (const to of [...points, stream.length]) {
          if (to > from) s.feed(Buffer.from(stream.subarray(from, to)), (f) => out.push(Buffer.from(f)));
          from = to;
        }
        expect(hex(out)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
