import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

describe.each([2, 3] as const)('list commands over RESP%i', (protocol) => {
  const p = `cmd-list:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });

  it('pushes at both ends and reads ranges; unicode and binary elements survive', async () => {
    const key = `${p}push`;
    expect(await redis.run('rpush', key, 'b', 'c')).toBe(2);
    expect(await redis.run('lpush', key, ['a', 'ä'])).toBe(4);
    expect(await redis.run('rpush', key, Buffer.from([0, 255]))).toBe(5);
    expect(await redis.run('lrange', key, 0, 3)).toEqual(['ä', 'a', 'b', 'c']);
    expect(await redis.runBuffers('lrange', key, -1, -1)).toEqual([Buffer.from([0, 255])]);
    expect(await redis.run('lrange', `${p}missing`, 0, -1)).toEqual([]);
    expect(await redis.run('llen', key)).toBe(5);
    expect(await redis.run('lpushx', `${p}missing`, 'x')).toBe(0);
    expect(await redis.run('rpushx', `${p}missing`, 'x')).toBe(0);
    expect(await redis.run('lpushx', key, 'z')).toBe(6);
    expect(await redis.run('rpushx', key, 'y')).toBe(7);
  });

  it('pops one or a count from either end; a missing key pops null', async () => {
    const key = `${p}pop`;
    await redis.run('rpush', key, '1', '2', '3', '4', '5');
    expect(await redis.run('lpop', key)).toBe('1');
    expect(await redis.run('rpop', key)).toBe('5');
    expect(await redis.run('lpopCount', key, 2)).toEqual(['2', '3']);
    expect(await redis.run('rpopCount', key, 5)).toEqual(['4']);
    expect(await redis.run('lpop', key)).toBeNull();
    expect(await redis.run('lpopCount', key, 2)).toBeNull();
    expect(await redis.run('rpopCount', key, 2)).toBeNull();
  });

  it('LINDEX, LSET, LINSERT, LREM, LTRIM', async () => {
    const key = `${p}edit`;
    await redis.run('rpush', key, 'a', 'b', 'a', 'c', 'a');
    expect(await redis.run('lindex', key, 1)).toBe('b');
    expect(await redis.run('lindex', key, 99)).toBeNull();
    expect(await redis.run('lset', key, 1, 'B')).toBe('OK');
    await expect(redis.run('lset', key, 99, 'x')).rejects.toBeInstanceOf(ReplyError);
    expect(await redis.run('linsert', key, 'BEFORE', 'B', 'pre')).toBe(6);
    expect(await redis.run('linsert', key, 'AFTER', 'nope', 'x')).toBe(-1);
    expect(await redis.run('linsert', `${p}missing`, 'AFTER', 'a', 'x')).toBe(0);
    expect(await redis.run('lrem', key, -1, 'a')).toBe(1);
    expect(await redis.run('lrem', key, 0, 'a')).toBe(2);
    expect(await redis.run('lrange', key, 0, -1)).toEqual(['pre', 'B', 'c']);
    expect(await redis.run('ltrim', key, 1, -1)).toBe('OK');
    expect(await redis.run('lrange', key, 0, -1)).toEqual(['B', 'c']);
  });

  it('LPOS with RANK and MAXLEN, and LPOS COUNT', async () => {
    const key = `${p}pos`;
    await redis.run('rpush', key, 'a', 'b', 'c', 'b', 'b');
    expect(await redis.run('lpos', key, 'b')).toBe(1);
    expect(await redis.run('lpos', key, 'b', { RANK: 2 })).toBe(3);
    expect(await redis.run('lpos', key, 'b', { RANK: -1 })).toBe(4);
    expect(await redis.run('lpos', key, 'c', { MAXLEN: 2 })).toBeNull();
    expect(await redis.run('lpos', key, 'zz')).toBeNull();
    expect(await redis.run('lposCount', key, 'b', 0)).toEqual([1, 3, 4]);
    expect(await redis.run('lposCount', key, 'b', 2, { RANK: -1 })).toEqual([4, 3]);
    expect(await redis.run('lposCount', key, 'b', 0, { MAXLEN: 4 })).toEqual([1, 3]);
    expect(await redis.run('lposCount', key, 'zz', 0)).toEqual([]);
  });

  it('LMOVE, RPOPLPUSH and LMPOP', async () => {
    const src = `${p}src`;
    const dst = `${p}dst`;
    await redis.run('rpush', src, '1', '2', '3', '4');
    expect(await redis.run('lmove', src, dst, 'LEFT', 'RIGHT')).toBe('1');
    expect(await redis.run('rpoplpush', src, dst)).toBe('4');
    expect(await redis.run('lrange', dst, 0, -1)).toEqual(['4', '1']);
    expect(await redis.run('lmove', `${p}missing`, dst, 'LEFT', 'LEFT')).toBeNull();
    expect(await redis.run('lmpop', [`${p}missing`, src], 'LEFT')).toEqual({ key: src, elements: ['2'] });
    expect(await redis.run('lmpop', src, 'RIGHT', 5)).toEqual({ key: src, elements: ['3'] });
    expect(await redis.run('lmpop', [`${p}missing`, src], 'LEFT')).toBeNull();
  });

  it('blocking pops return at once when there is data, and null at their timeout', async () => {
    const key = `${p}block`;
    await redis.run('rpush', key, 'a', 'b', 'c', 'd', 'e');
    expect(await redis.run('blpop', [`${p}missing`, key], 1)).toEqual({ key, element: 'a' });
    expect(await redis.run('brpop', key, 0.1)).toEqual({ key, element: 'e' });
    expect(await redis.run('blmove', key, `${p}bdst`, 'LEFT', 'LEFT', 1)).toBe('b');
    expect(await redis.run('brpoplpush', key, `${p}bdst`, 1)).toBe('d');
    expect(await redis.run('blmpop', 1, [key], 'LEFT', 3)).toEqual({ key, elements: ['c'] });
    const started = Date.now();
    expect(await redis.run('blpop', `${p}missing`, 0.05)).toBeNull();
    expect(await redis.run('brpop', [`${p}missing`], 0.05)).toBeNull();
    expect(await redis.run('blmove', `${p}missing`, `${p}bdst`, 'LEFT', 'LEFT', 0.05)).toBeNull();
    expect(await redis.run('brpoplpush', `${p}missing`, `${p}bdst`, 0.05)).toBeNull();
    expect(await redis.run('blmpop', 0.05, `${p}missing`, 'RIGHT')).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('rejects list commands on another type with WRONGTYPE', async () => {
    await redis.raw('SET', `${p}str`, 'v');
    const err = await redis.run('lrange', `${p}str`, 0, -1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toMatchObject({ code: 'WRONGTYPE' });
    await expect(redis.run('rpush', `${p}str`, 'x')).rejects.toMatchObject({ code: 'WRONGTYPE' });
  });
});
