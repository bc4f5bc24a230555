import {
  createJsDecoder,
  type DecoderFactory,
  encodeCommand,
  InvalidArgumentError,
  type ReplyDecoder,
} from '@fusedis/resp';
import {
  chunkingAt,
  chunkOffsetsArbitrary,
  type DecodeResult,
  decodeAll,
  decodeOptionsArbitrary,
  describeDecoderContract,
  fastCheckRuns,
  mutatedStreamCaseArbitrary,
  outcome,
  respStream,
  writeStream,
} from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTO_JS_MAX_ELEMENT_BYTES,
  AUTO_NATIVE_MIN_ELEMENTS,
  AUTO_NATIVE_MIN_MAP_ENTRIES,
  AUTO_NATIVE_OK_RUN_BYTES,
  AUTO_NATIVE_TEXT_BYTES,
  autoDecoderFactory,
  createAutoDecoder,
  createNativeDecoder,
} from '../../src/index.js';

// The auto decoder must keep the contract whichever decoder takes a chunk. With a threshold of 2
// and no short-element rule, every aggregate of two or more elements goes native and everything
// else JS: a stream switches back and forth between them many times.
const switching = autoDecoderFactory(createJsDecoder, createNativeDecoder, 2, -1);
// The same with the short-element rule on: lists of short scalars stay JS, the rest switch.
const switchingShort = autoDecoderFactory(createJsDecoder, createNativeDecoder, 2);
describeDecoderContract('auto', createAutoDecoder);
describeDecoderContract('auto, switching at 2 elements', switching);

const { base: RUNS, runs } = fastCheckRuns(100);
const TIMEOUT = Math.max(60_000, RUNS * 100);

function strict(result: DecodeResult): unknown {
  return {
    ...outcome(result),
    errors: result.errors.map((err) => ({ name: err.name, message: err.message, offset: err.offset })),
  };
}

/** Records which of the two decoders each chunk went to. */
function spied(log: string[]): DecoderFactory {
  const tag =
    (name: string, factory: DecoderFactory): DecoderFactory =>
    (sink, options) => {
      const inner = factory(sink, options);
      const decoder: ReplyDecoder = {
        feed: (chunk) => {
          log.push(name);
          inner.feed(chunk);
        },
        reset: () => inner.reset(),
        get idle() {
          return inner.idle === true;
        },
      };
      return decoder;
    };
  return autoDecoderFactory(tag('js', createJsDecoder), tag('native', createNativeDecoder));
}

/** The `i`th string of `arrayOf`: longer than `AUTO_JS_MAX_ELEMENT_BYTES`, so its lists can go native. */
const longValue = (i: number): string => `v${i}`.padEnd(AUTO_JS_MAX_ELEMENT_BYTES + 1, '.');

/** A RESP array of `n` bulk strings (`longValue`). */
const arrayOf = (n: number): Buffer =>
  Buffer.concat([
    Buffer.from(`*${n}\r\n`),
    ...Array.from({ length: n }, (_, i) => encodeCommand([longValue(i)]).subarray(4)),
  ]);

/** An auto decoder whose routing is logged, and the replies (and errors) it delivered. */
function routed(): { log: string[]; replies: unknown[]; decoder: ReplyDecoder } {
  const log: string[] = [];
  const replies: unknown[] = [];
  const decoder = spied(log)({
    reply: (v) => replies.push(v),
    push: () => {},
    error: (e) => replies.push(e),
  });
  return { log, replies, decoder };
}

