import {
  chunkOffsetsArbitrary,
  cutBytes,
  decodeOptionsArbitrary,
  type ModeOf,
  respStream,
  runFrames,
  writeStream,
} from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsDecoder, ReplyError, type ReplyMode, type ReplySink } from '../../src/index.js';
import { expectedFrameEvents } from '../support/frame-mode.js';

// Frame mode (`ReplyMode` 'frame'): a reply handed over as its own RESP bytes. The native decoder
// runs the same cases against the JS one in packages/native-codec/test/unit/frame-mode.test.ts.
const B = (text: string) => Buffer.from(text, 'latin1');
const FRAME: ModeOf = () => 'frame';

/** Replies of every kind, each a whole frame. */
const FRAMES = [
  '+OK\r\n',
  '$5\r\nhello\r\n',
  '$-1\r\n',
  '*-1\r\n',
  '_\r\n',
  ':-42\r\n',
  '*3\r\n$1\r\na\r\n*2\r\n:1\r\n-ERR nested\r\n%1\r\n+k\r\n,1.5\r\n',
  '%2\r\n+a\r\n:1\r\n+b\r\n~2\r\n#t\r\n(123456789012345678901234567890\r\n',
  '=8\r\ntxt:some\r\n',
  `$300\r\n${'x'.repeat(300)}\r\n`,
];
const STREAM = B(FRAMES.join(''));

