import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSpecRunner, type SpecRunner } from '../support/spec-runner.js';

describe.each([2, 3] as const)('string commands over RESP%i', (protocol) => {
  let redis: SpecRunner;
  beforeAll(async () => {
    redis = await openSpecRunner(inject('servers').standalone, { protocol });
  });
  afterAll(() => redis.close());

  it('sets a value and reads it back; a missing key reads as null', async () => {
    const key = `string:${protocol}:a`;
    expect(await redis.run('set', key, 'héllo')).toBe('OK');
    expect(await redis.run('get', key)).toBe('héllo');
    expect(await redis.run('get', `${key}:missing`)).toBeNull();
    expect(await redis.runBuffers('get', key)).toEqual(Buffer.from('héllo'));
  });
});
