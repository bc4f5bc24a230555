import { createJsDecoder, type DecoderFactory, ReplyError } from '@fusedis/resp';
import { afterEach, describe, expect, it } from 'vitest';
import { key, Opened } from './helpers.js';

// `stringMode: 'frame'` on a command: its reply as one Buffer of RESP bytes (ReplySink.replyMode).
const opened = new Opened();
afterEach(() => opened.closeAll());
const B = (text: string) => Buffer.from(text, 'latin1');

describe.each([2, 3] as const)('frame mode over RESP%i', (protocol) => {
  it('resolves a command with its reply frame; an error reply still rejects with its ReplyError', async () => {
    const connection = await opened.open({ protocol });
    const k = key('frame');
    await connection.send({ args: ['SET', k, 'hello'] });
    expect(await connection.send({ args: ['GET', k], stringMode: 'frame' })).toEqual(B('$5\r\nhello\r\n'));
    expect(await connection.send({ args: ['GET', key('none')], stringMode: 'frame' })).toEqual(
      B(protocol === 3 ? '_\r\n' : '$-1\r\n'),
    );
    const rejected = await connection
      .send({ args: ['INCR', k], stringMode: 'frame' })
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(ReplyError);
    expect((rejected as ReplyError).code).toBe('ERR');
  });

  it('mixes frame, text and buffer replies in one tick and in one sendMany, errors in place', async () => {
    const connection = await opened.open({ protocol });
    const h = key('hash');
    await connection.send({ args: ['HSET', h, 'f', 'v'] });
    const [text, frame, bytes] = await Promise.all([
      connection.send({ args: ['ECHO', 'a'] }),
      connection.send({ args: ['HGETALL', h], stringMode: 'frame' }),
      connection.send({ args: ['ECHO', 'b'], stringMode: 'buffer' }),
    ]);
    expect(text).toBe('a');
    expect(frame).toEqual(
      B(protocol === 3 ? '%1\r\n$1\r\nf\r\n$1\r\nv\r\n' : '*2\r\n$1\r\nf\r\n$1\r\nv\r\n'),
    );
    expect(bytes).toEqual(B('b'));
    const many = await connection.sendMany([
      { args: ['ECHO', 'x'], stringMode: 'frame' },
      { args: ['INCR', h], stringMode: 'frame' },
      { args: ['ECHO', 'y'] },
      { args: ['ECHO', 'z'], stringMode: 'frame' },
    ]);
    expect(many[0]).toEqual(B('$1\r\nx\r\n'));
    expect(many[1]).toBeInstanceOf(ReplyError);
    expect(many[2]).toBe('y');
    expect(many[3]).toEqual(B('$1\r\nz\r\n'));
  });

  it('never frames a subscribe-family command: its confirmation is still read', async () => {
    const connection = await opened.open({ protocol, onPush: () => {} });
    const channel = key('frame-ch');
    expect(await connection.send({ args: ['SUBSCRIBE', channel], stringMode: 'frame' })).toEqual([
      'subscribe',
      channel,
      1,
    ]);
    expect(await connection.send({ args: ['UNSUBSCRIBE', channel], stringMode: 'frame' })).toEqual([
      'unsubscribe',
      channel,
      0,
    ]);
    expect(await connection.send({ args: ['ECHO', 'after'], stringMode: 'frame' })).toEqual(
      B('$5\r\nafter\r\n'),
    );
  });
});

it('with a decoder that only knows stringMode, a frame-mode reply is decoded as text', async () => {
  const plain: DecoderFactory = (sink, options) =>
    createJsDecoder(
      {
        reply: (v) => sink.reply(v),
        push: (v) => sink.push(v),
        error: (e) => sink.error(e),
        ...(sink.stringMode === undefined ? {} : { stringMode: sink.stringMode.bind(sink) }),
      },
      options,
    );
  const connection = await opened.open({ decoder: plain });
  expect(await connection.send({ args: ['ECHO', 'text'], stringMode: 'frame' })).toBe('text');
  expect(await connection.send({ args: ['ECHO', 'raw'], stringMode: 'buffer' })).toEqual(B('raw'));
});