describe('frame mode (JS decoder)', () => {
  it('hands each reply over as exactly its frame bytes', () => {
    const run = runFrames(createJsDecoder, [STREAM], undefined, FRAME);
    expect(run.events.map((e) => (e.kind === 'reply' ? e.value : e))).toEqual(
      FRAMES.map((frame) => ({ $buffer: B(frame).toString('hex') })),
    );
    expect(run.asked).toEqual(FRAMES.map(() => 'reply'));
  });

  it('gives the same frames for the stream split at every offset, and byte by byte', () => {
    const whole = runFrames(createJsDecoder, [STREAM], undefined, FRAME);
    for (let at = 0; at <= STREAM.length; at++) {
      const split = runFrames(createJsDecoder, cutBytes(STREAM, [at]), undefined, FRAME);
      expect(split.events, `split at ${at}`).toEqual(whole.events);
      expect(split.asked).toEqual(whole.asked);
    }
    const bounds = Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1);
    expect(runFrames(createJsDecoder, cutBytes(STREAM, bounds), undefined, FRAME).events).toEqual(
      whole.events,
    );
  });

  it('frames handed out never change while more bytes arrive (views are never reused)', () => {
    // Small and large frames cut short in every way, with bytes that differ per frame.
    const frames = Array.from({ length: 40 }, (_, i) => {
      const body = String.fromCharCode(97 + (i % 26)).repeat(i * 997);
      return `*2\r\n:${i}\r\n$${body.length}\r\n${body}\r\n`;
    });
    const bytes = B(frames.join(''));
    for (const size of [7, 1460, 16_384, 65_536]) {
      const bounds = Array.from({ length: Math.ceil(bytes.length / size) - 1 }, (_, i) => (i + 1) * size);
      const run = runFrames(createJsDecoder, cutBytes(bytes, bounds), undefined, FRAME);
      expect(run.delivered).toHaveLength(frames.length);
      run.delivered.forEach(({ buffer, copy }, i) => {
        expect(buffer.equals(copy), `frame ${i}, chunks of ${size}`).toBe(true);
        expect(buffer.toString('latin1')).toBe(frames[i]);
      });
    }
  });

  it('still decodes error replies, so MOVED/ASK/TRYAGAIN stay visible', () => {
    const replies: unknown[] = [];
    const decoder = createJsDecoder({
      reply: (v) => void replies.push(v),
      push: () => {},
      error: (e) => void replies.push(e),
      replyMode: () => 'frame',
    });
    decoder.feed(B('-MOVED 3999 127.0.0.1:6381\r\n!20\r\nTRYAGAIN not ready..\r\n:1\r\n'));
    expect(replies[0]).toBeInstanceOf(ReplyError);
    expect((replies[0] as ReplyError).code).toBe('MOVED');
    expect((replies[1] as ReplyError).code).toBe('TRYAGAIN');
    expect(replies[2]).toEqual(B(':1\r\n'));
  });

  it('never frames a push; attributes before a reply are delivered decoded, outside its frame', () => {
    const stream = B('>2\r\n+message\r\n$2\r\nhi\r\n|1\r\n+ttl\r\n:10\r\n*2\r\n:1\r\n:2\r\n');
    const sinkRun = runFrames(createJsDecoder, [stream], { attributes: 'sink' }, FRAME);
    expect(sinkRun.asked).toEqual(['push', 'reply']);
    expect(sinkRun.events).toEqual([
      { kind: 'push', value: ['message', 'hi'] },
      { kind: 'attribute', value: { $object: [['ttl', 10]] } },
      { kind: 'reply', value: { $buffer: B('*2\r\n:1\r\n:2\r\n').toString('hex') } },
    ]);
    const skipRun = runFrames(createJsDecoder, [stream], undefined, FRAME);
    expect(skipRun.events.slice(1)).toEqual([sinkRun.events[2]]);
  });

  it('mixes modes reply by reply, and prefers replyMode over stringMode', () => {
    const replies: unknown[] = [];
    const modes: ReplyMode[] = ['frame', 'utf8', 'buffer', 'frame'];
    let n = 0;
    const sink: ReplySink = {
      reply: (v) => void replies.push(v),
      push: () => {},
      error: (e) => void replies.push(e),
      stringMode: () => 'buffer',
      replyMode: () => modes[n++] as ReplyMode,
    };
    createJsDecoder(sink).feed(B('$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n*1\r\n$1\r\nd\r\n'));
    expect(replies).toEqual([B('$1\r\na\r\n'), 'b', B('c'), B('*1\r\n$1\r\nd\r\n')]);
  });

  it.each(['utf8', 'frame'] as const)(
    'a replyMode that throws (%s) leaves the stream intact: the reply is asked for again next feed',
    (mode) => {
      const replies: unknown[] = [];
      let calls = 0;
      const decoder = createJsDecoder({
        reply: (v) => void replies.push(Buffer.isBuffer(v) ? v.toString('latin1') : v),
        push: () => {},
        error: (e) => void replies.push(e),
        replyMode: () => {
          if (++calls === 3) throw new Error('mode failed');
          return mode;
        },
      });
      // A reply gathered from two chunks first, so the scanner holds a finished frame's state.
      decoder.feed(B('$3\r\nab'));
      decoder.feed(B('c\r\n'));
      expect(() => decoder.feed(B('$1\r\nb\r\n$1\r\nc\r\n'))).toThrow('mode failed');
      decoder.feed(B('$1\r\nd\r\n'));
      const frame = mode === 'frame';
      expect(replies).toEqual(
        frame ? ['$3\r\nabc\r\n', '$1\r\nb\r\n', '$1\r\nc\r\n', '$1\r\nd\r\n'] : ['abc', 'b', 'c', 'd'],
      );
    },
  );

  it('checks frames against the grammar and the limits, with the same reason and offset as decoding', () => {
    const cases: [string, object][] = [
      ['*4\r\n:1\r\n:2\r\n:3\r\n:4\r\n', { maxElements: 3 }],
      ['*1\r\n*1\r\n*1\r\n:1\r\n', { maxDepth: 2 }],
      ['$20\r\n01234567890123456789\r\n', { maxReplyBytes: 16 }],
      [`*2\r\n$30\r\n${'y'.repeat(30)}\r\n`, { maxReplyBytes: 20 }],
      ['*2\r\n:1\r\n:x\r\n', {}],
      ['|1\r\n+a\r\n:1\r\n*1\r\n$2\r\nabXY', {}],
    ];
    for (const [text, limits] of cases) {
      const bytes = B(text);
      for (const bounds of [[], [3], [bytes.length - 1]]) {
        const framed = runFrames(createJsDecoder, cutBytes(bytes, bounds), { limits }, FRAME);
        const decoded = runFrames(createJsDecoder, cutBytes(bytes, bounds), { limits }, () => 'utf8');
        expect(framed.events, text).toEqual(decoded.events);
        expect(framed.events.at(-1)?.kind, text).toBe('error');
      }
    }
  });

  it('generated streams, frame or decoded per reply, random chunks: the oracle’s values and bytes', () => {
    fc.assert(
      fc.property(
        respStream(),
        decodeOptionsArbitrary,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        chunkOffsetsArbitrary,
        (nodes, options, picks, offsets) => {
          const { bytes } = writeStream(nodes);
          const modeOf: ModeOf = (_kind, i) =>
            picks[i % picks.length] === true ? 'frame' : (options.strings ?? 'utf8');
          const bounds = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
          const run = runFrames(createJsDecoder, cutBytes(bytes, bounds), options, modeOf);
          expect(run.thrown).toBeUndefined();
          expect(run.events).toEqual(expectedFrameEvents(nodes, options, modeOf));
        },
      ),
      { numRuns: 300 },
    );
  });
});
