import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

describe.each([2, 3] as const)('hash commands over RESP%i', (protocol) => {
  const p = `cmd-hash:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });

  it('HSET from an object, a Map, tuples, flat pairs and field/value arguments', async () => {
    const key = `${p}set`;
    expect(await redis.run('hset', key, { a: '1', b: 2 })).toBe(2);
    expect(await redis.run('hset', key, new Map([['c', '3']]))).toBe(1);
    expect(await redis.run('hset', key, [['d', '4']])).toBe(1);
    expect(await redis.run('hset', key, ['e', '5', 'a', 'x'])).toBe(1);
    expect(await redis.run('hset', key, 'f', '6', 'g', '7')).toBe(2);
    expect(await redis.run('hmset', key, { h: '8' })).toBe('OK');
    expect(await redis.run('hgetall', key)).toEqual({
      a: 'x',
      b: '2',
      c: '3',
      d: '4',
      e: '5',
      f: '6',
      g: '7',
      h: '8',
    });
  });

  it('HGETALL returns a null-prototype object where __proto__ is a field like any other', async () => {
    const key = `${p}proto`;
    await redis.run('hset', key, { ['__proto__']: 'data', constructor: 'c', ünï: 'çödé' });
    const all = await redis.run('hgetall', key);
    expect(Object.getPrototypeOf(all)).toBeNull();
    expect(Object.keys(all).sort()).toEqual(['__proto__', 'constructor', 'ünï']);
    expect(Object.getOwnPropertyDescriptor(all, '__proto__')?.value).toBe('data');
    expect(all['ünï']).toBe('çödé');
    expect(await redis.run('hget', key, '__proto__')).toBe('data');
  });

  it('HGETALL of a missing key is an empty object; in buffer mode keys are strings and values Buffers', async () => {
    expect(await redis.run('hgetall', `${p}missing`)).toEqual({});
    const bytes = Buffer.from([0, 1, 255]);
    await redis.run('hset', `${p}buf`, 'bin', bytes);
    const all = await redis.runBuffers('hgetall', `${p}buf`);
    expect(Object.keys(all)).toEqual(['bin']);
    expect(all.bin).toEqual(bytes);
  });

  it('HGET, HMGET, HDEL, HEXISTS, HLEN, HKEYS, HVALS, HSTRLEN, HSETNX', async () => {
    const key = `${p}basic`;
    await redis.run('hset', key, { a: '1', b: 'two' });
    expect(await redis.run('hget', key, 'a')).toBe('1');
    expect(await redis.run('hget', key, 'zz')).toBeNull();
    expect(await redis.run('hmget', key, 'a', 'zz', 'b')).toEqual(['1', null, 'two']);
    expect(await redis.run('hmget', key, ['b', 'a'])).toEqual(['two', '1']);
    expect(await redis.run('hexists', key, 'a')).toBe(true);
    expect(await redis.run('hexists', key, 'zz')).toBe(false);
    expect(await redis.run('hlen', key)).toBe(2);
    expect((await redis.run('hkeys', key)).sort()).toEqual(['a', 'b']);
    expect((await redis.run('hvals', key)).sort()).toEqual(['1', 'two']);
    expect(await redis.run('hstrlen', key, 'b')).toBe(3);
    expect(await redis.run('hsetnx', key, 'a', 'x')).toBe(false);
    expect(await redis.run('hsetnx', key, 'c', 'x')).toBe(true);
    expect(await redis.run('hdel', key, 'a', ['c', 'zz'])).toBe(2);
    expect(await redis.run('hlen', key)).toBe(1);
  });

  it('HINCRBY and HINCRBYFLOAT', async () => {
    const key = `${p}incr`;
    expect(await redis.run('hincrby', key, 'n', 5)).toBe(5);
    expect(await redis.run('hincrby', key, 'n', -2)).toBe(3);
    expect(await redis.run('hincrbyfloat', key, 'f', 0.5)).toBe('0.5');
    expect(await redis.run('hincrbyfloat', key, 'f', '1.25')).toBe('1.75');
  });

  it('HRANDFIELD with and without a count, and WITHVALUES as pairs', async () => {
    const key = `${p}rand`;
    await redis.run('hset', key, { a: '1', b: '2', c: '3' });
    expect(['a', 'b', 'c']).toContain(await redis.run('hrandfield', key));
    expect(await redis.run('hrandfield', `${p}missing`)).toBeNull();
    expect((await redis.run('hrandfieldCount', key, 5)).sort()).toEqual(['a', 'b', 'c']);
    expect(await redis.run('hrandfieldCount', key, -5)).toHaveLength(5);
    const pairs = await redis.run('hrandfieldWithValues', key, 3);
    expect(pairs.sort((x, y) => x.field.localeCompare(y.field))).toEqual([
      { field: 'a', value: '1' },
      { field: 'b', value: '2' },
      { field: 'c', value: '3' },
    ]);
    const repeated = await redis.run('hrandfieldWithValues', key, -4);
    expect(repeated).toHaveLength(4);
    for (const { field, value } of repeated) expect(value).toBe(String(' abc'.indexOf(field)));
    expect(await redis.run('hrandfieldWithValues', `${p}missing`, 2)).toEqual([]);
  });

  it('HSCAN steps, with values and without (NOVALUES)', async () => {
    const key = `${p}scan`;
    const fields = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, `v${i}`]));
    await redis.run('hset', key, fields);
    const seen: Record<string, string> = {};
    let cursor = '0';
    do {
      const step = await redis.run('hscan', key, cursor, { COUNT: 50 });
      for (const { field, value } of step.entries) seen[field] = value;
      cursor = step.cursor;
    } while (cursor !== '0');
    expect(seen).toEqual(fields);
    const names = await redis.run('hscanNoValues', key, '0', { MATCH: 'f1?', COUNT: 1000 });
    expect(names.cursor).toBe('0');
    expect(names.fields.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `f1${i}`).sort());
  });

  it('HEXPIRE family: per-field codes, conditions, TTLs and HPERSIST', async () => {
    const key = `${p}fexp`;
    await redis.run('hset', key, { a: '1', b: '2', c: '3' });
    expect(await redis.run('hexpire', key, 100, ['a', 'b', 'missing'])).toEqual([1, 1, -2]);
    expect(await redis.run('hexpire', key, 50, 'a', 'GT')).toEqual([0]);
    expect(await redis.run('hexpire', key, 100, ['a', 'c'], 'NX')).toEqual([0, 1]);
    expect(await redis.run('hpexpire', key, 200_000, 'b', 'XX')).toEqual([1]);
    const ttl = await redis.run('httl', key, ['a', 'b', 'missing']);
    expect(ttl[0]).toBeGreaterThan(90);
    expect(ttl[1]).toBeGreaterThan(190);
    expect(ttl[2]).toBe(-2);
    expect((await redis.run('hpttl', key, 'b'))[0]).toBeGreaterThan(190_000);
    const at = Math.floor(Date.now() / 1000) + 1000;
    expect(await redis.run('hexpireat', key, at, 'a')).toEqual([1]);
    expect(await redis.run('hexpiretime', key, ['a'])).toEqual([at]);
    expect(await redis.run('hpexpireat', key, at * 1000 + 7, 'c')).toEqual([1]);
    expect(await redis.run('hpexpiretime', key, 'c')).toEqual([at * 1000 + 7]);
    expect(await redis.run('hpersist', key, ['a', 'missing'])).toEqual([1, -2]);
    expect(await redis.run('httl', key, 'a')).toEqual([-1]);
    expect(await redis.run('hexpire', key, 0, 'c')).toEqual([2]);
    expect(await redis.run('hexists', key, 'c')).toBe(false);
    expect(await redis.run('httl', `${p}missing`, 'a')).toEqual([-2]);
  });

  it('HGETDEL, HGETEX and HSETEX (Redis 8)', async () => {
    const key = `${p}r8`;
    await redis.run('hset', key, { a: '1', b: '2', c: '3' });
    expect(await redis.run('hgetdel', key, ['a', 'missing'])).toEqual(['1', null]);
    expect(await redis.run('hexists', key, 'a')).toBe(false);
    expect(await redis.run('hgetex', key, ['b', 'c'], { EX: 100 })).toEqual(['2', '3']);
    expect((await redis.run('httl', key, 'b'))[0]).toBeGreaterThan(90);
    expect(await redis.run('hgetex', key, 'b', { PERSIST: true })).toEqual(['2']);
    expect(await redis.run('httl', key, 'b')).toEqual([-1]);
    expect(await redis.run('hgetex', key, 'c')).toEqual(['3']);
    expect(await redis.run('hsetex', key, { d: '4', e: '5' }, { PX: 100_000 })).toBe(true);
    expect((await redis.run('hpttl', key, 'd'))[0]).toBeGreaterThan(90_000);
    expect(await redis.run('hsetex', key, { d: 'x', f: '6' }, { FNX: true })).toBe(false);
    expect(await redis.run('hsetex', key, [['d', 'x']], { FXX: true, KEEPTTL: true })).toBe(true);
    expect(await redis.run('hget', key, 'd')).toBe('x');
    expect((await redis.run('hpttl', key, 'd'))[0]).toBeGreaterThan(90_000);
    expect(await redis.run('hsetex', key, ['g', '7'])).toBe(true);
    expect(await redis.run('hgetall', key)).toEqual({ b: '2', c: '3', d: 'x', e: '5', g: '7' });
  });

  it('rejects hash commands on another type with WRONGTYPE', async () => {
    await redis.raw('SET', `${p}str`, 'v');
    const err = await redis.run('hgetall', `${p}str`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toMatchObject({ code: 'WRONGTYPE' });
    await expect(redis.run('hexpire', `${p}str`, 10, 'a')).rejects.toMatchObject({ code: 'WRONGTYPE' });
  });
});
