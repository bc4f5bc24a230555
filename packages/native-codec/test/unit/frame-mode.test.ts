import { createJsDecoder, type DecodeOptionsInput, ReplyError, type ReplyMode } from '@fusedis/resp';
import { cutBytes, type ModeOf, runFrames } from '@fusedis/test-harness/decoder-contract';
import { describe, expect, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

// Frame mode ('frame' from `sink.replyMode`): a reply handed over as its own RESP bytes. The
// native decoder must match the JS one exactly (resp's frame-mode tests check the JS one against
// the oracle), and both must give the frame's very bytes.
const B = (text: string) => Buffer.from(text, 'latin1');
const FRAME: ModeOf = () => 'frame';

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
  '-MOVED 3999 127.0.0.1:6381\r\n',
  '>2\r\n+message\r\n$2\r\nhi\r\n',
  '|1\r\n+ttl\r\n:10\r\n*2\r\n:1\r\n:2\r\n',
  '!20\r\nTRYAGAIN not ready..\r\n',
];
const STREAM = B(FRAMES.join(''));

function bothAgree(
  chunks: () => Buffer[],
  options: DecodeOptionsInput | undefined,
  modeOf: ModeOf,
): unknown[] {
  const js = runFrames(createJsDecoder, chunks(), options, modeOf);
  const native = runFrames(createNativeDecoder, chunks(), options, modeOf);
  expect(native.events).toEqual(js.events);
  // The JS decoder asks as soon as a reply's type is known, the native one once it is whole:
  // JS may have asked once more, for a reply that then breaks the protocol.
  expect(native.asked).toEqual(js.asked.slice(0, native.asked.length));
  expect(js.asked.length - native.asked.length).toBeLessThanOrEqual(1);
  expect(native.thrown).toEqual(js.thrown);
  return native.events;
}

describe('frame mode (native decoder)', () => {
  it('hands each reply over as exactly its frame bytes; errors decoded, pushes never framed', () => {
    const events = bothAgree(() => [STREAM], { attributes: 'sink' }, FRAME);
    const hex = (text: string) => ({ kind: 'reply', value: { $buffer: B(text).toString('hex') } });
    expect(events.slice(0, 10)).toEqual(FRAMES.slice(0, 10).map(hex));
    expect(events.slice(10)).toEqual([
      {
        kind: 'reply',
        value: { $replyError: { message: 'MOVED 3999 127.0.0.1:6381', code: 'MOVED', name: 'ReplyError' } },
      },
      { kind: 'push', value: ['message', 'hi'] },
      { kind: 'attribute', value: { $object: [['ttl', 10]] } },
      hex('*2\r\n:1\r\n:2\r\n'),
      {
        kind: 'reply',
        value: { $replyError: { message: 'TRYAGAIN not ready..', code: 'TRYAGAIN', name: 'ReplyError' } },
      },
    ]);
  });

  it('agrees with the JS decoder for the stream split at every offset, and byte by byte', () => {
    const whole = bothAgree(() => [STREAM], undefined, FRAME);
    for (let at = 0; at <= STREAM.length; at++) {
      expect(
        bothAgree(() => cutBytes(STREAM, [at]), undefined, FRAME),
        `split at ${at}`,
      ).toEqual(whole);
    }
    const bounds = Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1);
    expect(bothAgree(() => cutBytes(STREAM, bounds), undefined, FRAME)).toEqual(whole);
  });

  it('mixes modes reply by reply (replyMode over stringMode), as the JS decoder does', () => {
    const modes: ReplyMode[] = ['frame', 'utf8', 'buffer', 'frame', 'buffer'];
    const modeOf: ModeOf = (_kind, i) => modes[i % modes.length] as ReplyMode;
    for (let at = 0; at <= STREAM.length; at += 7) bothAgree(() => cutBytes(STREAM, [at]), undefined, modeOf);
    const replies: unknown[] = [];
    createNativeDecoder({
      reply: (v) => void replies.push(v),
      push: () => {},
      error: (e) => void replies.push(e),
      stringMode: () => 'buffer',
      replyMode: (() => {
        let n = 0;
        return () => modes[n++] as ReplyMode;
      })(),
    }).feed(B('$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n*1\r\n$1\r\nd\r\n'));
    expect(replies).toEqual([B('$1\r\na\r\n'), 'b', B('c'), B('*1\r\n$1\r\nd\r\n')]);
  });

  it('large frames cut in chunks of any size: the exact bytes, stable after later feeds', () => {
    const frames = Array.from({ length: 30 }, (_, i) => {
      const body = String.fromCharCode(97 + (i % 26)).repeat(i * 1_999);
      return `*2\r\n:${i}\r\n$${body.length}\r\n${body}\r\n`;
    });
    const bytes = B(frames.join(''));
    for (const size of [5, 1460, 65_536]) {
      const bounds = Array.from({ length: Math.ceil(bytes.length / size) - 1 }, (_, i) => (i + 1) * size);
      const run = runFrames(createNativeDecoder, cutBytes(bytes, bounds), undefined, FRAME);
      expect(run.delivered).toHaveLength(frames.length);
      run.delivered.forEach(({ buffer, copy }, i) => {
        expect(buffer.equals(copy)).toBe(true);
        expect(buffer.toString('latin1'), `frame ${i}, chunks of ${size}`).toBe(frames[i]);
      });
    }
  });

  it('checks frames against the grammar and the limits exactly as the JS decoder does', () => {
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
      for (let at = 0; at <= bytes.length; at++) {
        const events = bothAgree(() => cutBytes(bytes, [at]), { limits }, FRAME);
        expect(events.at(-1), text).toMatchObject({ kind: 'error' });
      }
    }
  });

  it.each(['utf8', 'frame'] as const)(
    'a replyMode that throws (%s): the same replies as the JS decoder after it',
    (mode) => {
      const outcome = (factory: typeof createJsDecoder) => {
        const replies: unknown[] = [];
        let calls = 0;
        const decoder = factory({
          reply: (v) => void replies.push(v),
          push: () => {},
          error: (e) => void replies.push(e),
          replyMode: () => {
            if (++calls === 3) throw new Error('mode failed');
            return mode;
          },
        });
        decoder.feed(B('$3\r\nab'));
        decoder.feed(B('c\r\n'));
        expect(() => decoder.feed(B('$1\r\nb\r\n$1\r\nc\r\n'))).toThrow('mode failed');
        decoder.feed(B('$1\r\nd\r\n'));
        return replies;
      };
      const native = outcome(createNativeDecoder);
      expect(native).toEqual(outcome(createJsDecoder));
      expect(native).toHaveLength(4);
    },
  );

  it('a MOVED reply in frame mode is a ReplyError value, as routers need', () => {
    const replies: unknown[] = [];
    createNativeDecoder({
      reply: (v) => void replies.push(v),
      push: () => {},
      error: () => {},
      replyMode: () => 'frame',
    }).feed(B('-MOVED 3999 127.0.0.1:6381\r\n'));
    expect(replies[0]).toBeInstanceOf(ReplyError);
    expect((replies[0] as ReplyError).code).toBe('MOVED');
  });
});
