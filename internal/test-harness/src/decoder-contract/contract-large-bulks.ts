import type { DecoderFactory, StringMode } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import {
  type Chunking,
  cutAt,
  decodeAll,
  fixedChunks,
  outcome,
  randomChunks,
  splitAt,
  whole,
} from './decode-all.js';
import { bulk, INVALID_UTF8, wire } from './fixtures.js';

/*
 * Large bulk strings fed in pieces. A decoder may turn such a body into text as it arrives
 * (the JS one does, a megabyte at a time, instead of holding and joining the chunks): whatever it
 * does, every chunking must give exactly what feeding the bytes whole gives, and the text must be
 * what `Buffer#toString` makes of the body — UTF-8 sequences cut by a chunk, or by the decoder's
 * own pieces, and invalid bytes included.
 */

/** ASCII, two-, three- and four-byte characters and invalid bytes: 31 bytes, repeated. */
const MIXED = wire('ab', 'é', '€', '😀', INVALID_UTF8);

/**
 * `bytes` bytes of `MIXED` over and over, from its byte `rotation` on. A mebibyte is one byte past
 * a whole number of periods, so the rotation sets which byte ends each mebibyte of the body.
 */
function mixedBody(bytes: number, rotation: number): Buffer {
  const pattern = wire(MIXED.subarray(rotation), MIXED.subarray(0, rotation));
  const body = Buffer.alloc(bytes);
  for (let at = 0; at < bytes; at += pattern.length)
    pattern.copy(body, at, 0, Math.min(pattern.length, bytes - at));
  return body;
}

const MIB = 1024 * 1024;

/**
 * Rotations whose first mebibyte ends inside a character: after the lead byte of '€', after two
 * bytes of '😀', and after the first two bytes of an invalid three-byte sequence.
 */
const ROTATIONS = [4, 8, 17];

/** One bulk string per rotation, `MIB + 777` bytes each, and where each frame's body starts. */
function largeBulks(): { bodies: Buffer[]; bytes: Buffer; bodyStarts: number[] } {
  const bodies = ROTATIONS.map((rotation) => mixedBody(MIB + 777, rotation));
  const bodyStarts: number[] = [];
  let at = 0;
  const frames = bodies.map((body) => {
    const frame = bulk(body);
    bodyStarts.push(at + frame.length - body.length - 2);
    at += frame.length;
    return frame;
  });
  return { bodies, bytes: wire(...frames), bodyStarts };
}

/** Chunks as a socket gives them, random sizes, and cuts a few bytes either side of each body's first mebibyte. */
function chunkings(bodyStarts: readonly number[]): Chunking[] {
  const nearMebibytes = bodyStarts.flatMap((start) => [-3, -1, 0, 2].map((delta) => start + MIB + delta));
  return [fixedChunks(1460), fixedChunks(65536), randomChunks(11, 40_000), cutAt(nearMebibytes)];
}

export function describeLargeBulkContract(factory: DecoderFactory): void {
  describe('large bulk strings in many chunks', () => {
    const { bodies, bytes: frames, bodyStarts } = largeBulks();
    const bytes = wire(frames, '+OK\r\n', bulk('after'));
    const texts = bodies.map((body) => ({ reply: body.toString('utf8') }));

    it('text equal to Buffer#toString of each body, then the replies after them, in every chunking', () => {
      const expected = outcome(decodeAll(factory, bytes, undefined, whole));
      expect(expected.events).toEqual([...texts, { reply: 'OK' }, { reply: 'after' }]);
      for (const chunking of chunkings(bodyStarts)) {
        expect(outcome(decodeAll(factory, bytes, undefined, chunking)), chunking.name).toEqual(expected);
      }
    });

    it('bytes, in buffer mode and when the sink asks for them; the mode is asked once per reply', () => {
      const asBytes = bodies.map((body) => ({ reply: { $buffer: body.toString('hex') } }));
      // The sink wants the second body as bytes, everything else as text.
      const secondAsBytes = (calls: number) => (): StringMode => (calls++ === 1 ? 'buffer' : 'utf8');
      for (const chunking of [whole, ...chunkings(bodyStarts)]) {
        const inBufferMode = decodeAll(factory, bytes, { strings: 'buffer' }, chunking);
        expect(outcome(inBufferMode).events.slice(0, 3), chunking.name).toEqual(asBytes);
        const asked = decodeAll(factory, bytes, undefined, chunking, { stringMode: secondAsBytes(0) });
        expect(outcome(asked).events, chunking.name).toEqual([
          texts[0],
          asBytes[1],
          texts[2],
          { reply: 'OK' },
          { reply: 'after' },
        ]);
        expect(asked.stringModeCalls, chunking.name).toEqual(['reply', 'reply', 'reply', 'reply', 'reply']);
      }
    });

    it('a body not followed by CRLF: expected-crlf at the body end, whatever the chunking', () => {
      const frame = bulk(bodies[0] as Buffer);
      const bodyEnd = frame.length - 2;
      // CR then not LF: the error comes from the trailer's second byte, possibly in a later chunk.
      const broken = wire(frame.subarray(0, bodyEnd), '\rX+OK\r\n');
      const cuts = [
        whole,
        ...chunkings([bodyStarts[0] as number]),
        splitAt(bodyEnd + 1),
        fixedChunks(bodyEnd),
      ];
      for (const chunking of cuts) {
        const result = decodeAll(factory, broken, undefined, chunking);
        expect(result.replies, chunking.name).toEqual([]);
        expect(result.thrown, chunking.name).toBeUndefined();
        expect(
          result.errors.map((e) => [e.reason, e.offset]),
          chunking.name,
        ).toEqual([['expected-crlf', bodyEnd]]);
      }
    });

    it('cut short: nothing delivered, never an error; reset() then decodes a new stream', () => {
      const bodyEnd = (bodyStarts[0] as number) + (bodies[0] as Buffer).length;
      const result = decodeAll(factory, bytes.subarray(0, bodyEnd + 1), undefined, fixedChunks(1460));
      expect(result.events).toEqual([]);
      expect(result.decoder.idle ?? false).toBe(false);
      result.decoder.reset();
      result.decoder.feed(Buffer.from('+fresh\r\n'));
      // `events` is the sink's own log (`replies` was taken when feeding stopped).
      expect(result.events).toEqual([{ kind: 'reply', value: 'fresh' }]);
    });
  });
}
