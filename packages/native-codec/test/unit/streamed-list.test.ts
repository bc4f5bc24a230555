import {
  createJsDecoder,
  type DecodeOptionsInput,
  type DecoderFactory,
  type ReplyMode,
  type ReplySink,
  type RespProtocolError,
  type StringMode,
} from '@fusedis/resp';
import {
  type Chunking,
  canonical,
  cutBytes,
  type DecodeResult,
  decodeAll,
  decodeOptionsArbitrary,
  fastCheckRuns,
  fixedChunks,
  mutate,
  mutationsArbitrary,
  outcome,
  randomChunks,
  runFrames,
  seededRandom,
  whole,
} from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

// Large top-level lists cut short are built element by element as they arrive (src/streamed_list.rs).
// The JS decoder fed the same bytes whole (no streaming there) is the reference: the native one,
// fed in any chunking, must agree exactly — values, sink calls in order, error reason, message
// and offset, stringMode calls, what feed() threw — for lists of every shape, with broken bytes
// and tight limits. The JS decoder fed in the same chunks streams too, and must agree as well.
const { base: RUNS, runs } = fastCheckRuns(40);
const TIMEOUT = 120_000;

/** An element of a large list: mostly short strings and numbers, now and then something larger. */
function element(random: () => number, depth: number): string {
  const pick = Math.floor(random() * 20);
  const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  switch (pick) {
    case 0:
      return bulk('x'.repeat(Math.floor(random() * (random() < 0.1 ? 9000 : 1500))));
    case 1:
      return bulk(`héllo-${Math.floor(random() * 1000)}`);
    case 2:
      return `:${Math.floor(random() * 2e6) - 1e6}\r\n`;
    case 3:
      return `+simple-${Math.floor(random() * 100)}\r\n`;
    case 4:
      return '$-1\r\n';
    case 5:
      return '_\r\n';
    case 6:
      return `-ERR inside ${Math.floor(random() * 9)}\r\n`;
    case 7:
      return [',1.5\r\n', '#t\r\n', '(123456789012345678901234\r\n'][Math.floor(random() * 3)] as string;
    case 8:
      return '=8\r\ntxt:abcd\r\n';
    case 9: {
      if (depth > 2) return ':0\r\n';
      const n = depth === 1 && random() < 0.05 ? 100 + Math.floor(random() * 600) : Math.floor(random() * 5);
      let text = `*${n}\r\n`;
      for (let i = 0; i < n; i++) text += element(random, depth + 1);
      return text;
    }
    case 10: {
      if (depth > 2) return ':1\r\n';
      const n = Math.floor(random() * 3);
      let text = `%${n}\r\n`;
      for (let i = 0; i < n; i++) text += bulk(`k${i}`) + element(random, depth + 1);
      return text;
    }
    case 11:
      return depth > 2
        ? ':2\r\n'
        : `|1\r\n+at\r\n:${Math.floor(random() * 9)}\r\n${element(random, depth + 1)}`;
    default:
      return bulk(`v${String(Math.floor(random() * 1e9)).padStart(9, '0')}`);
  }
}

/** A stream of a few replies, at least one a large list (`*`, `~` or `>`). */
function stream(seed: number): Buffer {
  const random = seededRandom(seed);
  const parts: string[] = [];
  const frames = 1 + Math.floor(random() * 4);
  for (let f = 0; f < frames; f++) {
    if (f > 0 && random() < 0.4) {
      parts.push(
        ['+OK\r\n', ':42\r\n', '*2\r\n$1\r\na\r\n:1\r\n', '|1\r\n+k\r\n+v\r\n+x\r\n'][f % 4] as string,
      );
      continue;
    }
    const type = ['*', '*', '~', '>'][Math.floor(random() * 4)] as string;
    const count = Math.floor(random() * 1500) + (type === '>' ? 1 : 0);
    let text = `${type}${count}\r\n`;
    for (let i = 0; i < count; i++) text += element(random, 1);
    parts.push(text);
  }
  return Buffer.from(parts.join(''));
}

