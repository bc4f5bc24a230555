import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

const sm = (value: string, score: number) => ({ value, score });

describe.each([2, 3] as const)('sorted-set commands over RESP%i', (protocol) => {
  const p = `cmd-zset:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });

  /** a:1 b:2 c:3 d:4.5 under `key`. */
  const seed = async (key: string) => {
    await redis.run('zadd', key, [sm('a', 1), sm('b', 2), [3, 'c'], { score: '4.5', value: 'd' }]);
  };

  it('ZADD with members as objects, tuples, one object; NX/XX/GT/LT/CH; ZADD INCR', async () => {
    const key = `${p}add`;
    expect(await redis.run('zadd', key, [sm('a', 1), [2, 'b']])).toBe(2);
    expect(await redis.run('zadd', key, { score: 3, value: 'c' })).toBe(1);
    expect(await redis.run('zadd', key, sm('a', 10), { NX: true })).toBe(0);
    expect(await redis.run('zscore', key, 'a')).toBe(1);
    expect(await redis.run('zadd', key, [sm('a', 5), sm('z', 5)], { XX: true, CH: true })).toBe(1);
    expect(await redis.run('zscore', key, 'z')).toBeNull();
    expect(await redis.run('zadd', key, sm('a', 4), { GT: true, CH: true })).toBe(0);
    expect(await redis.run('zadd', key, sm('a', 4), { LT: true, CH: true })).toBe(1);
    expect(await redis.run('zaddIncr', key, 1.5, 'a')).toBe(5.5);
    expect(await redis.run('zaddIncr', key, 1, 'new', { XX: true })).toBeNull();
    expect(await redis.run('zadd', key, [sm('inf', Number.POSITIVE_INFINITY), sm('-inf', -Infinity)])).toBe(
      2,
    );
    expect(await redis.run('zscore', key, 'inf')).toBe(Number.POSITIVE_INFINITY);
    expect(await redis.run('zscore', key, '-inf')).toBe(Number.NEGATIVE_INFINITY);
    await expect(redis.run('zadd', key, sm('a', 1), { NX: true, XX: true })).rejects.toBeInstanceOf(
      ReplyError,
    );
  });

  it('ZSCORE, ZMSCORE and ZINCRBY are numbers; ZCARD, ZCOUNT, ZLEXCOUNT', async () => {
    const key = `${p}score`;
    await seed(key);
    expect(await redis.run('zscore', key, 'd')).toBe(4.5);
    expect(await redis.run('zscore', `${p}missing`, 'd')).toBeNull();
    expect(await redis.runBuffers('zscore', key, 'd')).toBe(4.5);
    expect(await redis.run('zmscore', key, 'a', 'zz', ['d'])).toEqual([1, null, 4.5]);
    expect(await redis.run('zincrby', key, 0.25, 'a')).toBe(1.25);
    expect(await redis.run('zincrby', key, -1.25, 'a')).toBe(0);
    expect(await redis.run('zcard', key)).toBe(4);
    expect(await redis.run('zcount', key, 2, '+inf')).toBe(3);
    expect(await redis.run('zcount', key, '(2', 4.5)).toBe(2);
    await redis.run('zadd', `${p}lex`, [sm('a', 0), sm('b', 0), sm('c', 0)]);
    expect(await redis.run('zlexcount', `${p}lex`, '[b', '+')).toBe(2);
  });

  it('ZRANK/ZREVRANK with and without WITHSCORE', async () => {
    const key = `${p}rank`;
    await seed(key);
    expect(await redis.run('zrank', key, 'c')).toBe(2);
    expect(await redis.run('zrevrank', key, 'c')).toBe(1);
    expect(await redis.run('zrank', key, 'zz')).toBeNull();
    expect(await redis.run('zrankWithScore', key, 'd')).toEqual({ rank: 3, score: 4.5 });
    expect(await redis.run('zrevrankWithScore', key, 'd')).toEqual({ rank: 0, score: 4.5 });
    expect(await redis.run('zrankWithScore', key, 'zz')).toBeNull();
  });

  it('ZRANGE by rank, BYSCORE, BYLEX, REV, LIMIT; zrangeWithScores gives { value, score }', async () => {
    const key = `${p}range`;
    await seed(key);
    expect(await redis.run('zrange', key, 0, -1)).toEqual(['a', 'b', 'c', 'd']);
    expect(await redis.run('zrange', key, 0, 1, { REV: true })).toEqual(['d', 'c']);
    expect(
      await redis.run('zrange', key, '(1', '+inf', { BYSCORE: true, LIMIT: { offset: 1, count: 2 } }),
    ).toEqual(['c', 'd']);
    expect(await redis.run('zrange', key, '+inf', 2, { BYSCORE: true, REV: true })).toEqual(['d', 'c', 'b']);
    expect(await redis.run('zrangeWithScores', key, 0, -1)).toEqual([
      sm('a', 1),
      sm('b', 2),
      sm('c', 3),
      sm('d', 4.5),
    ]);
    expect(await redis.runBuffers('zrangeWithScores', key, 0, 0)).toEqual([
      { value: Buffer.from('a'), score: 1 },
    ]);
    expect(await redis.run('zrangeWithScores', `${p}missing`, 0, -1)).toEqual([]);
    await redis.run('zadd', `${p}lex`, [sm('a', 0), sm('b', 0), sm('c', 0)]);
    expect(await redis.run('zrange', `${p}lex`, '[b', '+', { BYLEX: true })).toEqual(['b', 'c']);
    expect(await redis.run('zrangestore', `${p}stored`, key, 2, 3, { BYSCORE: true })).toBe(2);
    expect(await redis.run('zrangeWithScores', `${p}stored`, 0, -1)).toEqual([sm('b', 2), sm('c', 3)]);
  });

  it('the older ZRANGEBYSCORE/ZREVRANGE/…BYLEX family', async () => {
    const key = `${p}old`;
    await seed(key);
    expect(await redis.run('zrevrange', key, 0, 1)).toEqual(['d', 'c']);
    expect(await redis.run('zrevrangeWithScores', key, 0, 0)).toEqual([sm('d', 4.5)]);
    expect(await redis.run('zrangebyscore', key, 2, '+inf', { LIMIT: { offset: 0, count: 2 } })).toEqual([
      'b',
      'c',
    ]);
    expect(await redis.run('zrangebyscoreWithScores', key, '-inf', 1)).toEqual([sm('a', 1)]);
    expect(await redis.run('zrevrangebyscore', key, '+inf', '(3')).toEqual(['d']);
    expect(await redis.run('zrevrangebyscoreWithScores', key, 2, 1)).toEqual([sm('b', 2), sm('a', 1)]);
    await redis.run('zadd', `${p}lex2`, [sm('a', 0), sm('b', 0), sm('c', 0)]);
    expect(await redis.run('zrangebylex', `${p}lex2`, '-', '(c')).toEqual(['a', 'b']);
    expect(
      await redis.run('zrevrangebylex', `${p}lex2`, '+', '[b', { LIMIT: { offset: 0, count: 1 } }),
    ).toEqual(['c']);
  });

  it('ZPOPMIN/ZPOPMAX always give a list; BZPOPMIN/BZPOPMAX give { key, value, score } or null', async () => {
    const key = `${p}pop`;
    await seed(key);
    expect(await redis.run('zpopmin', key)).toEqual([sm('a', 1)]);
    expect(await redis.run('zpopmax', key, 2)).toEqual([sm('d', 4.5), sm('c', 3)]);
    expect(await redis.run('bzpopmin', [`${p}missing`, key], 1)).toEqual({ key, value: 'b', score: 2 });
    expect(await redis.run('zpopmin', key)).toEqual([]);
    expect(await redis.run('zpopmax', key, 3)).toEqual([]);
    await seed(key);
    expect(await redis.run('bzpopmax', key, 1)).toEqual({ key, value: 'd', score: 4.5 });
    expect(await redis.run('bzpopmin', `${p}missing`, 0.05)).toBeNull();
    expect(await redis.run('bzpopmax', [`${p}missing`], 0.05)).toBeNull();
  });

  it('ZMPOP and BZMPOP', async () => {
    const key = `${p}mpop`;
    await seed(key);
    expect(await redis.run('zmpop', [`${p}missing`, key], 'MIN')).toEqual({ key, members: [sm('a', 1)] });
    expect(await redis.run('zmpop', key, 'MAX', 2)).toEqual({ key, members: [sm('d', 4.5), sm('c', 3)] });
    expect(await redis.run('bzmpop', 1, key, 'MIN', 5)).toEqual({ key, members: [sm('b', 2)] });
    expect(await redis.run('zmpop', key, 'MIN')).toBeNull();
    expect(await redis.run('bzmpop', 0.05, [key], 'MAX')).toBeNull();
  });

  it('ZRANDMEMBER: one, a count, and WITH SCORES', async () => {
    const key = `${p}rand`;
    await seed(key);
    expect(['a', 'b', 'c', 'd']).toContain(await redis.run('zrandmember', key));
    expect(await redis.run('zrandmember', `${p}missing`)).toBeNull();
    expect((await redis.run('zrandmemberCount', key, 10)).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(await redis.run('zrandmemberCount', key, -6)).toHaveLength(6);
    const withScores = await redis.run('zrandmemberWithScores', key, 4);
    expect(withScores.sort((x, y) => x.score - y.score)).toEqual([
      sm('a', 1),
      sm('b', 2),
      sm('c', 3),
      sm('d', 4.5),
    ]);
  });

  it('ZUNION/ZINTER/ZDIFF with WEIGHTS and AGGREGATE, WITHSCORES, STORE and ZINTERCARD', async () => {
    await redis.run('zadd', `${p}x`, [sm('a', 1), sm('b', 2)]);
    await redis.run('zadd', `${p}y`, [sm('b', 10), sm('c', 20)]);
    const keys = [`${p}x`, `${p}y`];
    expect(await redis.run('zunion', keys)).toEqual(['a', 'b', 'c']);
    expect(await redis.run('zunionWithScores', keys, { WEIGHTS: [2, 1] })).toEqual([
      sm('a', 2),
      sm('b', 14),
      sm('c', 20),
    ]);
    expect(await redis.run('zinter', keys)).toEqual(['b']);
    expect(await redis.run('zinterWithScores', keys, { AGGREGATE: 'MAX' })).toEqual([sm('b', 10)]);
    expect(await redis.run('zdiff', keys)).toEqual(['a']);
    expect(await redis.run('zdiffWithScores', `${p}y`)).toEqual([sm('b', 10), sm('c', 20)]);
    expect(await redis.run('zunionstore', `${p}u`, keys, { AGGREGATE: 'MIN' })).toBe(3);
    expect(await redis.run('zscore', `${p}u`, 'b')).toBe(2);
    expect(await redis.run('zinterstore', `${p}i`, keys, { WEIGHTS: [1, 0.5] })).toBe(1);
    expect(await redis.run('zscore', `${p}i`, 'b')).toBe(7);
    expect(await redis.run('zdiffstore', `${p}d`, [`${p}y`, `${p}x`])).toBe(1);
    expect(await redis.run('zintercard', keys)).toBe(1);
    expect(await redis.run('zintercard', `${p}y`, { LIMIT: 1 })).toBe(1);
  });

  it('ZREM and ZREMRANGEBYRANK/SCORE/LEX', async () => {
    const key = `${p}rem`;
    await seed(key);
    expect(await redis.run('zrem', key, 'a', ['zz'])).toBe(1);
    expect(await redis.run('zremrangebyrank', key, 0, 0)).toBe(1);
    expect(await redis.run('zremrangebyscore', key, '(3', '+inf')).toBe(1);
    expect(await redis.run('zrange', key, 0, -1)).toEqual(['c']);
    await redis.run('zadd', `${p}lex3`, [sm('a', 0), sm('b', 0), sm('c', 0)]);
    expect(await redis.run('zremrangebylex', `${p}lex3`, '[a', '(c')).toBe(2);
  });

  it('ZSCAN steps give members with numeric scores', async () => {
    const key = `${p}scan`;
    const members = Array.from({ length: 200 }, (_, i) => sm(`m${i}`, i / 2));
    await redis.run('zadd', key, members);
    const seen = new Map<string, number>();
    let cursor = '0';
    do {
      const step = await redis.run('zscan', key, cursor, { COUNT: 50 });
      for (const m of step.members) seen.set(m.value, m.score);
      cursor = step.cursor;
    } while (cursor !== '0');
    expect(seen.size).toBe(200);
    expect(seen.get('m7')).toBe(3.5);
  });

  it('rejects sorted-set commands on another type with WRONGTYPE', async () => {
    await redis.raw('SET', `${p}str`, 'v');
    const err = await redis.run('zrange', `${p}str`, 0, -1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toMatchObject({ code: 'WRONGTYPE' });
    await expect(redis.run('zadd', `${p}str`, sm('a', 1))).rejects.toMatchObject({ code: 'WRONGTYPE' });
  });
});
