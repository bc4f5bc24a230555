import { describe, expect, it } from 'vitest';
import { geoCommands } from '../../src/commands/geo.js';

describe('geo command arguments', () => {
  it('marks both keys of GEOSEARCHSTORE (destination first)', () => {
    const cmd = geoCommands.geosearchstore.build(
      'dst',
      'src',
      { longitude: 1, latitude: 2 },
      { width: 3, height: 4, unit: 'mi' },
      { SORT: 'DESC', COUNT: 5, ANY: true, STOREDIST: true },
    );
    expect(cmd.args).toEqual([
      'GEOSEARCHSTORE',
      'dst',
      'src',
      'FROMLONLAT',
      1,
      2,
      'BYBOX',
      3,
      4,
      'mi',
      'DESC',
      'COUNT',
      5,
      'ANY',
      'STOREDIST',
    ]);
    expect(cmd.keyIndexes).toEqual([1, 2]);
    expect(cmd.readOnly).toBeUndefined();
  });

  it('treats a string or a Buffer as FROMMEMBER and an object as FROMLONLAT', () => {
    const by = { radius: 1, unit: 'km' } as const;
    expect(geoCommands.geosearch.build('k', 'm', by).args).toEqual([
      'GEOSEARCH',
      'k',
      'FROMMEMBER',
      'm',
      'BYRADIUS',
      1,
      'km',
    ]);
    const member = Buffer.from('m');
    expect(geoCommands.geosearch.build('k', member, by).args[3]).toBe(member);
    const search = geoCommands.geosearch.build('k', { longitude: 0, latitude: 0 }, by);
    expect(search.readOnly).toBe(true);
    expect(search.keyIndexes).toEqual([1]);
  });

  it('asks geosearchWith for distance, hash and coordinates, in the order the transform reads them', () => {
    const args = geoCommands.geosearchWith.build('k', 'm', { radius: 1, unit: 'm' }).args;
    expect(args.slice(-3)).toEqual(['WITHDIST', 'WITHHASH', 'WITHCOORD']);
  });

  it('builds GEOADD flags before the members', () => {
    expect(
      geoCommands.geoadd.build('k', [{ longitude: 1, latitude: 2, member: 'a' }], { XX: true, CH: true })
        .args,
    ).toEqual(['GEOADD', 'k', 'XX', 'CH', 1, 2, 'a']);
  });
});
