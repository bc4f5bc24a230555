import { InvalidArgumentError } from '@fusedis/resp';
import { crc16, crc16OfString } from './crc16.js';

/** Redis Cluster's slot count: a key lives in slot `CRC16(key) mod 16384`. */
export const SLOT_COUNT = 16384;

const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }

/** A key as commands take it: text (hashed as UTF-8), bytes, or a number (hashed as its decimal text). */
export type SlotKey = string | number | bigint | Uint8Array;

/**
 * The cluster slot of `key`, honouring hash tags: when the key has a `{` followed later by a `}`
 * with at least one byte between them, only the bytes between the first `{` and the first `}`
 * after it are hashed, so `{user1}.name` and `{user1}.age` share a slot.
 */
export function keySlot(key: SlotKey): number {
  if (typeof key === 'string') return stringSlot(key);
  if (typeof key === 'number' || typeof key === 'bigint') return stringSlot(String(key));
  if (key instanceof Uint8Array) return bytesSlot(key);
  // From JavaScript (or past a cast), `undefined` and the like: refused as the encoder would.
  throw new InvalidArgumentError(
    `a key is a string, number, bigint or Uint8Array, not ${key === null ? 'null' : typeof key}`,
  );
}

function stringSlot(key: string): number {
  // Braces are ASCII, so their UTF-16 positions bound the same bytes as their UTF-8 positions.
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16OfString(key, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16OfString(key) & (SLOT_COUNT - 1);
}

function bytesSlot(key: Uint8Array): number {
  const open = key.indexOf(OPEN_BRACE);
  if (open !== -1) {
    const close = key.indexOf(CLOSE_BRACE, open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(key) & (SLOT_COUNT - 1);
}
