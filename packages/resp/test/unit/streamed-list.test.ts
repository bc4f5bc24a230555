import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  decodeAll,
  fixedChunks,
  randomChunks,
  seededRandom,
  whole,
} from '@fusedis/test-harness/decoder-contract';
import { describe, expect, it } from 'vitest';
import { createJsDecoder, RespProtocolError } from '../../src/index.js';

/** `count` ten-byte bulk strings in one array, and that array cut into separately allocated chunks. */
function listInChunks(count: number, chunkSize: number): Buffer[] {
  const parts: string[] = [`*${count}\r\n`];
  for (let i = 0; i < count; i++) parts.push(`$10\r\nv${String(i).padStart(9, '0')}\r\n`);
  const bytes = Buffer.from(parts.join(''));
  const chunks: Buffer[] = [];
  // Copies, as a socket hands them over: each chunk its own memory, not a view of one big buffer.
  for (let at = 0; at < bytes.length; at += chunkSize)
    chunks.push(Buffer.from(bytes.subarray(at, at + chunkSize)));
  return chunks;
}

describe('a large list arriving in chunks (JS decoder)', () => {
  it('is decoded as it arrives, never gathered whole: buffer-mode values view small buffers', () => {
    const chunks = listInChunks(200_000, 64 * 1024); // 3.4 MB of reply
    const replies: unknown[] = [];
    const decoder = createJsDecoder(
      { reply: (v) => void replies.push(v), push: () => {}, error: (e) => void replies.push(e) },
      { strings: 'buffer' },
    );
    for (const chunk of chunks) decoder.feed(chunk);
    expect(replies).toHaveLength(1);
    const items = replies[0] as Buffer[];
    expect(items).toHaveLength(200_000);
    let largest = 0;
    for (const item of items) largest = Math.max(largest, item.buffer.byteLength);
    // Gathered whole, every value would view one buffer of at least the reply's 3.4 MB.
    expect(largest).toBeLessThanOrEqual(256 * 1024);
    expect(items[123_456]?.toString()).toBe('v000123456');
  });

  it('keeps the values of buffer mode intact while later chunks arrive', () => {
    const chunks = listInChunks(50_000, 1460);
    const replies: unknown[] = [];
    const decoder = createJsDecoder(
      { reply: (v) => void replies.push(v), push: () => {}, error: (e) => void replies.push(e) },
      { strings: 'buffer' },
    );
    for (const chunk of chunks) decoder.feed(chunk);
    decoder.feed(Buffer.from('$3\r\nend\r\n'));
    const items = replies[0] as Buffer[];
    for (let i = 0; i < items.length; i += 997)
      expect(items[i]?.toString()).toBe(`v${String(i).padStart(9, '0')}`);
    expect(replies[1]).toEqual(Buffer.from('end'));
  });
});

/**
 * One element of mixed shape and size: small ones first, then now and then one far larger than
 * any before it, so the decoder meets elements larger than the margin it learned.
 */
function element(next: () => number, index: number): string {
  const pick = next();
  const grow = index % 97 === 96 ? 40 * index : 0;
  if (pick < 0.4) {
    const text = 'x'.repeat(Math.floor(next() * 30) + grow);
    return `$${text.length}\r\n${text}\r\n`;
  }
  if (pick < 0.55) return `:${Math.floor(next() * 1e12) - 5e11}\r\n`;
  if (pick < 0.7) return `*3\r\n+row${index}\r\n:${index}\r\n$${String(index).length}\r\n${index}\r\n`;
  if (pick < 0.8) return `%1\r\n+k${index}\r\n*2\r\n_\r\n#t\r\n`;
  if (pick < 0.9) return `-ERR element ${index}\r\n`;
  return `,${(next() * 1000).toFixed(3)}\r\n`;
}

