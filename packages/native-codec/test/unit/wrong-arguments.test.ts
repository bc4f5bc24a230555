import { createJsDecoder, InvalidArgumentError, type ReplyDecoder, type ReplySink } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { createAutoDecoder, createNativeDecoder } from '../../src/index.js';

// The native and auto decoders refuse what the JS one refuses, the same way: a chunk that is not
// bytes, a missing sink, options that are not an object are InvalidArgumentErrors, and the
// decoder goes on decoding afterwards.

const JUNK: readonly unknown[] = [undefined, null, 42, 'text', Symbol('s'), () => 1, { length: 3 }, [1, 2]];

const FACTORIES: readonly (readonly [string, (sink: ReplySink, options?: object) => ReplyDecoder])[] = [
  ['js', createJsDecoder],
  ['native', createNativeDecoder],
  ['auto', createAutoDecoder],
];

describe.each(FACTORIES)('the %s decoder refuses wrong arguments', (_, create) => {
  it('feed() of anything but bytes, then decodes as before', () => {
    const replies: unknown[] = [];
    const decoder = create({ reply: (v) => void replies.push(v), push: () => {}, error: () => {} });
    for (const junk of JUNK) {
      expect(() => decoder.feed(junk as never), String(junk)).toThrow(InvalidArgumentError);
    }
    expect(() => decoder.feed('+OK\r\n' as never)).toThrow(
      'feed() takes a Uint8Array (a Buffer), not string',
    );
    decoder.feed(Buffer.from('*2\r\n+OK\r\n:7\r\n'));
    expect(replies).toEqual([['OK', 7]]);
  });

  it('no sink, or options that are not an object', () => {
    for (const junk of [undefined, null, 42, {}, { reply: 'no' }]) {
      expect(() => create(junk as never), String(junk)).toThrow(InvalidArgumentError);
    }
    const sink = { reply: () => {}, push: () => {}, error: () => {} };
    for (const junk of [null, 42, 'utf8'])
      expect(() => create(sink, junk as never)).toThrow(InvalidArgumentError);
  });
});
