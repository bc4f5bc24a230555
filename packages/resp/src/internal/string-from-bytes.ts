/** Buffer's own slice-to-string methods: what `toString(encoding, start, end)` calls after its checks. */
interface StringSlicer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/**
 * Strings from byte ranges: the costliest step of decoding replies of many short values.
 *
 * Creating a string in native code (`utf8Slice`) costs about 100 ns a call, most of it the
 * crossing. Short ASCII values (most keys, ids, counters, flags) are built in JS instead:
 * `String.fromCharCode` with the bytes as arguments makes a flat one-byte string that shares no
 * parent, so a kept value pins no buffer or window. Longer and non-ASCII values go to
 * `utf8Slice`, whose per-call cost no longer dominates.
 */
export const SHORT_STRING_BYTES = 24;

const fromCharCode = String.fromCharCode;

/** The UTF-8 text of `buf[start, end)` (invalid sequences become U+FFFD, as `Buffer#toString` does). */
export function utf8Text(buf: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length <= SHORT_STRING_BYTES) {
    let high = 0;
    for (let i = start; i < end; i++) high |= buf[i] as number;
    if (high < 0x80) return shortAscii(buf, start, length);
  }
  return (buf as Buffer & StringSlicer).utf8Slice(start, end);
}

/**
 * The text of an ASCII range (numbers, error codes, type names): each byte one character, so it
 * is exact for ASCII and reads any other byte as Latin-1. Short ranges are built in JS, as above.
 */
export function asciiText(buf: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length <= SHORT_STRING_BYTES) return shortAscii(buf, start, length);
  return (buf as Buffer & StringSlicer).latin1Slice(start, end);
}

/** `length` (0 to 24) ASCII bytes at `s`. One call with fixed arguments per length: no array, no loop. */
function shortAscii(b: Buffer, s: number, length: number): string {
  switch (length) {
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
    case 17:
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
        b[s + 16] as number,
      );
    case 18:
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
        b[s + 16] as number,
        b[s + 17] as number,
      );
    case 19:
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
        b[s + 16] as number,
        b[s + 17] as number,
        b[s + 18] as number,
      );
    case 20:
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
        b[s + 16] as number,
        b[s + 17] as number,
        b[s + 18] as number,
        b[s + 19] as number,
      );
    case 21:
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
        b[s + 16] as number,
        b[s + 17] as number,
        b[s + 18] as number,
        b[s + 19] as number,
        b[s + 20] as number,
      );
    case 22:
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
        b[s + 16] as number,
        b[s + 17] as number,
        b[s + 18] as number,
        b[s + 19] as number,
        b[s + 20] as number,
        b[s + 21] as number,
      );
    case 23:
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
        b[s + 16] as number,
        b[s + 17] as number,
        b[s + 18] as number,
        b[s + 19] as number,
        b[s + 20] as number,
        b[s + 21] as number,
        b[s + 22] as number,
      );
    case 24:
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
        b[s + 16] as number,
        b[s + 17] as number,
        b[s + 18] as number,
        b[s + 19] as number,
        b[s + 20] as number,
        b[s + 21] as number,
        b[s + 22] as number,
        b[s + 23] as number,
      );
    default:
      return '';
  }
}
