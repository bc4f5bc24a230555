export { crc16, crc16OfString } from './crc16.js';
export { keySlot, SLOT_COUNT, type SlotKey } from './key-slot.js';
