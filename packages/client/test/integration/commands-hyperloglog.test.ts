import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

describe.each([2, 3] as const)('HyperLogLog commands over RESP%i', (protocol) => {
  const p = `cmd-hll:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });

  it('PFADD says whether the sketch changed; PFCOUNT estimates; PFMERGE unions', async () => {
    expect(await redis.run('pfadd', `${p}a`, 'x', 'y', ['z'])).toBe(true);
    expect(await redis.run('pfadd', `${p}a`, 'x')).toBe(false);
    expect(await redis.run('pfadd', `${p}empty`)).toBe(true);
    expect(await redis.run('pfcount', `${p}a`)).toBe(3);
    expect(await redis.run('pfcount', `${p}missing`)).toBe(0);
    await redis.run(
      'pfadd',
      `${p}b`,
      Array.from({ length: 1000 }, (_, i) => `e${i}`),
    );
    const estimate = await redis.run('pfcount', `${p}b`);
    expect(estimate).toBeGreaterThan(950);
    expect(estimate).toBeLessThan(1050);
    expect(await redis.run('pfcount', [`${p}a`, `${p}b`])).toBeGreaterThan(estimate);
    expect(await redis.run('pfmerge', `${p}merged`, `${p}a`, [`${p}b`])).toBe('OK');
    expect(await redis.run('pfcount', `${p}merged`)).toBe(await redis.run('pfcount', `${p}a`, `${p}b`));
    expect(await redis.run('pfmerge', `${p}merged2`)).toBe('OK');
    expect(await redis.run('pfcount', `${p}merged2`)).toBe(0);
  });

  it('rejects a key that is not a HyperLogLog', async () => {
    await redis.raw('SET', `${p}str`, 'not a sketch');
    const err = await redis.run('pfcount', `${p}str`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toMatchObject({ code: 'WRONGTYPE' });
  });
});