describe('auto decoder', () => {
  it('sends small replies to the JS decoder and a large list, all its chunks, to the native one', () => {
    const { log, replies, decoder } = routed();
    decoder.feed(Buffer.from('+OK\r\n:1\r\n'));
    decoder.feed(Buffer.from(`*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n`));
    const big = arrayOf(AUTO_NATIVE_MIN_ELEMENTS);
    for (let at = 0; at < big.length; at += 1460) decoder.feed(big.subarray(at, at + 1460));
    const chunks = Math.ceil(big.length / 1460);
    decoder.feed(Buffer.from('$2\r\nhi\r\n'));
    expect(log).toEqual(['js', 'js', ...Array.from({ length: chunks }, () => 'native'), 'js']);
    expect(replies.length).toBe(5);
    expect((replies[3] as string[]).length).toBe(AUTO_NATIVE_MIN_ELEMENTS);
    expect((replies[3] as string[])[AUTO_NATIVE_MIN_ELEMENTS - 1]).toBe(
      longValue(AUTO_NATIVE_MIN_ELEMENTS - 1),
    );
    expect(replies[4]).toBe('hi');
  });

  it('sends a large map to the native decoder, and a table of rows (an array of arrays) to the JS one', () => {
    const { log, replies, decoder } = routed();
    const n = AUTO_NATIVE_MIN_ELEMENTS;
    const map = Buffer.from(
      `%${n}\r\n${Array.from({ length: n }, (_, i) => `$2\r\nk${i % 10}\r\n:${i}\r\n`).join('')}`,
    );
    const rows = Buffer.from(
      `*${n}\r\n${Array.from({ length: n }, (_, i) => `*2\r\n:${i}\r\n$1\r\nr\r\n`).join('')}`,
    );
    decoder.feed(map);
    decoder.feed(rows);
    decoder.feed(Buffer.concat([Buffer.from(`*${n}\r\n`), Buffer.from(',1.5\r\n'.repeat(n))]));
    expect(log).toEqual(['native', 'js', 'native']);
    expect(replies.length).toBe(3);
    expect((replies[1] as unknown[][])[n - 1]).toEqual([n - 1, 'r']);
  });

  it('sends a large list of integers or short strings to the JS decoder, of longer strings to the native one', () => {
    const { log, replies, decoder } = routed();
    const n = AUTO_NATIVE_MIN_ELEMENTS;
    const listOf = (element: (i: number) => string, type = '*'): Buffer =>
      Buffer.from(`${type}${n}\r\n${Array.from({ length: n }, (_, i) => element(i)).join('')}`);
    const bulk = (bytes: number) => (i: number) => `$${bytes}\r\n${String(i).padStart(bytes, 'x')}\r\n`;
    decoder.feed(listOf((i) => `:${i}\r\n`));
    decoder.feed(listOf((i) => `+s${i}\r\n`, '~'));
    const simple = (chars: number) => (i: number) => `+${String(i).padStart(chars, 's')}\r\n`;
    decoder.feed(listOf(simple(AUTO_JS_MAX_ELEMENT_BYTES), '~'));
    decoder.feed(listOf(simple(AUTO_JS_MAX_ELEMENT_BYTES + 1), '~'));
    decoder.feed(listOf(bulk(AUTO_JS_MAX_ELEMENT_BYTES)));
    decoder.feed(listOf(bulk(AUTO_JS_MAX_ELEMENT_BYTES + 1)));
    // Only the first element decides: a short one first keeps the whole list with JS.
    decoder.feed(listOf((i) => (i === 0 ? ':0\r\n' : bulk(40)(i))));
    expect(log).toEqual(['js', 'js', 'js', 'native', 'js', 'native', 'js']);
    expect(replies.map((r) => (r as unknown[]).length)).toEqual([n, n, n, n, n, n, n]);
    expect((replies[3] as string[])[n - 1]).toBe(String(n - 1).padStart(AUTO_JS_MAX_ELEMENT_BYTES + 1, 's'));
    expect((replies[4] as string[])[n - 1]).toBe(String(n - 1).padStart(AUTO_JS_MAX_ELEMENT_BYTES, 'x'));
    expect((replies[5] as string[])[n - 1]).toBe(String(n - 1).padStart(AUTO_JS_MAX_ELEMENT_BYTES + 1, 'x'));
  });

  it('sends a map of AUTO_NATIVE_MIN_MAP_ENTRIES entries to the native decoder, one entry fewer to the JS one', () => {
    const { log, replies, decoder } = routed();
    const mapOf = (n: number): Buffer =>
      Buffer.from(
        `%${n}\r\n${Array.from({ length: n }, (_, i) => `$5\r\nk${String(i).padStart(4, '0')}\r\n:${i}\r\n`).join('')}`,
      );
    decoder.feed(mapOf(AUTO_NATIVE_MIN_MAP_ENTRIES));
    decoder.feed(mapOf(AUTO_NATIVE_MIN_MAP_ENTRIES - 1));
    // An array of as many elements stays with JS: the lower threshold is for maps only.
    decoder.feed(arrayOf(AUTO_NATIVE_MIN_MAP_ENTRIES * 2));
    expect(log).toEqual(['native', 'js', 'js']);
    const first = replies[0] as Record<string, number>;
    expect(Object.keys(first)).toHaveLength(AUTO_NATIVE_MIN_MAP_ENTRIES);
    expect(first.k1023).toBe(1023);
    expect(Object.keys(replies[1] as object)).toHaveLength(AUTO_NATIVE_MIN_MAP_ENTRIES - 1);
  });

  it('sends a long run of +OK to the native decoder, unless the sink has a reply mode to ask', () => {
    const count = Math.ceil(AUTO_NATIVE_OK_RUN_BYTES / 5);
    const run = Buffer.from('+OK\r\n'.repeat(count));
    const { log, replies, decoder } = routed();
    decoder.feed(run);
    decoder.feed(run.subarray(0, 5 * (count - 1))); // one reply too short to go native
    decoder.feed(Buffer.concat([Buffer.from(':1\r\n'), run]));
    expect(log).toEqual(['native', 'js', 'js']);
    expect(replies).toHaveLength(count + (count - 1) + 1 + count);
    expect(replies.every((r) => r === 'OK' || r === 1)).toBe(true);

    const asked: string[] = [];
    const withMode = spied(asked)({
      reply: () => {},
      push: () => {},
      error: () => {},
      replyMode: () => 'utf8',
    });
    withMode.feed(run);
    expect(asked).toEqual(['js']);
  });

  it('sends a large bulk string to the native decoder when the sink wants text and has no reply mode', () => {
    const bulkOf = (n: number): Buffer =>
      Buffer.concat([Buffer.from(`$${n}\r\n`), Buffer.alloc(n, 'abc'), Buffer.from('\r\n')]);
    const large = bulkOf(AUTO_NATIVE_TEXT_BYTES);
    const chunksOf = (bytes: Buffer): Buffer[] =>
      Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
        bytes.subarray(i * 65536, (i + 1) * 65536),
      );
    const { log, replies, decoder } = routed();
    for (const chunk of chunksOf(large)) decoder.feed(chunk);
    decoder.feed(bulkOf(AUTO_NATIVE_TEXT_BYTES - 1));
    expect(log).toEqual([...chunksOf(large).map(() => 'native'), 'js']);
    expect(replies).toEqual([
      Buffer.alloc(AUTO_NATIVE_TEXT_BYTES, 'abc').toString('latin1'),
      expect.any(String),
    ]);

    const sink = { reply: () => {}, push: () => {}, error: () => {} };
    const asBuffers: string[] = [];
    spied(asBuffers)(sink, { strings: 'buffer' }).feed(large);
    const withMode: string[] = [];
    spied(withMode)({ ...sink, replyMode: () => 'utf8' }).feed(large);
    expect([asBuffers, withMode]).toEqual([['js'], ['js']]);
  });

  it('keeps a reply cut short with the decoder that started it', () => {
    const { log, replies, decoder } = routed();
    const big = arrayOf(AUTO_NATIVE_MIN_ELEMENTS + 1);
    // A small reply, then the big one's header: the whole chunk goes to JS, so JS decodes it all.
    decoder.feed(Buffer.concat([Buffer.from(':7\r\n'), big.subarray(0, 100)]));
    expect(decoder.idle).toBe(false);
    decoder.feed(big.subarray(100));
    expect(decoder.idle).toBe(true);
    expect(log).toEqual(['js', 'js']);
    expect(replies[0]).toBe(7);
    expect((replies[1] as string[]).length).toBe(AUTO_NATIVE_MIN_ELEMENTS + 1);
  });

  it('refuses a feed from inside a sink callback, whichever decoder is delivering', () => {
    const caught: unknown[] = [];
    const decoder: ReplyDecoder = switching({
      reply: () => {
        try {
          decoder.feed(Buffer.from('+OK\r\n'));
        } catch (err) {
          caught.push(err);
        }
      },
      push: () => {},
      error: () => {},
    });
    decoder.feed(Buffer.from('+OK\r\n')); // JS
    decoder.feed(Buffer.from('*2\r\n:1\r\n:2\r\n')); // native
    expect(caught.length).toBe(2);
    for (const err of caught) expect(err).toBeInstanceOf(InvalidArgumentError);
  });

  it('stays poisoned after a protocol error until reset, then decodes again', () => {
    const errors: unknown[] = [];
    const replies: unknown[] = [];
    const decoder = switching({
      reply: (v) => replies.push(v),
      push: () => {},
      error: (e) => errors.push(e),
    });
    decoder.feed(Buffer.from('?bad\r\n'));
    expect(errors.length).toBe(1);
    expect(() => decoder.feed(Buffer.from('*2\r\n:1\r\n:2\r\n'))).toThrow(
      /decoder-poisoned|after a protocol error/,
    );
    decoder.reset();
    decoder.feed(Buffer.from('*2\r\n:1\r\n:2\r\n'));
    expect(replies).toEqual([[1, 2]]);
  });

  it(
    'generated RESP3 streams, any options, random chunks: exactly what the JS decoder gives',
    () => {
      fc.assert(
        fc.property(respStream(), decodeOptionsArbitrary, chunkOffsetsArbitrary, (nodes, options, a) => {
          const { bytes } = writeStream(nodes);
          const chunking = chunkingAt(a, bytes.length);
          const js = decodeAll(createJsDecoder, bytes, options, chunking);
          expect(strict(decodeAll(switching, bytes, options, chunking))).toEqual(strict(js));
          expect(strict(decodeAll(switchingShort, bytes, options, chunking))).toEqual(strict(js));
        }),
        runs(RUNS * 2),
      );
    },
    TIMEOUT,
  );

  it(
    'mutated streams, any limits, random chunks: the same values and errors as the JS decoder',
    () => {
      fc.assert(
        fc.property(mutatedStreamCaseArbitrary, ({ bytes, options, chunking }) => {
          const js = decodeAll(createJsDecoder, bytes, options, chunking);
          expect(strict(decodeAll(switching, bytes, options, chunking))).toEqual(strict(js));
          expect(strict(decodeAll(switchingShort, bytes, options, chunking))).toEqual(strict(js));
        }),
        runs(RUNS * 2),
      );
    },
    TIMEOUT,
  );
});
