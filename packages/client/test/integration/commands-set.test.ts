import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

const sorted = (list: readonly string[]): string[] => [...list].sort();

describe.each([2, 3] as const)('set commands over RESP%i', (protocol) => {
  const p = `cmd-set:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });

  it('SADD, SREM, SMEMBERS, SCARD, SISMEMBER, SMISMEMBER', async () => {
    const key = `${p}basic`;
    expect(await redis.run('sadd', key, 'a', ['b', 'c'], 'a')).toBe(3);
    expect(await redis.run('sadd', key, 'ü')).toBe(1);
    expect(sorted(await redis.run('smembers', key))).toEqual(['a', 'b', 'c', 'ü']);
    expect(await redis.run('smembers', `${p}missing`)).toEqual([]);
    expect(await redis.run('scard', key)).toBe(4);
    expect(await redis.run('sismember', key, 'ü')).toBe(true);
    expect(await redis.run('sismember', key, 'z')).toBe(false);
    expect(await redis.run('smismember', key, 'a', 'z', ['c'])).toEqual([true, false, true]);
    expect(await redis.run('srem', key, 'a', 'z')).toBe(1);
    expect(await redis.run('scard', key)).toBe(3);
  });

  it('SMOVE, SPOP and SRANDMEMBER with and without a count', async () => {
    const key = `${p}pop`;
    await redis.run('sadd', key, '1', '2', '3', '4');
    expect(await redis.run('smove', key, `${p}moved`, '1')).toBe(true);
    expect(await redis.run('smove', key, `${p}moved`, '1')).toBe(false);
    expect(['2', '3', '4']).toContain(await redis.run('srandmember', key));
    expect(sorted(await redis.run('srandmemberCount', key, 10))).toEqual(['2', '3', '4']);
    expect(await redis.run('srandmemberCount', key, -7)).toHaveLength(7);
    expect(['2', '3', '4']).toContain(await redis.run('spop', key));
    expect(await redis.run('spopCount', key, 5)).toHaveLength(2);
    expect(await redis.run('spop', key)).toBeNull();
    expect(await redis.run('spopCount', key, 2)).toEqual([]);
    expect(await redis.run('srandmember', key)).toBeNull();
    expect(await redis.run('srandmemberCount', key, 3)).toEqual([]);
  });

  it('SINTER, SUNION, SDIFF, their STORE forms and SINTERCARD', async () => {
    await redis.run('sadd', `${p}x`, 'a', 'b', 'c');
    await redis.run('sadd', `${p}y`, 'b', 'c', 'd');
    expect(sorted(await redis.run('sinter', `${p}x`, `${p}y`))).toEqual(['b', 'c']);
    expect(sorted(await redis.run('sunion', [`${p}x`, `${p}y`]))).toEqual(['a', 'b', 'c', 'd']);
    expect(await redis.run('sdiff', `${p}x`, `${p}y`)).toEqual(['a']);
    expect(await redis.run('sinterstore', `${p}i`, `${p}x`, `${p}y`)).toBe(2);
    expect(await redis.run('sunionstore', `${p}u`, [`${p}x`, `${p}y`])).toBe(4);
    expect(await redis.run('sdiffstore', `${p}d`, `${p}y`, `${p}x`)).toBe(1);
    expect(await redis.run('smembers', `${p}d`)).toEqual(['d']);
    expect(await redis.run('sintercard', [`${p}x`, `${p}y`])).toBe(2);
    expect(await redis.run('sintercard', [`${p}x`, `${p}y`], { LIMIT: 1 })).toBe(1);
    expect(await redis.run('sintercard', `${p}x`)).toBe(3);
  });

  it('SSCAN steps through every member', async () => {
    const key = `${p}scan`;
    const members = Array.from({ length: 300 }, (_, i) => `m${i}`);
    await redis.run('sadd', key, members);
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const step = await redis.run('sscan', key, cursor, { COUNT: 100 });
      for (const m of step.members) seen.add(m);
      cursor = step.cursor;
    } while (cursor !== '0');
    expect(sorted([...seen])).toEqual(sorted(members));
    const matched = await redis.run('sscan', key, '0', { MATCH: 'm29?', COUNT: 1000 });
    expect(sorted(matched.members)).toEqual(sorted(Array.from({ length: 10 }, (_, i) => `m29${i}`)));
  });

  it('rejects set commands on another type with WRONGTYPE', async () => {
    await redis.raw('SET', `${p}str`, 'v');
    const err = await redis.run('smembers', `${p}str`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toMatchObject({ code: 'WRONGTYPE' });
  });
});