function chunkingOf(kind: number, seed: number): Chunking {
  const chunkings = [fixedChunks(1460), fixedChunks(64), fixedChunks(7), randomChunks(seed, 5000), whole];
  return chunkings[kind % chunkings.length] as Chunking;
}

/** `outcome`, plus each protocol error's class, message and offset, and the stringMode calls. */
function strict(result: DecodeResult): unknown {
  return {
    ...outcome(result),
    errors: result.errors.map((err) => ({
      name: err.name,
      message: err.message,
      offset: err.offset,
      reason: err.reason,
    })),
    stringModeCalls: result.stringModeCalls,
  };
}

function bothAgree(
  bytes: Uint8Array,
  options: DecodeOptionsInput | undefined,
  chunking: Chunking,
  stringMode?: () => (kind: 'reply' | 'push') => StringMode,
): void {
  const hooks = () => (stringMode === undefined ? {} : { stringMode: stringMode() });
  const js = decodeAll(createJsDecoder, bytes, options, whole, hooks());
  const native = decodeAll(createNativeDecoder, bytes, options, chunking, hooks());
  expect(strict(native)).toEqual(strict(js));
  // The JS decoder streams large lists too: fed in the same pieces, it must also give what it gives whole.
  expect(strict(decodeAll(createJsDecoder, bytes, options, chunking, hooks()))).toEqual(strict(js));
}

const seedArbitrary = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const chunkingArbitrary = fc.nat({ max: 4 });

/** Feeds every chunk, carrying on after a throwing sink; records what each decoder did. */
function feedThrough(factory: DecoderFactory, chunks: readonly Uint8Array[], throwAt: number): unknown[] {
  const events: unknown[] = [];
  let delivered = 0;
  const take = (kind: string, value: unknown) => {
    events.push({ [kind]: canonical(value) });
    // Replies and pushes only: after an attribute throws, the decoders differ (see README).
    if (kind !== 'attribute' && ++delivered === throwAt) throw new Error('sink threw');
  };
  const sink: ReplySink = {
    reply: (value) => take('reply', value),
    push: (value) => take('push', value),
    attribute: (value) => take('attribute', value),
    error: (err: RespProtocolError) => void events.push({ error: err.reason, offset: err.offset }),
  };
  const decoder = factory(sink, { attributes: 'sink' });
  for (const chunk of chunks) {
    try {
      decoder.feed(chunk);
    } catch (err) {
      events.push({ thrown: err instanceof Error ? err.message : String(err) });
    }
  }
  return events;
}

