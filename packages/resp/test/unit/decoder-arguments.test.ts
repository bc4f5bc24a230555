import { describe, expect, it } from 'vitest';
import { createJsDecoder, frameLength, InvalidArgumentError, resolveDecodeOptions } from '../../src/index.js';

// Wrong arguments to the codec's entry points are InvalidArgumentErrors, not TypeErrors from
// inside (what a JavaScript caller, or a socket handing over a string, would otherwise get).

const JUNK: readonly unknown[] = [undefined, null, 42, 'text', Symbol('s'), () => 1, { length: 3 }, [1, 2]];
const SINK = { reply: () => {}, push: () => {}, error: () => {} };

describe('the codec refuses wrong arguments with InvalidArgumentError', () => {
  it('feed() of anything but bytes, and the decoder still decodes afterwards', () => {
    const replies: unknown[] = [];
    const decoder = createJsDecoder({ ...SINK, reply: (v) => replies.push(v) });
    for (const junk of JUNK) {
      expect(() => decoder.feed(junk as never), String(junk)).toThrow(InvalidArgumentError);
    }
    expect(() => decoder.feed('+OK\r\n' as never)).toThrow(
      'feed() takes a Uint8Array (a Buffer), not string',
    );
    decoder.feed(Buffer.from('+OK\r\n'));
    decoder.feed(new Uint8Array([0x3a, 0x37, 0x0d, 0x0a])); // :7
    expect(replies).toEqual(['OK', 7]);
  });

  it('a decoder without a sink, or with options that are not an object', () => {
    for (const junk of [undefined, null, 42, {}, { reply: 'no' }]) {
      expect(() => createJsDecoder(junk as never), String(junk)).toThrow(InvalidArgumentError);
    }
    for (const junk of [null, 42, 'utf8']) {
      expect(() => createJsDecoder(SINK, junk as never), String(junk)).toThrow(InvalidArgumentError);
      expect(() => resolveDecodeOptions(junk as never)).toThrow('decode options must be an object');
    }
  });

  it('frameLength() of anything but bytes, or at an offset that is not one', () => {
    for (const junk of JUNK)
      expect(() => frameLength(junk as never), String(junk)).toThrow(InvalidArgumentError);
    for (const offset of [-1, 1.5, Number.NaN, '0']) {
      expect(() => frameLength(Buffer.from('+OK\r\n'), offset as never), String(offset)).toThrow(
        InvalidArgumentError,
      );
    }
    expect(frameLength(Buffer.from('+OK\r\n'))).toBe(5);
  });
});
