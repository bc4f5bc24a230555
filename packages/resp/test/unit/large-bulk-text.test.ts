import { describe, expect, it } from 'vitest';
import { createJsDecoder } from '../../src/index.js';

/** A bulk string of `bytes` bytes (`0123456789` repeated), cut into `chunk`-byte copies as a socket would give them. */
function bulkInChunks(bytes: number, chunk: number, after: string): { body: string; chunks: Buffer[] } {
  const body = '0123456789'.repeat(Math.ceil(bytes / 10)).slice(0, bytes);
  const wire = Buffer.from(`$${bytes}\r\n${body}\r\n${after}`);
  const chunks: Buffer[] = [];
  for (let at = 0; at < wire.length; at += chunk) chunks.push(Buffer.from(wire.subarray(at, at + chunk)));
  return { body, chunks };
}

describe('a large bulk string decoded as text while it arrives (JS decoder)', () => {
  it('is not idle until its last byte, then delivers the text and the replies that came with it', () => {
    const { body, chunks } = bulkInChunks(3 * 1024 * 1024 + 5, 1460, '+OK\r\n:7\r\n');
    const replies: unknown[] = [];
    const decoder = createJsDecoder({
      reply: (v) => void replies.push(v),
      push: () => {},
      error: (e) => replies.push(e),
    });
    for (const chunk of chunks.slice(0, -1)) decoder.feed(chunk);
    expect(replies).toEqual([]);
    expect(decoder.idle).toBe(false);
    decoder.feed(chunks.at(-1) as Buffer);
    expect(replies).toEqual([body, 'OK', 7]);
    expect(decoder.idle).toBe(true);
  });

  it('a sink that throws on the text loses nothing: the replies after it come with the next feed', () => {
    const { chunks } = bulkInChunks(2 * 1024 * 1024, 65536, '+OK\r\n:7\r\n');
    const replies: unknown[] = [];
    let fail = true;
    const decoder = createJsDecoder({
      reply: (v) => {
        if (fail && typeof v === 'string' && v.length > 100) {
          fail = false;
          throw new Error('sink failed');
        }
        replies.push(v);
      },
      push: () => {},
      error: (e) => replies.push(e),
    });
    for (const chunk of chunks.slice(0, -1)) decoder.feed(chunk);
    expect(() => decoder.feed(chunks.at(-1) as Buffer)).toThrow('sink failed');
    decoder.feed(Buffer.from(':8\r\n'));
    expect(replies).toEqual(['OK', 7, 8]);
  });
});
