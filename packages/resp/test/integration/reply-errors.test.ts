import { encodeCommand, encodePipeline, FusedisError, ReplyError } from '@fusedis/resp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawConnection, uniqueKey } from './raw-connection.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

function expectReplyError(value: unknown, code: string, message?: string): void {
  expect(value).toBeInstanceOf(ReplyError);
  expect(value).toBeInstanceOf(FusedisError);
  const error = value as ReplyError;
  expect(error.code).toBe(code);
  expect(error.name).toBe('ReplyError');
  if (message !== undefined) expect(error.message).toBe(message);
  else expect(error.message.startsWith(`${code} `)).toBe(true);
}

describe.each([2, 3] as const)('server errors as ReplyError values (RESP%i)', (protocol) => {
  let conn: RawConnection;
  beforeEach(async () => {
    conn = await RawConnection.open();
    if (protocol === 3) await conn.request(encodeCommand(['HELLO', 3]));
    conn.clear();
  });
  afterEach(async () => {
    await conn.close();
  });

  it('gives WRONGTYPE as a ReplyError with code WRONGTYPE, through sink.reply', async () => {
    const key = uniqueKey('wrongtype');
    const [ok, error] = await conn.request(
      encodePipeline([
        ['SET', key, 'x'],
        ['LPUSH', key, 'a'],
      ]),
      2,
    );
    expect(ok).toBe('OK');
    expectReplyError(error, 'WRONGTYPE', WRONGTYPE);
    expect(conn.received().includes(`-${WRONGTYPE}\r\n`)).toBe(true);
    expect(conn.events.map((event) => event.kind)).toEqual(['reply', 'reply']);
  });

  it('keeps an error in place inside a pipeline; later replies stay aligned', async () => {
    const key = uniqueKey('in-pipeline');
    const replies = await conn.request(
      encodePipeline([
        ['SET', key, 'v'],
        ['LPUSH', key, 'a'],
        ['NOT-A-COMMAND', key],
        ['GET', key],
      ]),
      4,
    );
    expect(replies[0]).toBe('OK');
    expectReplyError(replies[1], 'WRONGTYPE');
    expectReplyError(replies[2], 'ERR');
    expect((replies[2] as ReplyError).message).toMatch(/^ERR unknown command 'NOT-A-COMMAND'/);
    expect(replies[3]).toBe('v');
  });

  it('keeps an error in place inside the array EXEC returns', async () => {
    const key = uniqueKey('in-exec');
    const replies = await conn.request(
      encodePipeline([['MULTI'], ['SET', key, 'v'], ['LPUSH', key, 'a'], ['GET', key], ['EXEC']]),
      5,
    );
    expect(replies.slice(0, 4)).toEqual(['OK', 'QUEUED', 'QUEUED', 'QUEUED']);
    const exec = replies[4] as unknown[];
    expect(exec).toHaveLength(3);
    expect(exec[0]).toBe('OK');
    expectReplyError(exec[1], 'WRONGTYPE', WRONGTYPE);
    expect(exec[2]).toBe('v');
  });

  it('gives EXECABORT when a queued command was refused', async () => {
    const replies = await conn.request(encodePipeline([['MULTI'], ['SET', 'only-a-key'], ['EXEC']]), 3);
    expect(replies[0]).toBe('OK');
    expectReplyError(replies[1], 'ERR', "ERR wrong number of arguments for 'set' command");
    expectReplyError(replies[2], 'EXECABORT');
  });

  it('gives ReplyError with a string message in buffer mode too', async () => {
    const buffers = await RawConnection.open({ decode: { strings: 'buffer' } });
    try {
      if (protocol === 3) await buffers.request(encodeCommand(['HELLO', 3]));
      const key = uniqueKey('buffer-error');
      const [ok, error] = await buffers.request(
        encodePipeline([
          ['SET', key, 'x'],
          ['INCR', key],
        ]),
        2,
      );
      expect(ok).toEqual(Buffer.from('OK'));
      expectReplyError(error, 'ERR', 'ERR value is not an integer or out of range');
    } finally {
      await buffers.close();
    }
  });
});