describe('large lists built as they arrive: native vs JS', () => {
  it(
    'lists of every shape, any options, any chunking: identical sink calls',
    () => {
      fc.assert(
        fc.property(seedArbitrary, decodeOptionsArbitrary, chunkingArbitrary, (seed, options, kind) => {
          bothAgree(stream(seed), options, chunkingOf(kind, seed));
        }),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    'broken bytes anywhere in them, tight limits: identical errors, offsets and messages',
    () => {
      // No maxReplyBytes here: an unfinished reply over it is refused only when fed in pieces.
      const limits = fc.constantFrom(
        undefined,
        { maxDepth: 2 },
        { maxDepth: 3, maxElements: 900 },
        { maxBigNumberLength: 10 },
      );
      fc.assert(
        fc.property(
          seedArbitrary,
          mutationsArbitrary,
          limits,
          decodeOptionsArbitrary,
          chunkingArbitrary,
          (seed, mutations, limit, options, kind) => {
            const bytes = mutate(stream(seed), mutations);
            bothAgree(
              bytes,
              limit === undefined ? options : { ...options, limits: limit },
              chunkingOf(kind, seed),
            );
          },
        ),
        runs(RUNS * 2),
      );
    },
    TIMEOUT,
  );

  it(
    'a per-reply stringMode: identical values and stringMode calls',
    () => {
      fc.assert(
        fc.property(
          seedArbitrary,
          decodeOptionsArbitrary,
          fc.array(fc.constantFrom<StringMode>('utf8', 'buffer'), { minLength: 1, maxLength: 5 }),
          chunkingArbitrary,
          (seed, options, modes, kind) => {
            const stringMode = () => {
              let call = 0;
              return () => modes[call++ % modes.length] as StringMode;
            };
            bothAgree(stream(seed), options, chunkingOf(kind, seed), stringMode);
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    'frame mode among the others: a list wanted as a frame is gathered whole, the rest streamed',
    () => {
      fc.assert(
        fc.property(
          seedArbitrary,
          decodeOptionsArbitrary,
          fc.array(fc.constantFrom<ReplyMode>('utf8', 'buffer', 'frame'), { minLength: 1, maxLength: 5 }),
          fc.nat({ max: 3 }),
          (seed, options, modes, kind) => {
            const bytes = stream(seed);
            const chunks = chunkingOf(kind, seed).split(bytes);
            const modeOf = (_kind: 'reply' | 'push', i: number) => modes[i % modes.length] as ReplyMode;
            const js = runFrames(createJsDecoder, [bytes], options, modeOf);
            const native = runFrames(createNativeDecoder, chunks, options, modeOf);
            expect(native.events).toEqual(js.events);
            expect(native.asked).toEqual(js.asked);
            expect(native.thrown).toEqual(js.thrown);
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    'a sink that throws once, feeding on: every value still delivered once, in order',
    () => {
      // Both decoders, each against itself undisturbed: neither may lose or repeat a value.
      fc.assert(
        fc.property(
          seedArbitrary,
          fc.integer({ min: 1, max: 6 }),
          chunkingArbitrary,
          fc.constantFrom(createNativeDecoder, createJsDecoder),
          (seed, throwAt, kind, factory) => {
            const bytes = Buffer.concat([stream(seed), Buffer.from('+after\r\n')]);
            const chunks = [...chunkingOf(kind, seed).split(bytes), Buffer.from('+end\r\n')];
            const calm = feedThrough(factory, chunks, 0);
            const values = calm.filter((event) => Object.keys(event as object)[0] !== 'attribute').length;
            const thrown = feedThrough(factory, chunks, 1 + ((throwAt - 1) % values));
            const throws = thrown.filter((event) => Object.keys(event as object)[0] === 'thrown');
            expect(throws).toEqual([{ thrown: 'sink threw' }]);
            expect(thrown.filter((event) => Object.keys(event as object)[0] !== 'thrown')).toEqual(calm);
            expect(calm.at(-1)).toEqual({ reply: 'end' });
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it('an unfinished list past maxReplyBytes: the same message and offset as the JS decoder, in every chunking', () => {
    const parts = ['*5000\r\n'];
    for (let i = 0; i < 5000; i++)
      parts.push(i % 7 === 0 ? `*2\r\n:${i}\r\n$3\r\nabc\r\n` : `$6\r\nitem-${i % 10}\r\n`);
    const bytes = Buffer.from(parts.join(''));
    for (const maxReplyBytes of [2000, 40_000]) {
      for (const chunking of [fixedChunks(1460), fixedChunks(64), fixedChunks(7), randomChunks(3, 3000)]) {
        const js = decodeAll(createJsDecoder, bytes, { limits: { maxReplyBytes } }, chunking);
        const native = decodeAll(createNativeDecoder, bytes, { limits: { maxReplyBytes } }, chunking);
        expect(strict(native), chunking.name).toEqual(strict(js));
        expect(native.errors.map((err) => err.reason)).toEqual(['reply-too-large']);
      }
    }
  });

  it('a reply with more than 512 attribute maps, fed whole: every map and the reply intact', () => {
    // Regression: the batch was flushed mid-reply, closing the scope its later handles lived in.
    const parts = ['*2000\r\n'];
    for (let i = 0; i < 2000; i++) parts.push(i % 2 === 0 ? `|1\r\n+at\r\n:${i}\r\n:${i}\r\n` : `:${i}\r\n`);
    const bytes = Buffer.from(`${parts.join('')}+OK\r\n`);
    const native = decodeAll(createNativeDecoder, bytes, { attributes: 'sink' }, whole);
    expect(outcome(native)).toEqual(
      outcome(decodeAll(createJsDecoder, bytes, { attributes: 'sink' }, whole)),
    );
    expect(native.attributes).toHaveLength(1000);
    expect(native.replies).toEqual([Array.from({ length: 2000 }, (_, i) => i), 'OK']);
  });

  it('reset() in the middle of a list drops it, attributes included, and decodes what follows', () => {
    const parts = ['*3000\r\n'];
    for (let i = 0; i < 3000; i++) parts.push(i % 50 === 0 ? `|1\r\n+at\r\n:${i}\r\n:${i}\r\n` : `:${i}\r\n`);
    const list = Buffer.from(parts.join(''));
    const events: unknown[] = [];
    const decoder = createNativeDecoder(
      {
        reply: (value) => void events.push({ reply: value }),
        push: () => {},
        attribute: (value) => void events.push({ attribute: value }),
        error: (err) => void events.push({ error: err.reason }),
      },
      { attributes: 'sink' },
    );
    for (const chunk of cutBytes(list, [1460, 2920, 4380])) {
      if (chunk.length < 5000) decoder.feed(chunk);
    }
    expect(events).toEqual([]);
    decoder.reset();
    for (const chunk of fixedChunks(700).split(list)) decoder.feed(chunk);
    decoder.feed(Buffer.from('+after\r\n'));
    expect(events).toHaveLength(60 + 2);
    expect(events[60]).toEqual({ reply: Array.from({ length: 3000 }, (_, i) => i) });
    expect(events[61]).toEqual({ reply: 'after' });
  });

  it('a list whose elements are large bulk strings, in socket-sized chunks', () => {
    const body = 'y'.repeat(300_000);
    const parts = ['*8\r\n'];
    for (let i = 0; i < 8; i++) parts.push(`$${body.length}\r\n${body}\r\n`);
    const bytes = Buffer.from(`${parts.join('')}:1\r\n`);
    const result = decodeAll(createNativeDecoder, bytes, undefined, fixedChunks(1460));
    expect(result.events).toHaveLength(2);
    expect(result.replies[0]).toEqual(Array.from({ length: 8 }, () => body));
    expect(result.replies[1]).toBe(1);
  });

  it('a Set (sets: "set") and a push of a million-element list in 64 KiB chunks', () => {
    const count = 1_000_000;
    const parts: string[] = [`~${count}\r\n`];
    for (let i = 0; i < count; i++) parts.push(`:${i}\r\n`);
    const bytes = Buffer.from(parts.join(''));
    const result = decodeAll(createNativeDecoder, bytes, { sets: 'set' }, fixedChunks(65_536));
    const set = result.replies[0] as Set<number>;
    expect(set).toBeInstanceOf(Set);
    expect(set.size).toBe(count);
    expect(set.has(count - 1)).toBe(true);
  });
});

/**
 * A large list that looks whole: its first element is a short string, so its count times that
 * element's size fits in what arrived, though later elements may be larger. Then `+OK`.
 */
function wholeLookingList(seed: number): Buffer {
  const random = seededRandom(seed);
  const count = 512 + Math.floor(random() * 1000);
  let text = `${random() < 0.8 ? '*' : '~'}${count}\r\n$3\r\nabc\r\n`;
  for (let i = 1; i < count; i++) {
    text += random() < 0.7 ? `$${3 + (i % 9)}\r\n${'v'.repeat(3 + (i % 9))}\r\n` : element(random, 1);
  }
  return Buffer.from(`${text}+OK\r\n`);
}

// A large list that arrived whole is built as each element is checked, not scanned first
// (src/checked_list_decoder.rs); an element cut short, malformed or over a limit gives that up
// and the frame is scanned as usual. Fed whole, or cut in two anywhere (so the check meets a list
// that looked whole and is not), the native decoder must agree with the JS one fed it whole.
describe('large lists that arrive whole: built as they are checked, native vs JS', () => {
  const limits = fc.constantFrom(undefined, { maxDepth: 1 }, { maxDepth: 2 }, { maxElements: 700 });

  it(
    'broken or not, whole or cut in two, any options and limits: identical sink calls and errors',
    () => {
      fc.assert(
        fc.property(
          seedArbitrary,
          fc.option(mutationsArbitrary),
          limits,
          decodeOptionsArbitrary,
          fc.nat(),
          (seed, mutations, limit, options, cut) => {
            const list = wholeLookingList(seed);
            const bytes = mutations === null ? list : mutate(list, mutations);
            const at = 1 + (cut % bytes.length);
            const inTwo: Chunking = { name: `cut at ${at}`, split: (b) => cutBytes(b, [at]) };
            const withLimit = limit === undefined ? options : { ...options, limits: limit };
            bothAgree(bytes, withLimit, whole);
            bothAgree(bytes, withLimit, inTwo);
          },
        ),
        runs(RUNS * 2),
      );
    },
    TIMEOUT,
  );

  it(
    'a per-reply stringMode: asked once per list, identical values',
    () => {
      fc.assert(
        fc.property(
          seedArbitrary,
          fc.constantFrom<StringMode>('utf8', 'buffer'),
          fc.nat(),
          (seed, mode, cut) => {
            const bytes = wholeLookingList(seed);
            const at = 1 + (cut % bytes.length);
            const inTwo: Chunking = { name: `cut at ${at}`, split: (b) => cutBytes(b, [at]) };
            bothAgree(bytes, undefined, whole, () => () => mode);
            bothAgree(bytes, undefined, inTwo, () => () => mode);
          },
        ),
        runs(RUNS),
      );
    },
    TIMEOUT,
  );

  it('each byte of an element broken, or the list cut there, at its start, middle and end: identical', () => {
    const count = 600;
    // Strings and integers of 11 bytes, rows of 15: the list looks whole (its first element's
    // size times the count), and each kind is checked by its own inline path.
    const elements = Array.from({ length: count }, (_, i) => {
      if (i % 5 === 4) return `:${String(i).padStart(8, '0')}\r\n`;
      if (i % 5 === 2) return `*2\r\n:${i % 10}\r\n$1\r\nx\r\n`;
      return `$5\r\nv${String(i).padStart(4, '0')}\r\n`;
    });
    const list = Buffer.from(`*${count}\r\n${elements.join('')}:7\r\n`);
    let at = `*${count}\r\n`.length;
    for (let i = 0; i < count; i++) {
      const size = (elements[i] as string).length;
      if ([0, 1, 2, 4, 300, 511, 512, 513, 599].includes(i)) {
        for (let offset = 0; offset < size; offset++) {
          for (const byte of [0x0d, 0x0a, 0x24, 0x37, 0x80]) {
            const broken = Buffer.from(list);
            broken[at + offset] = byte;
            bothAgree(broken, undefined, whole);
          }
          const cut = at + offset;
          bothAgree(list, undefined, { name: `cut at ${cut}`, split: (b) => cutBytes(b, [cut]) });
        }
      }
      at += size;
    }
  });

  it('a list of 100,000 short strings and numbers fed whole, then one wanted as a frame', () => {
    const count = 100_000;
    const parts = [`*${count}\r\n`];
    for (let i = 0; i < count; i++)
      parts.push(i % 3 === 0 ? `:${i}\r\n` : `$${String(i).length}\r\n${i}\r\n`);
    const bytes = Buffer.from(parts.join(''));
    const result = decodeAll(createNativeDecoder, bytes, undefined, whole);
    expect(result.replies).toEqual([Array.from({ length: count }, (_, i) => (i % 3 === 0 ? i : String(i)))]);
    const framed = runFrames(createNativeDecoder, [bytes, bytes], undefined, (_kind, i) =>
      i === 0 ? 'frame' : 'utf8',
    );
    expect(framed.asked).toEqual(['reply', 'reply']);
    expect(framed.events).toEqual(
      runFrames(createJsDecoder, [bytes, bytes], undefined, (_kind, i) => (i === 0 ? 'frame' : 'utf8'))
        .events,
    );
  });
});
