import { type DecoderFactory, RespProtocolError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { offsetsOf } from './contract-fixtures.js';
import {
  byteByByte,
  type Chunking,
  decodeAll,
  fixedChunks,
  outcome,
  randomChunks,
  splitAt,
  whole,
} from './decode-all.js';
import { wire } from './fixtures.js';
import { HOSTILE_CASES } from './hostile.js';

const BEFORE = '+OK\r\n';
const AFTER = ':1\r\n';
/** Byte by byte costs a Buffer per byte: only for streams up to this size. */
const BYTE_BY_BYTE_UP_TO = 20_000;
/** Splitting at every offset: only for streams up to this size. */
const EVERY_SPLIT_UP_TO = 64;
const MiB = 1024 * 1024;

function chunkingsFor(length: number): Chunking[] {
  const list: Chunking[] = [whole, fixedChunks(1460), randomChunks(21, 13)];
  if (length <= BYTE_BY_BYTE_UP_TO) list.push(byteByByte);
  if (length <= EVERY_SPLIT_UP_TO) list.push(...offsetsOf(length).map(splitAt));
  return list;
}

function expectProtocolError(err: unknown, reason: string): void {
  expect(err).toBeInstanceOf(RespProtocolError);
  expect((err as RespProtocolError).reason).toBe(reason);
  expect((err as RespProtocolError).code).toBe('ERR_RESP_PROTOCOL');
}

/** Bytes retained by the process: JS heap plus Buffer memory. */
function retainedBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Grammar and limit violations: the exact reason, replies before it, nothing after, then poisoned until reset(). */
export function describeHostileContract(factory: DecoderFactory): void {
  describe('hostile input', () => {
    for (const hostile of HOSTILE_CASES) {
      const options = hostile.limits === undefined ? undefined : { limits: hostile.limits };

      it(`${hostile.name}: sink.error with '${hostile.reason}'`, () => {
        const stream = wire(BEFORE, hostile.bytes, AFTER);
        const expected = { events: [{ reply: 'OK' }, { error: hostile.reason }], thrown: undefined };
        for (const chunking of chunkingsFor(stream.length)) {
          const run = decodeAll(factory, stream, options, chunking);
          expect(outcome(run), chunking.name).toEqual(expected);
          expectProtocolError(run.errors[0], hostile.reason);
        }
      });

      it(`${hostile.name}: poisons the decoder until reset()`, () => {
        const run = decodeAll(factory, hostile.bytes, options);
        expect(outcome(run).events).toEqual([{ error: hostile.reason }]);
        let thrown: unknown;
        try {
          run.decoder.feed(Buffer.from(AFTER));
        } catch (err) {
          thrown = err;
        }
        expectProtocolError(thrown, 'decoder-poisoned');
        expect(run.events).toHaveLength(1);
        run.decoder.reset();
        run.decoder.feed(Buffer.from(AFTER));
        expect(outcome(run).events).toEqual([{ error: hostile.reason }, { reply: 1 }]);
      });
    }

    it('refuses huge announced counts without allocating for them', () => {
      for (const header of [
        '*2147483647\r\n',
        '*4294967296\r\n',
        '%2147483647\r\n',
        '~4294967296\r\n',
        '>2147483647\r\n',
      ]) {
        const before = retainedBytes();
        const rssBefore = process.memoryUsage().rss;
        const run = decodeAll(factory, header);
        expect(outcome(run).events, header).toEqual([{ error: 'too-many-elements' }]);
        expect(retainedBytes() - before, header).toBeLessThan(16 * MiB);
        expect(process.memoryUsage().rss - rssBefore, header).toBeLessThan(64 * MiB);
      }
    });

    it('allocates nothing for a count at the limit before its elements arrive', () => {
      for (const header of ['*16777216\r\n:1\r\n', '%16777216\r\n+k\r\n', '~16777216\r\n']) {
        const before = retainedBytes();
        const rssBefore = process.memoryUsage().rss;
        const run = decodeAll(factory, header);
        expect(outcome(run).events, header).toEqual([]);
        expect(retainedBytes() - before, header).toBeLessThan(16 * MiB);
        expect(process.memoryUsage().rss - rssBefore, header).toBeLessThan(64 * MiB);
        // Still alive, and still decoding: the measurement above saw whatever it holds.
        run.decoder.reset();
      }
    });

    it('sizes a streaming list by the bytes that came, not by the count it announced', () => {
      // Far more than the small-rest threshold, so a streaming decoder is decoding elements by now.
      const header = `*16777216\r\n${':1\r\n'.repeat(4096)}`;
      const before = retainedBytes();
      const run = decodeAll(factory, header);
      expect(outcome(run).events).toEqual([]);
      // The full array would be 128 MiB of slots.
      expect(retainedBytes() - before).toBeLessThan(16 * MiB);
      run.decoder.reset();
    });

    it('refuses an unfinished reply that buffers more than maxReplyBytes', () => {
      const limits = { maxReplyBytes: 64 };
      const cases = [
        wire(BEFORE, '*2\r\n$5\r\nhello\r\n+', 'a'.repeat(60)), // an endless simple string
        wire(BEFORE, '*100\r\n', ':1\r\n'.repeat(20)), // many small elements, still unfinished
        wire(BEFORE, '$60\r\n', 'b'.repeat(60)), // a bulk within the limit, its frame (with CRLFs) past it
      ];
      for (const stream of cases) {
        for (const chunking of [whole, byteByByte, fixedChunks(10), randomChunks(5, 20)]) {
          const run = decodeAll(factory, stream, { limits }, chunking);
          expect(outcome(run), `${stream.toString('latin1')} / ${chunking.name}`).toEqual({
            events: [{ reply: 'OK' }, { error: 'reply-too-large' }],
            thrown: undefined,
          });
        }
      }
    });

    it('keeps an unfinished reply within maxReplyBytes waiting', () => {
      const stream = wire('*2\r\n$5\r\nhello\r\n+', 'a'.repeat(48)); // 64 bytes
      for (const chunking of [whole, byteByByte, fixedChunks(10)]) {
        const run = decodeAll(factory, stream, { limits: { maxReplyBytes: 64 } }, chunking);
        expect(outcome(run), chunking.name).toEqual({ events: [], thrown: undefined });
        run.decoder.feed(Buffer.from('\r\n'));
        expect(outcome(run).events, chunking.name).toEqual([{ reply: ['hello', 'a'.repeat(48)] }]);
      }
    });

    it('survives depth 200,000 fed in one piece (no stack overflow)', () => {
      const stream = Buffer.from(`${'*1\r\n'.repeat(200_000)}:1\r\n`);
      const run = decodeAll(factory, stream);
      expect(outcome(run)).toEqual({ events: [{ error: 'too-deep' }], thrown: undefined });
    });
  });
}
