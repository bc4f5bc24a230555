import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSpecRunner, type SpecRunner } from '../support/spec-runner.js';

describe.each([2, 3] as const)('pub/sub commands over RESP%i', (protocol) => {
  let redis: SpecRunner;
  // The subscriber speaks RESP2: its confirmations then arrive as replies, which the runner awaits.
  let subscriber: SpecRunner;
  const prefix = `h2b:pubsub:${protocol}:`;
  beforeAll(async () => {
    const endpoint = inject('servers').standalone;
    redis = await openSpecRunner(endpoint, { protocol });
    subscriber = await openSpecRunner(endpoint, { protocol: 2 });
    await subscriber.raw('SUBSCRIBE', `${prefix}news`, `${prefix}sport`);
    await subscriber.raw('PSUBSCRIBE', `${prefix}pattern:*`);
    await subscriber.raw('SSUBSCRIBE', `${prefix}shard`);
  });
  afterAll(async () => {
    await subscriber.close();
    await redis.close();
  });

  it('publishes to channels and shard channels, counting receivers', async () => {
    expect(await redis.run('publish', `${prefix}news`, 'hello')).toBe(1);
    expect(await redis.run('publish', `${prefix}pattern:x`, Buffer.from('bytes'))).toBe(1);
    expect(await redis.run('publish', `${prefix}nobody`, 'hello')).toBe(0);
    expect(await redis.run('spublish', `${prefix}shard`, 'hello')).toBe(1);
    expect(redis.build('spublish', 'c', 'm').keyIndexes).toEqual([1]);
    expect(redis.build('publish', 'c', 'm').keyIndexes).toBeUndefined();
  });

  it('lists channels and counts subscribers', async () => {
    expect((await redis.run('pubsubChannels', `${prefix}*`)).sort()).toEqual([
      `${prefix}news`,
      `${prefix}sport`,
    ]);
    expect(await redis.run('pubsubChannels')).toEqual(expect.arrayContaining([`${prefix}news`]));
    const counts = await redis.run('pubsubNumSub', `${prefix}news`, [`${prefix}nobody`]);
    expect({ ...counts }).toEqual({ [`${prefix}news`]: 1, [`${prefix}nobody`]: 0 });
    expect(await redis.run('pubsubNumPat')).toBeGreaterThanOrEqual(1);
    expect(await redis.run('pubsubShardChannels', `${prefix}*`)).toEqual([`${prefix}shard`]);
    expect(await redis.run('pubsubShardChannels')).toEqual(expect.arrayContaining([`${prefix}shard`]));
    expect({ ...(await redis.run('pubsubShardNumSub', `${prefix}shard`, `${prefix}none`)) }).toEqual({
      [`${prefix}shard`]: 1,
      [`${prefix}none`]: 0,
    });
  });
});
