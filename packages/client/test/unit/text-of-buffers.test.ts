import { describe, expect, it } from 'vitest';
import { ReplyError } from '../../src/index.js';
import { textOfBuffers } from '../../src/internal/text-of-buffers.js';

describe('textOfBuffers (a reply read as bytes, made text as UTF-8 decoding would)', () => {
  it('turns every Buffer into its UTF-8 text, inside arrays, maps, Maps and Sets', () => {
    const map = Object.create(null) as Record<string, unknown>;
    map.f = Buffer.from('vé');
    map.n = [1, Buffer.from('x'), null];
    const reply = [
      Buffer.from('a'),
      map,
      new Map<unknown, unknown>([[Buffer.from('k'), new Set([Buffer.from('m')])]]),
      7n,
      true,
      1.5,
    ];
    const text = textOfBuffers(reply) as unknown[];
    expect(text[0]).toBe('a');
    expect(Object.getPrototypeOf(text[1])).toBeNull();
    expect({ ...(text[1] as object) }).toEqual({ f: 'vé', n: [1, 'x', null] });
    expect(text[2]).toEqual(new Map([['k', new Set(['m'])]]));
    expect(text.slice(3)).toEqual([7n, true, 1.5]);
  });

  it('leaves errors in place, and text as it is', () => {
    const error = new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(textOfBuffers([error, 'already text'])).toEqual([error, 'already text']);
    expect((textOfBuffers([error]) as unknown[])[0]).toBe(error);
    expect(textOfBuffers(null)).toBeNull();
  });
});
