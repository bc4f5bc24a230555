import { InvalidArgumentError } from '@fusedis/resp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16, crc16OfString, keySlot, SLOT_COUNT } from '../../src/slot.js';

describe('crc16', () => {
  it('matches the cluster specification reference value: 123456789 → 0x31C3', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(crc16OfString('123456789')).toBe(0x31c3);
  });

  it('hashes a string as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(crc16OfString(text)).toBe(crc16(Buffer.from(text, 'utf8')));
      }),
    );
  });
});

describe('keySlot', () => {
  it('refuses a key that is not one (undefined, null, an object from JavaScript) with InvalidArgumentError', () => {
    for (const bad of [undefined, null, {}, Symbol('k'), true]) {
      expect(() => keySlot(bad as never)).toThrow(InvalidArgumentError);
    }
    expect(() => keySlot(null as never)).toThrow('a key is a string, number, bigint or Uint8Array, not null');
  });

  it('puts keys sharing a hash tag in one slot', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
  });

  it('hashes the whole key when the tag is empty or unclosed', () => {
    expect(keySlot('foo{}{bar}')).toBe(crc16OfString('foo{}{bar}') % SLOT_COUNT);
    expect(keySlot('foo{bar')).toBe(crc16OfString('foo{bar') % SLOT_COUNT);
  });

  it('uses the first tag only: foo{{bar}}zap hashes "{bar"', () => {
    expect(keySlot('foo{{bar}}zap')).toBe(crc16OfString('{bar') % SLOT_COUNT);
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
  });

  it('gives strings, their bytes and numbers the same slot', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(keySlot(Buffer.from(text, 'utf8'))).toBe(keySlot(text));
      }),
    );
    expect(keySlot(12345)).toBe(keySlot('12345'));
    expect(keySlot(12345n)).toBe(keySlot('12345'));
  });

  it('stays within 0..16383', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const slot = keySlot(bytes);
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(slot).toBeLessThan(SLOT_COUNT);
      }),
    );
  });
});
