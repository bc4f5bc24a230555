// The `@fusedis/router/slot` entry point: CRC16 and key slots, usable without the rest.
export { crc16, crc16OfString } from './crc16.js';
export { keySlot, SLOT_COUNT, type SlotKey } from './key-slot.js';
