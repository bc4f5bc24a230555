import { createJsDecoder, type DecoderFactory } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

// Text of 1 MiB or more that is all ASCII becomes an external string over a copy of its bytes
// (src/external_text.rs): it must equal what the JS decoder gives, survive the reply's buffer
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
    const input = bulk(body);
    const [kept] = decode(createNativeDecoder, [input]) as string[];
    for (let i = 0; i < 40; i++) decode(createNativeDecoder, [input]); // 80 MiB made and dropped
    input.fill(0x21);
    expect(kept).toHaveLength(2 * MIB);
    expect(kept).toBe(body.toString('latin1'));
  });
});