describe('a large list of mixed elements arriving in chunks', () => {
  it.each([1, 2, 3])('decodes as when fed whole, for any chunking (seed %i)', (seed) => {
    const next = seededRandom(seed);
    const count = 3000;
    const parts = [`*${count}\r\n`];
    for (let i = 0; i < count; i++) parts.push(element(next, i));
    const bytes = Buffer.from(`${parts.join('')}+after\r\n`);
    const expected = decodeAll(createJsDecoder, bytes).replies;
    expect(expected).toHaveLength(2);
    expect((expected[0] as unknown[]).length).toBe(count);
    for (const chunking of [fixedChunks(1460), fixedChunks(7), randomChunks(seed, 4000)]) {
      expect(decodeAll(createJsDecoder, bytes, undefined, chunking).replies, chunking.name).toEqual(expected);
    }
  });

  it('reports a broken element after many whole ones at its offset, whatever the chunking', () => {
    const parts = ['*5000\r\n'];
    for (let i = 0; i < 4000; i++) parts.push(`$5\r\nv${String(i).padStart(4, '0')}\r\n`);
    const brokenAt = parts.join('').length;
    parts.push('$5\r\nabcdeXY'); // no CRLF after the body
    const bytes = Buffer.from(parts.join(''));
    for (const chunking of [fixedChunks(1460), fixedChunks(13), whole]) {
      const { replies, errors } = decodeAll(createJsDecoder, bytes, undefined, chunking);
      expect(replies, chunking.name).toEqual([]);
      expect(errors, chunking.name).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(RespProtocolError);
      expect(errors[0]).toMatchObject({ reason: 'expected-crlf', offset: brokenAt + 9 });
    }
  });
});

describe('what the decoder keeps after a feed', () => {
  it('keeps no reply alive once its sink let go of it, whole or streamed', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const refs: WeakRef<object>[] = [];
    const decoder = createJsDecoder({
      reply: (value) => void refs.push(new WeakRef(value as object)),
      push: () => {},
      error: () => {},
    });
    decoder.feed(Buffer.from('*2\r\n$3\r\none\r\n$3\r\ntwo\r\n')); // whole, in one chunk
    for (const chunk of listInChunks(5_000, 1460)) decoder.feed(chunk); // streamed
    expect(refs).toHaveLength(2);
    // A WeakRef holds its target until the job that made it ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(refs.map((ref) => ref.deref())).toEqual([undefined, undefined]);
  });
});

/** A top-level list of `count` bulk strings of `bytes` bytes each (the `i`th: `i` padded with 'x'). */
function bulkList(count: number, bytes: number, type = '*'): Buffer {
  const parts: string[] = [`${type}${count}\r\n`];
  for (let i = 0; i < count; i++) parts.push(`$${bytes}\r\n${String(i).padStart(bytes, 'x')}\r\n`);
  return Buffer.from(parts.join(''));
}

