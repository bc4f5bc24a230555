import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

describe.each([2, 3] as const)('vector set commands over RESP%i', (protocol) => {
  const p = `cmd-vset:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });

  it('VADD, VCARD, VDIM, VEMB, VISMEMBER, VREM; a Float32Array stores what VALUES stores', async () => {
    const key = `${p}basic`;
    expect(await redis.run('vadd', key, [1, 0, 0.5], 'a', { NOQUANT: true })).toBe(true);
    expect(await redis.run('vadd', key, new Float32Array([0.25, 1, 0]), 'b', { NOQUANT: true })).toBe(true);
    expect(await redis.run('vadd', key, [0.25, 1, 0], 'b', { NOQUANT: true })).toBe(false);
    expect(await redis.run('vcard', key)).toBe(2);
    expect(await redis.run('vcard', `${p}missing`)).toBe(0);
    expect(await redis.run('vdim', key)).toBe(3);
    await expect(redis.run('vdim', `${p}missing`)).rejects.toBeInstanceOf(ReplyError);
    expect(await redis.run('vemb', key, 'b')).toEqual([0.25, 1, 0]);
    expect(await redis.run('vemb', key, 'zz')).toBeNull();
    expect(await redis.run('vismember', key, 'a')).toBe(true);
    expect(await redis.run('vismember', key, 'zz')).toBe(false);
    expect(await redis.run('vrem', key, 'a')).toBe(true);
    expect(await redis.run('vrem', key, 'a')).toBe(false);
    expect(await redis.run('vcard', key)).toBe(1);
  });

  it('VADD REDUCE projects the vectors; VINFO reports it', async () => {
    const key = `${p}reduce`;
    expect(await redis.run('vadd', key, [1, 2, 3, 4], 'a', { REDUCE: 2, M: 8, EF: 100 })).toBe(true);
    expect(await redis.run('vdim', key)).toBe(2);
    const info = await redis.run('vinfo', key);
    expect(Object.getPrototypeOf(info)).toBeNull();
    expect(info).toMatchObject({ 'quant-type': 'int8', 'vector-dim': 2, 'projection-input-dim': 4, size: 1 });
    expect(await redis.run('vinfo', `${p}missing`)).toBeNull();
  });

  it('VSETATTR / VGETATTR: objects stringified, text as given, an empty string removes', async () => {
    const key = `${p}attrs`;
    await redis.run('vadd', key, [1, 0], 'a', { SETATTR: { year: 1950 } });
    expect(await redis.run('vgetattr', key, 'a')).toBe('{"year":1950}');
    expect(await redis.run('vsetattr', key, 'a', '{"year":2000,"tag":"x"}')).toBe(true);
    expect(JSON.parse((await redis.run('vgetattr', key, 'a')) as string)).toEqual({ year: 2000, tag: 'x' });
    expect(await redis.run('vsetattr', key, 'a', '')).toBe(true);
    expect(await redis.run('vgetattr', key, 'a')).toBeNull();
    expect(await redis.run('vsetattr', key, 'zz', { a: 1 })).toBe(false);
  });

  it('VSIM, WITHSCORES and WITHATTRIBS best first (integer-like names too), FILTER, COUNT, EPSILON', async () => {
    const key = `${p}sim`;
    // '10' and '2' would be reordered by a plain object built from a RESP3 map: order must hold.
    const points: [string, number[], number][] = [
      ['10', [1, 0], 1990],
      ['2', [0.8, 0.6], 1950],
      ['x', [0, 1], 2010],
      ['1', [-1, 0], 1980],
    ];
    for (const [name, vector, year] of points) {
      await redis.run('vadd', key, vector, name, { NOQUANT: true, SETATTR: { year } });
    }
    expect(await redis.run('vsim', key, [1, 0])).toEqual(['10', '2', 'x', '1']);
    expect(await redis.run('vsim', key, { element: '10' }, { COUNT: 2 })).toEqual(['10', '2']);
    const scored = await redis.run('vsimWithScores', key, new Float32Array([1, 0]));
    expect(scored.map((m) => m.value)).toEqual(['10', '2', 'x', '1']);
    expect(scored[0]?.score).toBeCloseTo(1, 6);
    expect(scored[1]?.score).toBeCloseTo(0.9, 6);
    expect(scored[3]?.score).toBeCloseTo(0, 6);
    expect(
      await redis.run('vsim', key, [1, 0], { EPSILON: 0.2, TRUTH: true, NOTHREAD: true, EF: 50 }),
    ).toEqual(['10', '2']);
    const matches = await redis.run(
      'vsimWithAttributes',
      key,
      { element: '10' },
      { FILTER: '.year < 2000', FILTER_EF: 100 },
    );
    expect(matches.map(({ value, attributes }) => [value, attributes])).toEqual([
      ['10', '{"year":1990}'],
      ['2', '{"year":1950}'],
      ['1', '{"year":1980}'],
    ]);
    expect(await redis.run('vsim', `${p}missing`, [1, 0])).toEqual([]);
    await expect(redis.run('vsim', key, { element: 'nope' })).rejects.toBeInstanceOf(ReplyError);
  });

  it('VLINKS per level, with scores best first; VRANDMEMBER with and without a count', async () => {
    const key = `${p}links`;
    for (const [name, vector] of [
      ['a', [1, 0]],
      ['b', [0.9, 0.1]],
      ['c', [0, 1]],
    ] as const) {
      await redis.run('vadd', key, [...vector], name);
    }
    // One list per level, the top level first: the last is level 0, where every node is linked.
    const levels = await redis.run('vlinks', key, 'a');
    expect(levels?.at(-1)?.slice().sort()).toEqual(['b', 'c']);
    const scored = await redis.run('vlinksWithScores', key, 'a');
    expect(scored?.at(-1)?.map((m) => m.value)).toEqual(['b', 'c']);
    expect(scored?.at(-1)?.[0]?.score).toBeGreaterThan(scored?.at(-1)?.[1]?.score ?? 1);
    expect(await redis.run('vlinks', key, 'zz')).toBeNull();
    expect(await redis.run('vlinksWithScores', key, 'zz')).toBeNull();
    expect(['a', 'b', 'c']).toContain(await redis.run('vrandmember', key));
    expect((await redis.run('vrandmemberCount', key, 5)).sort()).toEqual(['a', 'b', 'c']);
    expect(await redis.run('vrandmemberCount', key, -5)).toHaveLength(5);
    expect(await redis.run('vrandmember', `${p}missing`)).toBeNull();
    expect(await redis.run('vrandmemberCount', `${p}missing`, 2)).toEqual([]);
  });

  it('returns element names as Buffers in buffer mode', async () => {
    const key = `${p}buf`;
    await redis.run('vadd', key, [1, 0], Buffer.from([0xff, 0x00]));
    expect(await redis.runBuffers('vsim', key, [1, 0])).toEqual([Buffer.from([0xff, 0x00])]);
  });
});
