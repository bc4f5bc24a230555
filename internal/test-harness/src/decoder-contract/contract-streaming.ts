import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type DecoderFactory, ReplyError, type StringMode } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { canonical, obj } from './canonical.js';
import { offsetsOf } from './contract-fixtures.js';
import {
  byteByByte,
  type Chunking,
  canonicalEvents,
  decodeAll,
  fixedChunks,
  outcome,
  randomChunks,
  seededRandom,
  splitAt,
  whole,
} from './decode-all.js';
import { bulk, push, reply, wire } from './fixtures.js';

const B = (text: string) => Buffer.from(text, 'utf8');

/** whole, byte by byte, split at every offset, random chunks. */
function chunkingsFor(length: number): Chunking[] {
  return [
    whole,
    byteByByte,
    ...offsetsOf(length).map(splitAt),
    ...[11, 12, 13].map((seed) => randomChunks(seed, 7)),
  ];
}

/** `global.gc` without --expose-gc (the flag can be set at run time; a new context then sees `gc`). */
function garbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Feeding in pieces, reset(), the per-reply string mode, and values that must outlive later chunks. */
export function describeStreamingContract(factory: DecoderFactory): void {
  describe('streaming', () => {
    it('ignores empty chunks', () => {
      const replies: unknown[] = [];
      const d = factory({
        reply: (v) => void replies.push(v),
        push: () => {},
        error: (e) => void replies.push(e),
      });
      d.feed(new Uint8Array(0));
      d.feed(B('+O'));
      d.feed(Buffer.alloc(0));
      d.feed(B('K\r\n'));
      d.feed(new Uint8Array(0));
      expect(replies).toEqual(['OK']);
    });

    it('reset() drops a partial reply: mid-array, mid-bulk-body, mid-line', () => {
      for (const partial of ['*2\r\n:1\r\n', '$10\r\nabc', '+O', '*1\r\n*3\r\n$2\r\nab\r']) {
        expect(decodeAll(factory, partial).events, partial).toEqual([]);
        const more: unknown[] = [];
        const fresh = factory({
          reply: (v) => void more.push(v),
          push: () => {},
          error: (e) => void more.push(e),
        });
        fresh.feed(B(partial));
        fresh.reset();
        fresh.feed(B(':5\r\n+OK\r\n'));
        expect(more, `after ${JSON.stringify(partial)}`).toEqual([5, 'OK']);
      }
    });

    it('reset() on a fresh decoder is harmless', () => {
      const replies: unknown[] = [];
      const decoder = factory({
        reply: (v) => void replies.push(v),
        push: () => {},
        error: (e) => void replies.push(e),
      });
      decoder.reset();
      decoder.reset();
      decoder.feed(B(':1\r\n'));
      expect(replies).toEqual([1]);
    });

    it('asks stringMode once per top-level reply, with its kind, and obeys it', () => {
      const stream = wire(
        '$3\r\nfoo\r\n',
        '$3\r\nbar\r\n',
        '>2\r\n+a\r\n$1\r\nb\r\n',
        '*2\r\n+c\r\n=5\r\ntxt:d\r\n',
        '+e\r\n',
      );
      const modes: StringMode[] = ['buffer', 'utf8', 'buffer', 'buffer', 'utf8'];
      const expected = canonicalEvents([
        reply(B('foo')),
        reply('bar'),
        push([B('a'), B('b')]),
        reply([B('c'), B('d')]),
        reply('e'),
      ]);
      for (const chunking of chunkingsFor(stream.length)) {
        let call = 0;
        const run = decodeAll(factory, stream, undefined, chunking, {
          stringMode: () => modes[call++] as StringMode,
        });
        expect(outcome(run), chunking.name).toEqual({ events: expected, thrown: undefined });
        expect(run.stringModeCalls, chunking.name).toEqual(['reply', 'reply', 'push', 'reply', 'reply']);
      }
    });

    it('lets stringMode override options.strings, keeping map keys and error messages strings', () => {
      const stream = wire('$3\r\nfoo\r\n', '%1\r\n$1\r\nk\r\n-ERR v\r\n', '%1\r\n$1\r\nk\r\n$1\r\nv\r\n');
      const modes: StringMode[] = ['utf8', 'buffer', 'buffer'];
      let call = 0;
      const run = decodeAll(factory, stream, { strings: 'buffer' }, whole, {
        stringMode: () => modes[call++] as StringMode,
      });
      expect(outcome(run).events).toEqual(
        canonicalEvents([
          reply('foo'),
          reply(obj({ k: new ReplyError('ERR v') })),
          reply(obj({ k: B('v') })),
        ]),
      );
    });

    it("asks stringMode('push') for a push behind an attribute", () => {
      const stream = '|1\r\n+a\r\n:1\r\n>2\r\n+message\r\n+x\r\n';
      for (const chunking of [whole, byteByByte]) {
        const run = decodeAll(factory, stream, undefined, chunking, { stringMode: () => 'buffer' });
        expect(run.stringModeCalls, chunking.name).toEqual(['push']);
        expect(outcome(run).events, chunking.name).toEqual(canonicalEvents([push([B('message'), B('x')])]));
      }
    });

    it('keeps Buffer values intact while later chunks arrive', () => {
      const random = seededRandom(42);
      const contents = Array.from({ length: 300 }, (_, i) =>
        Buffer.alloc(1 + Math.floor(random() * (i % 10 === 0 ? 5000 : 300)), 97 + (i % 26)),
      );
      const stream = Buffer.concat(contents.map((content) => bulk(content)));
      const expected = contents.map((content) => ({ reply: canonical(content) }));
      for (const chunking of [randomChunks(7, 1500), fixedChunks(1460), fixedChunks(7), whole]) {
        const run = decodeAll(factory, stream, { strings: 'buffer' }, chunking);
        // Compared only now, after every chunk went in: a reused read buffer would show here.
        expect(outcome(run).events, chunking.name).toEqual(expected);
      }
    });

    it('never reads past the bytes it was fed (memory beyond them holds stale data)', () => {
      // Freed buffers full of a plausible header make it likely that fresh, uninitialised
      // memory (Buffer.allocUnsafe) holds "$9999999999\r\n" right after the bytes fed so far.
      const collect = garbageCollector();
      const stream = wire(...[20, 300, 5, 5, 600, 4].map((n) => bulk('a'.repeat(n))));
      const expected = {
        events: [20, 300, 5, 5, 600, 4].map((n) => ({ reply: 'a'.repeat(n) })),
        thrown: undefined,
      };
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 64; i++) Buffer.allocUnsafe(16_384 * (1 + (i % 8))).fill('$9999999999\r\n');
        collect();
        for (const chunking of [fixedChunks(7), fixedChunks(3)]) {
          expect(
            outcome(decodeAll(factory, stream, undefined, chunking)),
            `round ${round}, ${chunking.name}`,
          ).toEqual(expected);
        }
      }
    }, 30_000);

    it('decodes a 1 MiB bulk string and a 10,000-element array in 1,460-byte chunks', () => {
      const big = Buffer.alloc(1024 * 1024, 0x61);
      big.write('start', 0);
      big.write('end', big.length - 3);
      const items = Array.from({ length: 10_000 }, (_, i) => `item:${i}`);
      const stream = wire(bulk(big), `*${items.length}\r\n`, ...items.map((item) => bulk(item)));
      const run = decodeAll(factory, stream, undefined, fixedChunks(1460));
      expect(run.errors).toEqual([]);
      expect(run.replies).toHaveLength(2);
      expect(run.replies[0]).toBe(big.toString('latin1'));
      expect(run.replies[1]).toEqual(items);
    });

    it('decodes a map used as an object-mode key without throwing', () => {
      for (const stream of ['%1\r\n%0\r\n:1\r\n', '%1\r\n*2\r\n:1\r\n%0\r\n+v\r\n']) {
        const run = decodeAll(factory, stream);
        expect(run.thrown, stream).toBeUndefined();
        expect(run.errors, stream).toEqual([]);
        expect(run.replies, stream).toHaveLength(1);
        const value = run.replies[0] as Record<string, unknown>;
        expect(Object.getPrototypeOf(value), stream).toBeNull();
        expect(Object.keys(value), stream).toHaveLength(1);
      }
    });

    it('keeps __proto__ keys as data and leaves Object.prototype alone', () => {
      const stream =
        '%2\r\n$9\r\n__proto__\r\n%1\r\n+polluted\r\n#t\r\n+constructor\r\n%1\r\n+prototype\r\n%1\r\n+polluted\r\n#t\r\n';
      const value = decodeAll(factory, stream).replies[0] as Record<string, unknown>;
      expect(Object.getPrototypeOf(value)).toBeNull();
      expect(Object.getOwnPropertyDescriptor(value, '__proto__')).toEqual({
        value: expect.anything(),
        writable: true,
        enumerable: true,
        configurable: true,
      });
      const inner = Object.getOwnPropertyDescriptor(value, '__proto__')?.value as Record<string, unknown>;
      expect(Object.getPrototypeOf(inner)).toBeNull();
      expect(inner.polluted).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  });
}