describe('a list its first element says is cut short (streamed from its first chunk)', () => {
  it('is decoded from a 64 KiB read and the rest, with the replies around it in order', () => {
    const list = bulkList(4096, 10); // 69 KB: 4,096 elements of the first's size do not fit in 64 KiB
    const stream = Buffer.concat([Buffer.from('+before\r\n'), list, Buffer.from(':7\r\n')]);
    const asked: string[] = [];
    const replies: unknown[] = [];
    const decoder = createJsDecoder({
      reply: (v) => void replies.push(v),
      push: () => {},
      error: (e) => void replies.push(e),
      replyMode: (kind) => {
        asked.push(kind);
        return 'utf8';
      },
    });
    decoder.feed(stream.subarray(0, 64 * 1024));
    expect(replies).toEqual(['before']);
    decoder.feed(stream.subarray(64 * 1024));
    expect(replies).toHaveLength(3);
    expect((replies[1] as string[]).length).toBe(4096);
    expect((replies[1] as string[])[4095]).toBe('xxxxxx4095');
    expect(replies[2]).toBe(7);
    expect(asked).toEqual(['reply', 'reply', 'reply']); // once per reply, as when decoded whole
    expect(decoder.idle).toBe(true);
  });

  it('delivers at once a list that was whole after all (its later elements smaller than its first)', () => {
    const parts = ['*100\r\n', `$2000\r\n${'a'.repeat(2000)}\r\n`];
    for (let i = 1; i < 100; i++) parts.push(`$1\r\n${i % 10}\r\n`);
    const stream = Buffer.from(`${parts.join('')}+next\r\n`);
    const replies: unknown[] = [];
    const decoder = createJsDecoder({ reply: (v) => void replies.push(v), push: () => {}, error: () => {} });
    decoder.feed(stream); // one chunk: 100 × 2,011 bytes would not fit, yet every element is here
    expect(replies).toHaveLength(2);
    expect((replies[0] as string[])[0]).toBe('a'.repeat(2000));
    expect((replies[0] as string[])[99]).toBe('9');
    expect(replies[1]).toBe('next');
    expect(decoder.idle).toBe(true);
  });

  it('gathers it as bytes when the sink wants the frame, and streams a push the same way', () => {
    const list = bulkList(4096, 10);
    const frames: unknown[] = [];
    const framed = createJsDecoder({
      reply: (v) => void frames.push(v),
      push: () => {},
      error: (e) => void frames.push(e),
      replyMode: () => 'frame',
    });
    framed.feed(list.subarray(0, 64 * 1024));
    framed.feed(list.subarray(64 * 1024));
    expect(frames).toHaveLength(1);
    expect(Buffer.compare(frames[0] as Buffer, list)).toBe(0);

    const push = bulkList(4096, 10, '>');
    const pushes: unknown[] = [];
    const pushed = createJsDecoder({ reply: () => {}, push: (v) => void pushes.push(v), error: () => {} });
    pushed.feed(push.subarray(0, 64 * 1024));
    pushed.feed(push.subarray(64 * 1024));
    expect(pushes).toHaveLength(1);
    expect((pushes[0] as string[])[4095]).toBe('xxxxxx4095');
  });

  it('leaves a list over the element limit to the whole-decode attempt, which reports it', () => {
    const list = bulkList(4096, 10);
    const errors: RespProtocolError[] = [];
    const decoder = createJsDecoder(
      { reply: () => {}, push: () => {}, error: (e) => void errors.push(e) },
      { limits: { maxElements: 4000 } },
    );
    decoder.feed(list.subarray(0, 64 * 1024));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RespProtocolError);
    expect(errors[0]?.reason).toBe('too-many-elements');
  });
});

describe('a mid-size map cut short by a read, or whole with a large first value', () => {
  /** A RESP3 map of `count` fields `f<i>` whose values are `bytes` long (the first `first` long). */
  function bulkMap(count: number, bytes: number, first = bytes): Buffer {
    const parts: string[] = [`%${count}\r\n`];
    for (let i = 0; i < count; i++) {
      const value = String(i).padStart(i === 0 ? first : bytes, 'v');
      parts.push(`$${`f${i}`.length}\r\nf${i}\r\n$${value.length}\r\n${value}\r\n`);
    }
    return Buffer.from(parts.join(''));
  }

  it('is decoded once its rest arrives, with the replies around it in order', () => {
    const map = bulkMap(500, 200); // ~105 KB: a 64 KiB read holds part of it
    const stream = Buffer.concat([Buffer.from(':1\r\n'), map, Buffer.from('+after\r\n')]);
    const replies: unknown[] = [];
    const decoder = createJsDecoder({ reply: (v) => void replies.push(v), push: () => {}, error: () => {} });
    decoder.feed(stream.subarray(0, 64 * 1024));
    expect(replies).toEqual([1]);
    decoder.feed(stream.subarray(64 * 1024));
    expect(replies).toHaveLength(3);
    const fields = replies[1] as Record<string, string>;
    expect(Object.keys(fields)).toHaveLength(500);
    expect(fields.f499).toBe('499'.padStart(200, 'v'));
    expect(replies[2]).toBe('after');
  });

  it('decodes at once a map that was whole after all (its later values smaller than its first)', () => {
    const map = bulkMap(100, 1, 5000); // 100 entries the size of the first would not fit
    const replies: unknown[] = [];
    const decoder = createJsDecoder({ reply: (v) => void replies.push(v), push: () => {}, error: () => {} });
    decoder.feed(Buffer.concat([map, Buffer.from(':2\r\n')]));
    expect(replies).toHaveLength(2);
    expect((replies[0] as Record<string, string>).f0).toBe('0'.padStart(5000, 'v'));
    expect((replies[0] as Record<string, string>).f99).toBe('99');
    expect(replies[1]).toBe(2);
    expect(decoder.idle).toBe(true);
  });
});
