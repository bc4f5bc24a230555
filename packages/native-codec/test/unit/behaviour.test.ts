import { createJsDecoder, InvalidArgumentError, type ReplySink, RespProtocolError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

const B = (text: string) => Buffer.from(text, 'latin1');

function collecting(extra: Partial<ReplySink> = {}): { sink: ReplySink; replies: unknown[] } {
  const replies: unknown[] = [];
  return {
    replies,
    sink: {
      reply: (v) => void replies.push(v),
      push: () => {},
      error: (e) => void replies.push(e),
      ...extra,
    },
  };
}

describe('native decoder behaviour beyond the shared contract', () => {
  it('keeps the replies after one the sink threw on, for the next feed', () => {
    let calls = 0;
    const replies: unknown[] = [];
    const decoder = createNativeDecoder({
      reply: (v) => {
        calls++;
        if (calls === 2) throw new Error('sink failed');
        replies.push(v);
      },
      push: () => {},
      error: () => {},
    });
    expect(() => decoder.feed(B(':1\r\n:2\r\n:3\r\n:4\r\n'))).toThrow('sink failed');
    expect(replies).toEqual([1]);
    decoder.feed(B(':5\r\n'));
    expect(replies).toEqual([1, 3, 4, 5]);
  });

  it('with a stringMode sink, keeps the replies after one the sink threw on', () => {
    let calls = 0;
    const replies: unknown[] = [];
    const decoder = createNativeDecoder({
      reply: (v) => {
        if (++calls === 1) throw new Error('sink failed');
        replies.push(v);
      },
      push: () => {},
      error: () => {},
      stringMode: () => 'utf8',
    });
    expect(() => decoder.feed(B('+a\r\n+b\r\n+c'))).toThrow('sink failed');
    decoder.feed(B('\r\n'));
    expect(replies).toEqual(['b', 'c']);
  });

  it('asks stringMode for a reply only after the reply before it was delivered', () => {
    const order: string[] = [];
    const decoder = createNativeDecoder({
      reply: (v) => void order.push(`reply ${String(v)}`),
      push: () => {},
      error: () => {},
      stringMode: (kind) => {
        order.push(`mode ${kind}`);
        return 'utf8';
      },
    });
    decoder.feed(B('+a\r\n+b\r\n+c\r\n'));
    expect(order).toEqual(['mode reply', 'reply a', 'mode reply', 'reply b', 'mode reply', 'reply c']);
  });

  it('refuses a feed from inside its own sink callback', () => {
    let inner: unknown;
    const decoder = createNativeDecoder({
      reply: () => {
        try {
          decoder.feed(B(':2\r\n'));
        } catch (err) {
          inner = err;
        }
      },
      push: () => {},
      error: () => {},
    });
    decoder.feed(B(':1\r\n'));
    expect(inner).toBeInstanceOf(InvalidArgumentError);
  });

  it('holds the chunks of a large bulk body in JS and decodes it once whole', () => {
    const { sink, replies } = collecting();
    const decoder = createNativeDecoder(sink);
    const body = Buffer.alloc(200_000, 0x62);
    const stream = Buffer.concat([B(`$${body.length}\r\n`), body, B('\r\n:7\r\n')]);
    for (let at = 0; at < stream.length; at += 1460) decoder.feed(stream.subarray(at, at + 1460));
    expect(replies).toEqual([body.toString('latin1'), 7]);
  });

  it('still refuses a bulk body past maxReplyBytes while holding chunks, where the JS decoder does', () => {
    const { sink, replies } = collecting();
    const decoder = createNativeDecoder(sink, { limits: { maxReplyBytes: 5000 } });
    const stream = Buffer.concat([B('$4999\r\n'), Buffer.alloc(4999, 0x61), B('\r\n')]);
    const js = collecting();
    const reference = createJsDecoder(js.sink, { limits: { maxReplyBytes: 5000 } });
    for (let at = 0; at < stream.length; at += 1001) {
      decoder.feed(stream.subarray(at, at + 1001));
      if (js.replies.length === 0) reference.feed(stream.subarray(at, at + 1001));
      expect(replies.length, `after ${at + 1001} bytes`).toBe(js.replies.length);
      if (replies.length > 0) break;
    }
    expect(replies).toHaveLength(1);
    expect((replies[0] as RespProtocolError).reason).toBe('reply-too-large');
    expect(() => decoder.feed(B(':1\r\n'))).toThrow(RespProtocolError);
    decoder.reset();
    decoder.feed(B(':1\r\n'));
    expect(replies[1]).toBe(1);
  });

  it('a feed of thousands of small replies: handed over run by run, the sink throwing in the second run', () => {
    // 2,000 replies in one buffer: the first runs of 512 go to the sink as they are built; the
    // one the sink throws on is lost, as with the JS decoder, and every other arrives once, in order.
    const parts: string[] = [];
    for (let i = 0; i < 2000; i++)
      parts.push(i % 3 === 0 ? '+OK\r\n' : i % 3 === 1 ? `:${i}\r\n` : `+r${i}\r\n`);
    const stream = B(parts.join(''));
    const run = (factory: typeof createNativeDecoder): unknown[] => {
      const seen: unknown[] = [];
      let calls = 0;
      const decoder = factory({
        reply: (v) => {
          if (++calls === 700) throw new Error('sink failed');
          seen.push(v);
        },
        push: () => {},
        error: (e) => void seen.push(e),
      });
      expect(() => decoder.feed(stream)).toThrow('sink failed');
      decoder.feed(B(':-1\r\n'));
      return seen;
    };
    const native = run(createNativeDecoder);
    expect(native).toHaveLength(2000);
    expect(native[0]).toBe('OK');
    expect(native.at(-1)).toBe(-1);
    expect(native).toEqual(run(createJsDecoder));
  });

  it('+OK as the JS decoder makes it: text, or a Buffer in buffer mode, among pushes and cut anywhere', () => {
    const parts: string[] = [];
    for (let i = 0; i < 1500; i++)
      parts.push(i % 400 === 399 ? '>2\r\n+m\r\n+OK\r\n' : i % 2 ? '+OK\r\n' : '+OKAY\r\n');
    const stream = B(parts.join(''));
    for (const strings of ['utf8', 'buffer'] as const) {
      for (const size of [stream.length, 1460, 3]) {
        const events = (factory: typeof createNativeDecoder): unknown[] => {
          const seen: unknown[] = [];
          const decoder = factory(
            {
              reply: (v) => void seen.push(v),
              push: (v) => void seen.push({ push: v }),
              error: (e) => void seen.push(e),
            },
            { strings },
          );
          for (let at = 0; at < stream.length; at += size) decoder.feed(stream.subarray(at, at + size));
          return seen;
        };
        const native = events(createNativeDecoder);
        expect(native, `${strings}, ${size}-byte chunks`).toEqual(events(createJsDecoder));
        expect(native).toHaveLength(1500);
        expect(native[1]).toEqual(strings === 'utf8' ? 'OK' : B('OK'));
      }
    }
  });

  it('takes plain Uint8Arrays, views with an offset included', () => {
    const { sink, replies } = collecting();
    const decoder = createNativeDecoder(sink);
    const backing = new Uint8Array(B('xx$3\r\nabc\r\nyy'));
    decoder.feed(backing.subarray(2, 11));
    expect(replies).toEqual(['abc']);
  });
  it('makes map keys V8 treats apart (indexes, __proto__, non-ASCII, broken UTF-8) as JS does', () => {
    const keys = ['0', '7', '4294967294', '4294967295', '-1', '01', '1.5', '__proto__', 'constructor', ''];
    const texts = [...keys, 'clé', 'キー', '\u{1f600}'];
    const wire = (count: number): Buffer => {
      const parts: Buffer[] = [B(`%${count}\r\n`)];
      for (let i = 0; i < count; i++) {
        const key = i < texts.length ? Buffer.from(texts[i] as string) : B(`k${i}`);
        parts.push(B(`$${key.length}\r\n`), key, B(`\r\n:${i}\r\n`));
      }
      // A key of broken UTF-8 and a simple-string key.
      parts[0] = B(`%${count + 2}\r\n`);
      parts.push(B('$2\r\n\xff\xfe\r\n:-2\r\n+simple\r\n:-3\r\n'));
      return Buffer.concat(parts);
    };
    // 13 entries: built in one call; 300: built in runs.
    for (const count of [texts.length, 300]) {
      const bytes = wire(count);
      for (const strings of ['utf8', 'buffer'] as const) {
        const decode = (factory: typeof createNativeDecoder): Record<string, unknown> => {
          const { sink, replies } = collecting();
          factory(sink, { strings }).feed(bytes);
          return replies[0] as Record<string, unknown>;
        };
        const native = decode(createNativeDecoder);
        const js = decode(createJsDecoder);
        expect(Object.getPrototypeOf(native)).toBeNull();
        expect(Object.entries(native), `${count} entries, ${strings}`).toEqual(Object.entries(js));
        expect(Object.getOwnPropertyDescriptor(native, '__proto__')?.value).toBe(7);
        expect(native['4294967295']).toBe(3);
        expect(native['\ufffd\ufffd']).toBe(-2);
        expect(native.simple).toBe(-3);
        expect(Object.keys(native)).toHaveLength(count + 2);
      }
    }
  });
});
