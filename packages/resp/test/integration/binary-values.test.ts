import { randomBytes } from 'node:crypto';
import { encodeCommand, encodePipeline } from '@fusedis/resp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawConnection, uniqueKey } from './raw-connection.js';

describe('encoder bytes against a real server: binary-safe values', () => {
  let conn: RawConnection;
  beforeEach(async () => {
    conn = await RawConnection.open({ decode: { strings: 'buffer' } });
  });
  afterEach(async () => {
    await conn.close();
  });

  it('stores a value holding all 256 byte values and returns it unchanged', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const key = uniqueKey('all-bytes');
    const replies = await conn.request(
      encodePipeline([
        ['SET', key, all],
        ['STRLEN', key],
        ['GET', key],
      ]),
      3,
    );
    expect(replies).toEqual([Buffer.from('OK'), 256, all]);
  });

  it('round-trips every single byte value, as value and inside a binary key', async () => {
    const prefix = Buffer.from(uniqueKey('byte'));
    const keys = Array.from({ length: 256 }, (_, i) => Buffer.concat([prefix, Buffer.of(i)]));
    const sets = keys.map((key, i) => ['SET', key, Buffer.of(i)] as const);
    const gets = keys.map((key) => ['GET', key] as const);
    const replies = await conn.request(encodePipeline([...sets, ...gets]), 512);
    expect(replies.slice(0, 256)).toEqual(Array.from({ length: 256 }, () => Buffer.from('OK')));
    expect(replies.slice(256)).toEqual(Array.from({ length: 256 }, (_, i) => Buffer.of(i)));
  });

  it('keeps CR, LF and NUL inside keys and values (lengths, not delimiters, frame them)', async () => {
    const key = Buffer.from(`${uniqueKey('crlf')}\r\n\0*1\r\n`);
    const value = Buffer.from('\r\n$-1\r\n\0+OK\r\n');
    const replies = await conn.request(
      encodePipeline([
        ['SET', key, value],
        ['GET', key],
        ['EXISTS', key],
      ]),
      3,
    );
    expect(replies).toEqual([Buffer.from('OK'), value, 1]);
  });

  it('stores the empty value, from a string and from an empty Uint8Array', async () => {
    const a = uniqueKey('empty-string');
    const b = uniqueKey('empty-bytes');
    const replies = await conn.request(
      encodePipeline([
        ['SET', a, ''],
        ['SET', b, new Uint8Array(0)],
        ['GET', a],
        ['GET', b],
        ['STRLEN', a],
      ]),
      5,
    );
    expect(replies).toEqual([Buffer.from('OK'), Buffer.from('OK'), Buffer.alloc(0), Buffer.alloc(0), 0]);
    expect(conn.received().includes('$0\r\n\r\n')).toBe(true);
  });

  it('stores a 1 MiB random value and returns it byte for byte', async () => {
    const big = randomBytes(1024 * 1024);
    const key = uniqueKey('one-mib');
    const [ok] = await conn.request(encodeCommand(['SET', key, big]));
    expect(ok).toEqual(Buffer.from('OK'));
    conn.clear();
    const [value] = await conn.request(encodeCommand(['GET', key]));
    expect(Buffer.isBuffer(value)).toBe(true);
    expect((value as Buffer).length).toBe(big.length);
    expect((value as Buffer).equals(big)).toBe(true);
    // The reply really was one bulk string of exactly that size.
    expect(conn.received().subarray(0, 10).toString('latin1')).toBe('$1048576\r\n');
    expect(conn.receivedBytes()).toBe(10 + big.length + 2);
    await conn.request(encodeCommand(['DEL', key]));
  });

  it('sends strings as UTF-8 with their byte length, not their UTF-16 length', async () => {
    const text = 'héllo wörld — 日本語 🎉';
    const key = uniqueKey('utf8');
    const replies = await conn.request(
      encodePipeline([
        ['SET', key, text],
        ['STRLEN', key],
        ['GET', key],
      ]),
      3,
    );
    expect(replies).toEqual([Buffer.from('OK'), Buffer.byteLength(text), Buffer.from(text, 'utf8')]);
  });
});

describe('encoder bytes against a real server: numbers and bigints', () => {
  let conn: RawConnection;
  beforeEach(async () => {
    conn = await RawConnection.open();
  });
  afterEach(async () => {
    await conn.close();
  });

  it('sends numbers and bigints as decimal text the server parses', async () => {
    const key = uniqueKey('numbers');
    const replies = await conn.request(
      encodePipeline([
        ['SET', key, 42],
        ['INCRBY', key, 8],
        ['INCRBY', key, -100n],
        ['GET', key],
        ['SET', key, -1.5],
        ['GET', key],
      ]),
      6,
    );
    expect(replies).toEqual(['OK', 50, -50, '-50', 'OK', '-1.5']);
  });

  it('returns integers past 2^53 as bigint rather than lose precision', async () => {
    const key = uniqueKey('big-int');
    const replies = await conn.request(
      encodePipeline([
        ['SET', key, 9007199254740993n],
        ['INCRBY', key, 1],
        ['DECRBY', key, 9007199254740994n],
        ['SET', key, '9223372036854775806'],
        ['INCR', key],
      ]),
      5,
    );
    expect(replies).toEqual(['OK', 9007199254740994n, 0, 'OK', 9223372036854775807n]);
  });

  it('returns every integer as bigint with integers: "bigint"', async () => {
    const big = await RawConnection.open({ decode: { integers: 'bigint' } });
    try {
      const key = uniqueKey('bigint-mode');
      const replies = await big.request(
        encodePipeline([
          ['INCRBY', key, 41],
          ['INCR', key],
          ['EXISTS', key],
        ]),
        3,
      );
      expect(replies).toEqual([41n, 42n, 1n]);
    } finally {
      await big.close();
    }
  });
});
