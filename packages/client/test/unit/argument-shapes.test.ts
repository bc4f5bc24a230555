import { InvalidArgumentError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';

/*
 * An object or tuple argument missing a field used to reach the encoder, which reported the wire
 * position ("BITCOUNT: argument 2 is undefined"), not the mistake. Each is now refused by name.
 */

type Build = (...args: unknown[]) => unknown;
const build =
  (name: keyof typeof COMMANDS, ...args: unknown[]) =>
  () =>
    (COMMANDS[name] as unknown as { build: Build }).build(...args);
const refusal = (message: string) => new InvalidArgumentError(message);

describe('object and tuple arguments of the wrong shape are refused by name', () => {
  it('a [field, value] pair of another length (MSET, HSET, HSETEX, XADD, CONFIG SET)', () => {
    const message = (name: string, got: string) => `${name}: a [field, value] pair has 2 items (got ${got})`;
    expect(build('mset', [['k']])).toThrow(refusal(message('MSET', 'an array of 1')));
    expect(build('hset', 'h', [['f', 'v'], ['g']])).toThrow(refusal(message('HSET', 'an array of 1')));
    expect(build('hset', 'h', [['f', 'v'], 'g'])).toThrow(refusal(message('HSET', 'a string')));
    expect(build('hsetex', 'h', [['f', 'v', 'w']])).toThrow(refusal(message('HSETEX', 'an array of 3')));
    expect(build('xadd', 's', '*', [['f']])).toThrow(refusal(message('XADD', 'an array of 1')));
    expect(build('configSet', [['maxmemory']])).toThrow(refusal(message('CONFIG SET', 'an array of 1')));
    // Well-formed pairs build as before.
    expect((build('hset', 'h', [['f', 'v']])() as { args: unknown[] }).args).toEqual(['HSET', 'h', 'f', 'v']);
  });

  it('a BITCOUNT/BITPOS range without start, a BITFIELD operation of no known shape', () => {
    expect(build('bitcount', 'k', { end: 5 })).toThrow(
      refusal('BITCOUNT: a range needs start (got an object with end)'),
    );
    expect(build('bitpos', 'k', 1, {})).toThrow(
      refusal('BITPOS: a range needs start (got an object with no keys)'),
    );
    expect(build('bitfield', 'k', [{ get: ['u8', 0] }])).toThrow(
      refusal(
        'BITFIELD: an operation is { GET }, { SET }, { INCRBY } or { OVERFLOW } (got an object with get)',
      ),
    );
    expect(build('bitfieldRo', 'k', [{ GET: ['u8'] }])).toThrow(
      refusal("BITFIELD_RO: GET's [encoding, offset] has 2 items (got an array of 1)"),
    );
    expect(build('bitfield', 'k', [{ SET: ['u8', 0] }])).toThrow(
      refusal("BITFIELD: SET's [encoding, offset, value] has 3 items (got an array of 2)"),
    );
  });

  it('geo members, centres and search shapes missing a field', () => {
    expect(build('geoadd', 'g', { member: 'a' })).toThrow(
      refusal('geoadd: a member needs longitude, latitude, member (got an object with member)'),
    );
    expect(build('geosearch', 'g', { lon: 1, lat: 2 }, { radius: 1, unit: 'km' })).toThrow(
      refusal(
        'GEOSEARCH: from (a member, or coordinates) needs longitude, latitude (got an object with lon, lat)',
      ),
    );
    expect(build('geosearchstore', 'd', 'g', 'm', { radius: 1 })).toThrow(
      refusal('GEOSEARCHSTORE: by (a radius) needs radius, unit (got an object with radius)'),
    );
    expect(build('geosearchWith', 'g', 'm', {})).toThrow(
      refusal('GEOSEARCH: by is { radius, unit } or { width, height, unit } (got an object with no keys)'),
    );
    expect(build('georadiusRo', 'g', {}, 1, 'km')).toThrow(
      refusal('georadiusRo: the center needs longitude, latitude (got an object with no keys)'),
    );
  });

  it('a stream trim, a COMMAND LIST filter and a VSIM query missing their field', () => {
    expect(build('xtrim', 's', { strategy: 'MAXLEN' })).toThrow(
      refusal('XTRIM: a trim needs strategy, threshold (got an object with strategy)'),
    );
    expect(build('xadd', 's', '*', { f: 'v' }, { TRIM: { strategy: 'MAXLEN' } })).toThrow(
      refusal('XADD: a trim needs strategy, threshold (got an object with strategy)'),
    );
    expect(build('commandList', {})).toThrow(
      refusal('commandList: a filter is { MODULE }, { ACLCAT } or { PATTERN } (got an object with no keys)'),
    );
    expect(build('vsim', 'v', { member: 'a' })).toThrow(
      refusal('vsim: a query (a vector, or { element }) needs element (got an object with member)'),
    );
  });
});
