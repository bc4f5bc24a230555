import { encodeCommand, encodePipeline, type StringMode } from '@fusedis/resp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawConnection, uniqueKey } from './raw-connection.js';

describe('buffer mode on real replies', () => {
  let conn: RawConnection;
  beforeEach(async () => {
    conn = await RawConnection.open({ decode: { strings: 'buffer' } });
  });
  afterEach(async () => {
    await conn.close();
  });

  it('gives Buffers for simple and bulk strings, and leaves integers and nulls alone (RESP2)', async () => {
    const key = uniqueKey('buffers');
    const replies = await conn.request(
      encodePipeline([
        ['SET', key, 'value'],
        ['GET', key],
        ['STRLEN', key],
        ['GET', uniqueKey('missing')],
        ['PING'],
      ]),
      5,
    );
    expect(replies).toEqual([Buffer.from('OK'), Buffer.from('value'), 5, null, Buffer.from('PONG')]);
    expect(Buffer.isBuffer(replies[0])).toBe(true);
  });

  it('gives string keys and Buffer values for a RESP3 map in object mode', async () => {
    await conn.request(encodeCommand(['HELLO', 3]));
    const key = uniqueKey('hash');
    const bytes = Buffer.from([0x00, 0xff, 0x80, 0x0d, 0x0a]);
    const [, hash] = await conn.request(
      encodePipeline([
        ['HSET', key, 'field', bytes, 'ünï', 'x'],
        ['HGETALL', key],
      ]),
      2,
    );
    expect(Object.getPrototypeOf(hash)).toBe(null);
    expect(Object.keys(hash as object).sort()).toEqual(['field', 'ünï']);
    expect(hash).toEqual(Object.assign(Object.create(null), { field: bytes, ünï: Buffer.from('x') }));
  });
});

describe('per-reply string mode through sink.stringMode', () => {
  it('asks once per top-level reply and decodes each reply in the mode it was given', async () => {
    const modes: StringMode[] = ['utf8', 'utf8', 'buffer', 'utf8', 'buffer'];
    const conn = await RawConnection.open({ stringModes: modes });
    try {
      const key = uniqueKey('per-reply');
      const replies = await conn.request(
        encodePipeline([
          ['SET', key, 'é'],
          ['GET', key],
          ['GET', key],
          ['GET', key],
          ['MGET', key, key],
        ]),
        5,
      );
      expect(replies).toEqual(['OK', 'é', Buffer.from('é'), 'é', [Buffer.from('é'), Buffer.from('é')]]);
      expect(modes).toEqual([]); // exactly one question per reply
    } finally {
      await conn.close();
    }
  });
});
