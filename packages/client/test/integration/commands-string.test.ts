import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

describe.each([2, 3] as const)('string commands over RESP%i', (protocol) => {
  const p = `cmd-string:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });

  it('sets a value and reads it back; a missing key reads as null', async () => {
    const key = `${p}a`;
    expect(await redis.run('set', key, 'héllo')).toBe('OK');
    expect(await redis.run('get', key)).toBe('héllo');
    expect(await redis.run('get', `${key}:missing`)).toBeNull();
    expect(await redis.runBuffers('get', key)).toEqual(Buffer.from('héllo'));
  });

  it('keeps binary values byte for byte', async () => {
    const bytes = Buffer.from([0, 255, 13, 10, 0x80, 0xc3]);
    await redis.run('set', `${p}bin`, bytes);
    expect(await redis.runBuffers('get', `${p}bin`)).toEqual(bytes);
    expect(await redis.run('strlen', `${p}bin`)).toBe(6);
  });

  it('honours SET options: NX/XX, GET, EX/PX/EXAT/PXAT, KEEPTTL', async () => {
    const key = `${p}opts`;
    expect(await redis.run('set', key, '1', { NX: true })).toBe('OK');
    expect(await redis.run('set', key, '2', { NX: true })).toBeNull();
    expect(await redis.run('set', `${key}:none`, '2', { XX: true })).toBeNull();
    expect(await redis.run('set', key, '3', { XX: true, GET: true })).toBe('1');
    expect(await redis.run('set', key, '4', { GET: true, EX: 100 })).toBe('3');
    expect(await redis.raw('TTL', key)).toBeGreaterThan(90);
    await redis.run('set', key, '5', { KEEPTTL: true });
    expect(await redis.raw('TTL', key)).toBeGreaterThan(90);
    await redis.run('set', key, '6', { PX: 50_000 });
    const pttl = (await redis.raw('PTTL', key)) as number;
    expect(pttl).toBeGreaterThan(40_000);
    expect(pttl).toBeLessThanOrEqual(50_000);
    const at = Math.floor(Date.now() / 1000) + 500;
    await redis.run('set', key, '7', { EXAT: at });
    expect(await redis.raw('EXPIRETIME', key)).toBe(at);
    await redis.run('set', key, '8', { PXAT: at * 1000 });
    expect(await redis.raw('PEXPIRETIME', key)).toBe(at * 1000);
    expect(await redis.run('set', key, '9')).toBe('OK');
    expect(await redis.raw('TTL', key)).toBe(-1);
    // Redis refuses impossible combinations itself.
    await expect(redis.run('set', key, 'x', { NX: true, XX: true })).rejects.toBeInstanceOf(ReplyError);
  });

  it('SETNX, SETEX, PSETEX, GETSET, GETDEL', async () => {
    expect(await redis.run('setnx', `${p}nx`, 'a')).toBe(true);
    expect(await redis.run('setnx', `${p}nx`, 'b')).toBe(false);
    expect(await redis.run('setex', `${p}ex`, 100, 'v')).toBe('OK');
    expect(await redis.raw('TTL', `${p}ex`)).toBeGreaterThan(90);
    expect(await redis.run('psetex', `${p}pex`, 100_000, 'v')).toBe('OK');
    expect(await redis.raw('PTTL', `${p}pex`)).toBeGreaterThan(90_000);
    expect(await redis.run('getset', `${p}nx`, 'c')).toBe('a');
    expect(await redis.run('getdel', `${p}nx`)).toBe('c');
    expect(await redis.run('getdel', `${p}nx`)).toBeNull();
  });

  it('GETEX sets and clears expirations', async () => {
    const key = `${p}getex`;
    await redis.run('set', key, 'v');
    expect(await redis.run('getex', key, { EX: 100 })).toBe('v');
    expect(await redis.raw('TTL', key)).toBeGreaterThan(90);
    expect(await redis.run('getex', key, { PERSIST: true })).toBe('v');
    expect(await redis.raw('TTL', key)).toBe(-1);
    expect(await redis.run('getex', key)).toBe('v');
    expect(await redis.run('getex', `${key}:missing`, { PX: 10 })).toBeNull();
  });

  it('GETRANGE, SUBSTR, SETRANGE, APPEND, STRLEN', async () => {
    const key = `${p}range`;
    await redis.run('set', key, 'Hello World');
    expect(await redis.run('getrange', key, 0, 4)).toBe('Hello');
    expect(await redis.run('getrange', key, -5, -1)).toBe('World');
    expect(await redis.run('substr', key, 6, 10)).toBe('World');
    expect(await redis.run('getrange', `${key}:missing`, 0, 4)).toBe('');
    expect(await redis.run('setrange', key, 6, 'Redis')).toBe(11);
    expect(await redis.run('append', key, '!')).toBe(12);
    expect(await redis.run('get', key)).toBe('Hello Redis!');
    expect(await redis.run('strlen', key)).toBe(12);
    expect(await redis.run('strlen', `${key}:missing`)).toBe(0);
  });

  it('MSET from an object, a Map, tuples and flat pairs; MGET in order; MSETNX', async () => {
    expect(await redis.run('mset', { [`${p}m1`]: 'a', [`${p}m2`]: 'ü' })).toBe('OK');
    expect(await redis.run('mset', new Map([[`${p}m3`, 'c']]))).toBe('OK');
    expect(await redis.run('mset', [[`${p}m4`, 'd']])).toBe('OK');
    expect(await redis.run('mset', `${p}m5`, 'e', `${p}m6`, 6)).toBe('OK');
    expect(
      await redis.run('mget', [`${p}m1`, `${p}m2`, `${p}missing`, `${p}m3`, `${p}m4`, `${p}m5`, `${p}m6`]),
    ).toEqual(['a', 'ü', null, 'c', 'd', 'e', '6']);
    expect(await redis.run('mget', `${p}m1`, `${p}m2`)).toEqual(['a', 'ü']);
    expect(await redis.runBuffers('mget', [`${p}m2`])).toEqual([Buffer.from('ü')]);
    expect(await redis.run('msetnx', { [`${p}m1`]: 'x', [`${p}n1`]: 'y' })).toBe(false);
    expect(await redis.run('get', `${p}n1`)).toBeNull();
    expect(await redis.run('msetnx', { [`${p}n1`]: 'x', [`${p}n2`]: 'y' })).toBe(true);
  });

  it('counts with INCR, INCRBY, DECR, DECRBY, INCRBYFLOAT', async () => {
    const key = `${p}counter`;
    expect(await redis.run('incr', key)).toBe(1);
    expect(await redis.run('incrby', key, 10)).toBe(11);
    expect(await redis.run('decr', key)).toBe(10);
    expect(await redis.run('decrby', key, 4)).toBe(6);
    expect(await redis.run('incrby', key, 2n ** 40n)).toBe(2 ** 40 + 6);
    expect(await redis.run('incrbyfloat', `${p}float`, 1.5)).toBe('1.5');
    expect(await redis.run('incrbyfloat', `${p}float`, '0.25')).toBe('1.75');
    await redis.run('set', `${p}text`, 'abc');
    await expect(redis.run('incr', `${p}text`)).rejects.toMatchObject({ code: 'ERR' });
  });

  it('LCS, LCS LEN and LCS IDX with options', async () => {
    await redis.run('mset', { [`${p}lcs1`]: 'ohmytext', [`${p}lcs2`]: 'mynewtext' });
    expect(await redis.run('lcs', `${p}lcs1`, `${p}lcs2`)).toBe('mytext');
    expect(await redis.run('lcsLen', `${p}lcs1`, `${p}lcs2`)).toBe(6);
    const idx = await redis.run('lcsIdx', `${p}lcs1`, `${p}lcs2`);
    expect(idx).toEqual({
      matches: [
        { key1: [4, 7], key2: [5, 8] },
        { key1: [2, 3], key2: [0, 1] },
      ],
      len: 6,
    });
    const long = await redis.run('lcsIdx', `${p}lcs1`, `${p}lcs2`, { MINMATCHLEN: 4, WITHMATCHLEN: true });
    expect(long).toEqual({ matches: [{ key1: [4, 7], key2: [5, 8], length: 4 }], len: 6 });
  });

  it('rejects a string command on another type with WRONGTYPE', async () => {
    await redis.raw('RPUSH', `${p}list`, 'x');
    const err = await redis.run('get', `${p}list`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toMatchObject({ code: 'WRONGTYPE' });
    await expect(redis.run('append', `${p}list`, 'x')).rejects.toMatchObject({ code: 'WRONGTYPE' });
  });
});
