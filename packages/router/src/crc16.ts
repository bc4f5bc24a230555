/**
 * CRC16-XMODEM (polynomial 0x1021, initial value 0, no reflection), the checksum Redis Cluster
 * hashes keys with. Table-driven, one byte per step; the algorithm is the one the Redis Cluster
 * specification gives ("Keys distribution model", reference value: CRC16 of `123456789` is 0x31C3).
 */

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
}

/** Folds one byte into a running CRC. */
function step(crc: number, byte: number): number {
  return ((crc << 8) ^ (TABLE[((crc >>> 8) ^ byte) & 0xff] as number)) & 0xffff;
}

/** CRC16-XMODEM of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = step(crc, bytes[i] as number);
  return crc;
}

/**
 * CRC16-XMODEM of the UTF-8 bytes of `text[start, end)`, without encoding it first when it is
 * ASCII (the common case for keys); other text is encoded once.
 */
export function crc16OfString(text: string, start = 0, end = text.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return crc16(Buffer.from(text.slice(start, end), 'utf8'));
    crc = step(crc, code);
  }
  return crc;
}
