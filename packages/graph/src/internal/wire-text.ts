/** Buffer's own slice-to-string methods: what `toString(encoding, start, end)` calls after its checks. */
interface StringSlicer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

const fromCharCode = String.fromCharCode;

// A native slice costs ~100 ns a call (measured in @fusedis/resp); short ASCII strings (most
// property values, every double) are cheaper built in JS with fixed-arity fromCharCode calls.
const SHORT = 16;

/** UTF-8 text of `b[s, e)`; invalid sequences become U+FFFD, as `Buffer#toString` does. */
export function utf8(b: Buffer, s: number, e: number): string {
  if (e - s <= SHORT) {
    let high = 0;
    for (let i = s; i < e; i++) high |= b[i] as number;
    if (high < 0x80) return ascii(b, s, e);
  }
  return (b as Buffer & StringSlicer).utf8Slice(s, e);
}

/** Text of an ASCII range (numbers); exact for the bytes the RESP grammar allows there. */
export function ascii(b: Buffer, s: number, e: number): string {
  // Fixed-arity calls, no closure and no array: one flat one-byte string.
  switch (e - s) {
    case 0:
      return '';
    case 1:
      return fromCharCode(b[s] as number);
    case 2:
      return fromCharCode(b[s] as number, b[s + 1] as number);
    case 3:
      return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number);
    case 4:
      return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number);
    case 5:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
      );
    case 6:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
      );
    case 7:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
      );
    case 8:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
      );
    case 9:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
      );
    case 10:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
      );
    case 11:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
      );
    case 12:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
      );
    case 13:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
        b[s + 12] as number,
      );
    case 14:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
        b[s + 12] as number,
        b[s + 13] as number,
      );
    case 15:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
        b[s + 12] as number,
        b[s + 13] as number,
        b[s + 14] as number,
      );
    case 16:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
        b[s + 12] as number,
        b[s + 13] as number,
        b[s + 14] as number,
        b[s + 15] as number,
      );
    default:
      return (b as Buffer & StringSlicer).latin1Slice(s, e);
  }
}
