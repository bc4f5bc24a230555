import { createJsDecoder, type DecoderFactory } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

// Text of 1 MiB or more that is all ASCII becomes an external string over a copy of its bytes
// (src/external_text.rs), or, gathered over several chunks, over the gathering buffer itself
// (src/large_text_decoder.rs): it must equal what the JS decoder gives, survive the reply's buffer
// being reused, and be freed without harm when collected.
const MIB = 1024 * 1024;

function bulk(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`$${body.length}\r\n`), body, Buffer.from('\r\n')]);
}

function decode(factory: DecoderFactory, chunks: readonly Buffer[]): unknown[] {
  const replies: unknown[] = [];
  const decoder = factory({
    reply: (value) => void replies.push(value),
    push: () => {},
    error: (err) => {
      throw err;
    },
  });
  for (const chunk of chunks) decoder.feed(chunk);
  return replies;
}

describe('large text (native decoder)', () => {
  it('gives the JS decoder’s strings at and around 1 MiB, ASCII or not, whole or in chunks', () => {
    for (const length of [MIB - 1, MIB, 3 * MIB + 5]) {
      const ascii = Buffer.alloc(length, 'abcdefghijklmnopqrstuvwxyz0123456789');
      const accented = Buffer.from(ascii);
      accented.write('é', length - 2);
      const stream = Buffer.concat([bulk(ascii), bulk(accented), Buffer.from('+after\r\n')]);
      const chunked = [
        stream.subarray(0, 1000),
        stream.subarray(1000, length + 7),
        stream.subarray(length + 7),
      ];
      for (const chunks of [[stream], chunked]) {
        const native = decode(createNativeDecoder, chunks);
        expect(native).toEqual(decode(createJsDecoder, chunks));
        expect(native[0]).toBe(ascii.toString('latin1'));
        expect(native[1]).toBe(accented.toString('utf8'));
      }
    }
  });

  it('keeps each string intact while others are made and dropped, and after the input is overwritten', () => {
    const body = Buffer.alloc(2 * MIB, 'xyz');
    // Whole, the text is copied; in chunks, the decoder's gathering buffer becomes the string's.
    for (const pieces of [1, 33]) {
      const input = bulk(body);
      const size = Math.ceil(input.length / pieces);
      const chunks = Array.from({ length: pieces }, (_, i) => input.subarray(i * size, (i + 1) * size));
      const [kept] = decode(createNativeDecoder, chunks) as string[];
      for (let i = 0; i < 40; i++) decode(createNativeDecoder, chunks); // 80 MiB made and dropped
      input.fill(0x21);
      expect(kept).toHaveLength(2 * MIB);
      expect(kept).toBe(body.toString('latin1'));
    }
  });

  it('takes the text gathered in chunks with the replies after it, cut anywhere in them', () => {
    const body = Buffer.alloc(MIB + 3, 'pqr');
    const stream = Buffer.concat([bulk(body), Buffer.from('+OK\r\n:5\r\n$3\r\nabc\r\n')]);
    for (const tail of [0, 2, 5, 9, 17, 25]) {
      const cut = stream.length - tail;
      const chunks = [stream.subarray(0, 4096), stream.subarray(4096, cut), stream.subarray(cut)];
      const native = decode(createNativeDecoder, chunks);
      expect(native, `last ${tail} bytes apart`).toEqual(decode(createJsDecoder, chunks));
      expect(native).toEqual([body.toString('latin1'), 'OK', 5, 'abc']);
    }
  });
});
