import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HOSTILE_CASES } from '@fusedis/test-harness/decoder-contract';
import { describe, expect, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

function garbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('memory on hostile input', () => {
  it('decoding every hostile input 200 times keeps RSS growth bounded', () => {
    const gc = garbageCollector();
    const round = () => {
      for (const hostile of HOSTILE_CASES) {
        const decoder = createNativeDecoder(
          { reply: () => {}, push: () => {}, error: () => {} },
          hostile.limits === undefined ? undefined : { limits: hostile.limits },
        );
        // Whole, then in small chunks (the gathering path keeps bytes in Rust).
        decoder.feed(hostile.bytes);
        decoder.reset();
        for (let at = 0; at < hostile.bytes.length; at += 97) {
          try {
            decoder.feed(hostile.bytes.subarray(at, at + 97));
          } catch {
            break; // poisoned: the next feed throws until reset()
          }
        }
      }
    };
    for (let i = 0; i < 20; i++) round(); // warm up: code, heap and allocator reach their working size
    gc();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 200; i++) round();
    gc();
    const grown = process.memoryUsage().rss - before;
    // A leak of even one hostile input per round (the largest are ~1 MB) would pass 200 MB.
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);

  it('a never-finished bulk body announcing 512 MiB keeps no more than it was sent', () => {
    const decoder = createNativeDecoder({ reply: () => {}, push: () => {}, error: () => {} });
    const before = process.memoryUsage().rss;
    decoder.feed(Buffer.from('$536870912\r\n'));
    for (let i = 0; i < 100; i++) decoder.feed(Buffer.alloc(1000, 0x61));
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(32 * 1024 * 1024);
    decoder.reset();
  });
  it('map keys made internalized leave nothing behind: 400,000 distinct keys, heap back where it was', () => {
    const gc = garbageCollector();
    let kept: Record<string, unknown> | undefined;
    const decoder = createNativeDecoder({
      reply: (v) => {
        kept = v as Record<string, unknown>;
      },
      push: () => {},
      error: () => {},
    });
    const round = (r: number) => {
      const parts = ['%20000\r\n'];
      for (let i = 0; i < 20_000; i++) {
        const key = `round${r}:key${i}`;
        parts.push(`$${key.length}\r\n${key}\r\n:${i}\r\n`);
      }
      decoder.feed(Buffer.from(parts.join('')));
      expect(kept?.[`round${r}:key19999`]).toBe(19_999);
    };
    for (let r = 0; r < 3; r++) round(r);
    kept = undefined;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let r = 3; r < 23; r++) round(r);
    kept = undefined;
    gc();
    // Kept alive, 400,000 keys of ~16 characters (and their string-table entries) pass 16 MiB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 * 1024 * 1024);
  });
});
