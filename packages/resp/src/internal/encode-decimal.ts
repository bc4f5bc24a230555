/**
 * Decimal digits for the encoder's `*N` and `$len` headers and small integer arguments, written
 * byte by byte: cheaper than making a string with `String(n)` and copying it.
 */
const CR = 0x0d; // \r
const LF = 0x0a; // \n
const ZERO = 0x30; // 0

/** Number of decimal digits of the non-negative integer `n` (< 2^53). */
export function decimalLength(n: number): number {
  if (n < 10) return 1;
  if (n < 100) return 2;
  if (n < 1000) return 3;
  let digits = 4;
  for (let limit = 10_000; n >= limit; limit *= 10) digits++;
  return digits;
}

/** Writes the `digits` decimal digits of the non-negative integer `n` (< 2^53) at `p`, last digit first. */
export function writeDigits(buf: Uint8Array, p: number, digits: number, n: number): void {
  for (let i = p + digits - 1; i >= p; i--) {
    const q = Math.floor(n / 10); // exact below 2^53
    buf[i] = ZERO + (n - q * 10);
    n = q;
  }
}

/**
 * Writes `<type><n>\r\n` (e.g. `$12\r\n`) at `p` and returns the offset after it. Lengths under 100,
 * nearly all of them, take no loop and no division.
 */
export function writeHeader(buf: Uint8Array, p: number, type: number, n: number): number {
  buf[p] = type;
  if (n < 10) {
    buf[p + 1] = ZERO + n;
    p += 2;
  } else if (n < 100) {
    const tens = (n * 205) >> 11; // n / 10 for 0 <= n < 1029
    buf[p + 1] = ZERO + tens;
    buf[p + 2] = ZERO + n - tens * 10;
    p += 3;
  } else {
    const digits = decimalLength(n);
    writeDigits(buf, p + 1, digits, n);
    p += 1 + digits;
  }
  buf[p] = CR;
  buf[p + 1] = LF;
  return p + 2;
}
