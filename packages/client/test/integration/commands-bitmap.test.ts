import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

describe.each([2, 3] as const)('bitmap commands over RESP%i', (protocol) => {
  const p = `cmd-bitmap:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });

  it('SETBIT returns the old bit; GETBIT reads it (0 past the end)', async () => {
    const key = `${p}bits`;
    expect(await redis.run('setbit', key, 7, 1)).toBe(0);
    expect(await redis.run('setbit', key, 7, 1)).toBe(1);
    expect(await redis.run('getbit', key, 7)).toBe(1);
    expect(await redis.run('getbit', key, 6)).toBe(0);
    expect(await redis.run('getbit', key, 10_000)).toBe(0);
    expect(await redis.run('getbit', `${p}missing`, 0)).toBe(0);
  });

  it('BITCOUNT and BITPOS with byte and bit ranges', async () => {
    const key = `${p}count`;
    await redis.run('set', key, Buffer.from([0xff, 0xf0, 0x00]));
    expect(await redis.run('bitcount', key)).toBe(12);
    expect(await redis.run('bitcount', key, { start: 1, end: 1 })).toBe(4);
    expect(await redis.run('bitcount', key, { start: 5, end: 10, unit: 'BIT' })).toBe(6);
    expect(await redis.run('bitcount', `${p}missing`)).toBe(0);
    expect(await redis.run('bitpos', key, 0)).toBe(12);
    expect(await redis.run('bitpos', key, 1, { start: 1 })).toBe(8);
    expect(await redis.run('bitpos', key, 1, { start: 2, end: 2 })).toBe(-1);
    expect(await redis.run('bitpos', key, 0, { start: 3, end: 20, unit: 'BIT' })).toBe(12);
  });

  it('BITOP AND/OR/XOR/NOT and the Redis 8.2 DIFF/DIFF1/ANDOR/ONE', async () => {
    await redis.run('set', `${p}x`, Buffer.from([0b1100]));
    await redis.run('set', `${p}y`, Buffer.from([0b1010]));
    const byte = async (key: string) => ((await redis.runBuffers('get', key)) as unknown as Buffer)[0];
    expect(await redis.run('bitop', 'AND', `${p}and`, `${p}x`, `${p}y`)).toBe(1);
    expect(await byte(`${p}and`)).toBe(0b1000);
    expect(await redis.run('bitop', 'OR', `${p}or`, [`${p}x`, `${p}y`])).toBe(1);
    expect(await byte(`${p}or`)).toBe(0b1110);
    expect(await redis.run('bitop', 'XOR', `${p}xor`, `${p}x`, `${p}y`)).toBe(1);
    expect(await byte(`${p}xor`)).toBe(0b0110);
    expect(await redis.run('bitop', 'NOT', `${p}not`, `${p}x`)).toBe(1);
    expect(await byte(`${p}not`)).toBe(0b11110011);
    expect(await redis.run('bitop', 'DIFF', `${p}diff`, `${p}x`, `${p}y`)).toBe(1);
    expect(await byte(`${p}diff`)).toBe(0b0100);
    expect(await redis.run('bitop', 'DIFF1', `${p}diff1`, `${p}x`, `${p}y`)).toBe(1);
    expect(await byte(`${p}diff1`)).toBe(0b0010);
    expect(await redis.run('bitop', 'ANDOR', `${p}andor`, `${p}x`, `${p}y`)).toBe(1);
    expect(await byte(`${p}andor`)).toBe(0b1000);
    expect(await redis.run('bitop', 'ONE', `${p}one`, `${p}x`, `${p}y`)).toBe(1);
    expect(await byte(`${p}one`)).toBe(0b0110);
  });

  it('BITFIELD GET/SET/INCRBY with OVERFLOW, and BITFIELD_RO', async () => {
    const key = `${p}field`;
    expect(
      await redis.run('bitfield', key, [
        { SET: ['u8', 0, 200] },
        { GET: ['u8', 0] },
        { INCRBY: ['u8', 0, 100] },
        { OVERFLOW: 'SAT' },
        { INCRBY: ['u8', 0, 250] },
        { OVERFLOW: 'FAIL' },
        { INCRBY: ['u8', 0, 1] },
        { SET: ['i16', '#1', -5] },
      ]),
    ).toEqual([0, 200, 44, 255, null, 0]);
    expect(await redis.run('bitfieldRo', key, [{ GET: ['u8', 0] }, { GET: ['i16', '#1'] }])).toEqual([
      255, -5,
    ]);
    expect(await redis.run('bitfield', `${p}missing`, [{ GET: ['u4', 0] }])).toEqual([0]);
  });

  it('rejects bit commands on another type with WRONGTYPE', async () => {
    await redis.raw('RPUSH', `${p}list`, 'v');
    const err = await redis.run('getbit', `${p}list`, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toMatchObject({ code: 'WRONGTYPE' });
  });
});
