import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeUtf8End, StreamedText } from '../../src/internal/streamed-text.js';

const { base: RUNS, runs } = fastCheckRuns(300);

/** Bytes that make UTF-8 interesting: ASCII, continuations, every kind of lead, and bytes never valid. */
const utf8ishByte = fc.constantFrom(
  0x41,
  0x7a,
  0x80,
  0x8f,
  0x9f,
  0xa0,
  0xbf,
  0xc0,
  0xc3,
  0xdf,
  0xe0,
  0xe2,
  0xed,
  0xef,
  0xf0,
  0xf4,
  0xf5,
  0xff,
);
/** Whole characters too, so valid sequences are common, not rare. */
const piece = fc.oneof(
  fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b)),
  fc.array(utf8ishByte, { maxLength: 6 }).map((b) => Buffer.from(b)),
  fc.constantFrom('é', '€', '😀', 'abc', '\u0800', '\uffff').map((s) => Buffer.from(s)),
);
const body = fc.array(piece, { maxLength: 60 }).map((parts) => Buffer.concat(parts));

/** Feeds `frame` (body then CRLF) to a `StreamedText` in chunks cut at `cuts`; returns it and where it stopped. */
function streamed(
  bodyBytes: Buffer,
  pieceBytes: number,
  cuts: number[],
): { text: StreamedText; took: number } {
  const frame = Buffer.concat([bodyBytes, Buffer.from('\r\n+next\r\n')]);
  const text = new StreamedText(bodyBytes.length, 5, pieceBytes);
  const bounds = [...new Set(cuts.map((c) => c % (frame.length + 1)))].sort((a, b) => a - b);
  let took = 0;
  let from = 0;
  for (const to of [...bounds, frame.length]) {
    const chunk = frame.subarray(from, to);
    if (!text.done) took += text.take(chunk, 0, chunk.length);
    from = to;
  }
  return { text, took };
}

describe('StreamedText', () => {
  it('gives what Buffer#toString gives, for any bytes, piece size and chunking', () => {
    fc.assert(
      fc.property(
        body,
        fc.integer({ min: 4, max: 40 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (bytes, size, cuts) => {
          const { text, took } = streamed(bytes, size, cuts);
          expect(text.done).toBe(true);
          expect(took).toBe(bytes.length + 2);
          expect(text.value()).toBe(bytes.toString('utf8'));
        },
      ),
      runs(RUNS),
    );
  });

  it('cuts only before a lead byte whose sequence runs past the end', () => {
    fc.assert(
      fc.property(body, (bytes) => {
        const cut = completeUtf8End(bytes, bytes.length);
        expect(cut).toBeGreaterThanOrEqual(Math.max(0, bytes.length - 3));
        if (cut < bytes.length) expect(bytes[cut]).toBeGreaterThanOrEqual(0xc0);
        // Either way, the two sides decode to the whole.
        expect(bytes.toString('utf8', 0, cut) + bytes.toString('utf8', cut)).toBe(bytes.toString('utf8'));
      }),
      runs(RUNS),
    );
    expect(completeUtf8End(Buffer.from([0x41, 0xe2, 0x82]), 3)).toBe(1);
    expect(completeUtf8End(Buffer.from([0x41, 0xe2, 0x82, 0xac]), 4)).toBe(4);
    expect(completeUtf8End(Buffer.from([0xf0, 0x9f, 0x98]), 3)).toBe(0);
    expect(completeUtf8End(Buffer.from([0x80, 0x80, 0x80, 0x80]), 4)).toBe(4);
  });

  it('refuses a body not followed by CRLF, at the offset of its end', () => {
    const text = new StreamedText(3, 5, 4);
    expect(text.take(Buffer.from('abc\r'), 0, 4)).toBe(4);
    expect(() => text.take(Buffer.from('x'), 0, 1)).toThrow(
      expect.objectContaining({ reason: 'expected-crlf', offset: 8 }),
    );
  });
});
