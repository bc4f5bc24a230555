import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

const PALERMO = { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' };
const CATANIA = { longitude: 15.087269, latitude: 37.502669, member: 'Catania' };

describe.each([2, 3] as const)('geo commands over RESP%i', (protocol) => {
  const prefix = `h2b:geo:${protocol}:`;
  const redis = sharedSpecRunner(protocol, prefix);

  it('adds members with NX/XX/CH and reads positions, distances and hashes', async () => {
    const key = `${prefix}sicily`;
    expect(await redis.run('geoadd', key, [PALERMO, CATANIA])).toBe(2);
    expect(await redis.run('geoadd', key, { ...PALERMO, longitude: 13.4 }, { XX: true, CH: true })).toBe(1);
    expect(await redis.run('geoadd', key, PALERMO, { NX: true })).toBe(0);
    expect(await redis.run('geoadd', key, PALERMO, { CH: true })).toBe(1);

    const [palermo, missing, catania] = await redis.run('geopos', key, 'Palermo', ['nowhere', 'Catania']);
    expect(palermo?.longitude).toBeCloseTo(13.361389, 5);
    expect(palermo?.latitude).toBeCloseTo(38.115556, 5);
    expect(missing).toBeNull();
    expect(catania?.longitude).toBeCloseTo(15.087269, 5);

    expect(await redis.run('geodist', key, 'Palermo', 'Catania')).toBeCloseTo(166274.15, 1);
    expect(await redis.run('geodist', key, 'Palermo', 'Catania', 'km')).toBeCloseTo(166.2742, 3);
    expect(await redis.run('geodist', key, 'Palermo', 'nowhere')).toBeNull();
    expect(await redis.run('geohash', key, 'Palermo', 'nowhere')).toEqual(['sqc8b49rny0', null]);
  });

  it('searches by radius and box, from a member or a position, sorted and counted', async () => {
    const key = `${prefix}search`;
    await redis.run('geoadd', key, [PALERMO, CATANIA]);
    const center = { longitude: 15, latitude: 37 };
    expect(await redis.run('geosearch', key, center, { radius: 200, unit: 'km' }, { SORT: 'ASC' })).toEqual([
      'Catania',
      'Palermo',
    ]);
    expect(
      await redis.run('geosearch', key, center, { radius: 200, unit: 'km' }, { SORT: 'DESC', COUNT: 1 }),
    ).toEqual(['Palermo']);
    expect(await redis.run('geosearch', key, center, { radius: 100, unit: 'km' })).toEqual(['Catania']);
    expect(
      await redis.run('geosearch', key, 'Palermo', { width: 400, height: 400, unit: 'km' }, { SORT: 'ASC' }),
    ).toEqual(['Palermo', 'Catania']);
    const any = await redis.run(
      'geosearch',
      key,
      center,
      { radius: 500, unit: 'km' },
      { COUNT: 1, ANY: true },
    );
    expect(any).toHaveLength(1);
    expect(await redis.runBuffers('geosearch', key, center, { radius: 100, unit: 'km' })).toEqual([
      Buffer.from('Catania'),
    ]);
  });

  it('returns distance, hash and coordinates with geosearchWith', async () => {
    const key = `${prefix}with`;
    await redis.run('geoadd', key, [PALERMO, CATANIA]);
    const hits = await redis.run(
      'geosearchWith',
      key,
      { longitude: 15, latitude: 37 },
      { radius: 200, unit: 'km' },
      { SORT: 'ASC' },
    );
    expect(hits.map((h) => h.member)).toEqual(['Catania', 'Palermo']);
    expect(hits[0]?.distance).toBeCloseTo(56.4413, 3);
    expect(hits[0]?.hash).toBe(3479447370796909);
    expect(hits[0]?.longitude).toBeCloseTo(15.087269, 5);
    expect(hits[1]?.latitude).toBeCloseTo(38.115556, 5);
  });

  it('stores search results, with distances when asked', async () => {
    const key = `${prefix}store:src`;
    const dest = `${prefix}store:dst`;
    await redis.run('geoadd', key, [PALERMO, CATANIA]);
    const by = { radius: 200, unit: 'km' } as const;
    expect(await redis.run('geosearchstore', dest, key, { longitude: 15, latitude: 37 }, by)).toBe(2);
    expect(await redis.raw('ZSCORE', dest, 'Catania')).not.toBeNull();
    expect(
      await redis.run(
        'geosearchstore',
        dest,
        key,
        'Catania',
        { radius: 10, unit: 'km' },
        { STOREDIST: true },
      ),
    ).toBe(1);
    expect(Number(await redis.raw('ZSCORE', dest, 'Catania'))).toBe(0);
  });

  it('answers the deprecated read-only radius queries', async () => {
    const key = `${prefix}radius`;
    await redis.run('geoadd', key, [PALERMO, CATANIA]);
    expect(
      await redis.run('georadiusRo', key, { longitude: 15, latitude: 37 }, 200, 'km', { SORT: 'ASC' }),
    ).toEqual(['Catania', 'Palermo']);
    expect(await redis.run('georadiusbymemberRo', key, 'Palermo', 100, 'km')).toEqual(['Palermo']);
    expect(
      await redis.run('georadiusbymemberRo', key, 'Palermo', 200, 'km', { SORT: 'DESC', COUNT: 1 }),
    ).toEqual(['Catania']);
  });
});
