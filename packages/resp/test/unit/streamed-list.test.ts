import { describe, expect, it } from 'vitest';
import { createJsDecoder } from '../../src/index.js';

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
