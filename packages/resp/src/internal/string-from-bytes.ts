import { isAscii } from 'node:buffer';

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
 * `utf8Slice`, whose per-call cost no longer dominates (long ASCII ones to `latin1Slice`, see
 * `ASCII_CHECK_MIN_BYTES`).
 */
export const SHORT_STRING_BYTES = 24;

const fromCharCode = String.fromCharCode;

/**
 * From this many bytes, text is checked for ASCII first (`isAscii`: SIMD, in C++) and, when it is,
 * copied as Latin-1 instead of decoded as UTF-8: the same string, 20–25 % sooner from 16 KiB up
 * (64 MiB: 33 against 44 ms). Below ~4 KiB the view the check needs costs more than it saves.
 */
export const ASCII_CHECK_MIN_BYTES = 8192;

/** The UTF-8 text of `buf[start, end)` (invalid sequences become U+FFFD, as `Buffer#toString` does). */
export function utf8Text(buf: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length <= SHORT_STRING_BYTES) {
    const text = shortAscii(buf, start, length);
    if (text !== undefined) return text;
  } else if (length >= ASCII_CHECK_MIN_BYTES && isAscii(buf.subarray(start, end))) {
    return (buf as Buffer & StringSlicer).latin1Slice(start, end);
  }
  return (buf as Buffer & StringSlicer).utf8Slice(start, end);
}

/**
 * The text of an ASCII range (numbers, error codes, type names): each byte one character, so it
 * is exact for ASCII and reads any other byte as Latin-1. Short ranges are built in JS, as above.
 */
export function asciiText(buf: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length <= SHORT_STRING_BYTES) {
    const text = shortAscii(buf, start, length);
    if (text !== undefined) return text;
  }
  return (buf as Buffer & StringSlicer).latin1Slice(start, end);
}

/**
 * The `length` (0 to 24) bytes at `s` as a string, if all are ASCII; undefined otherwise. Each byte
 * is read once, into a local that both the ASCII test and `fromCharCode` use: one call with fixed
 * arguments per length, no array, no loop (a loop testing the bytes first was a sixth of a2's time).
 */
function shortAscii(b: Buffer, s: number, length: number): string | undefined {
  switch (length) {
    case 0:
      return '';
    case 1: {
      const c0 = b[s] as number;
      return c0 < 0x80 ? fromCharCode(c0) : undefined;
    }
    case 2: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      return (c0 | c1) < 0x80 ? fromCharCode(c0, c1) : undefined;
    }
    case 3: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      return (c0 | c1 | c2) < 0x80 ? fromCharCode(c0, c1, c2) : undefined;
    }
    case 4: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      return (c0 | c1 | c2 | c3) < 0x80 ? fromCharCode(c0, c1, c2, c3) : undefined;
    }
    case 5: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      return (c0 | c1 | c2 | c3 | c4) < 0x80 ? fromCharCode(c0, c1, c2, c3, c4) : undefined;
    }
    case 6: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5) < 0x80 ? fromCharCode(c0, c1, c2, c3, c4, c5) : undefined;
    }
    case 7: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6) < 0x80 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6) : undefined;
    }
    case 8: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7)
        : undefined;
    }
    case 9: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8)
        : undefined;
    }
    case 10: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9)
        : undefined;
    }
    case 11: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
        : undefined;
    }
    case 12: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11)
        : undefined;
    }
    case 13: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12)
        : undefined;
    }
    case 14: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13)
        : undefined;
    }
    case 15: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14)
        : undefined;
    }
    case 16: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15) < 0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15)
        : undefined;
    }
    case 17: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      const c16 = b[s + 16] as number;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15 | c16) <
        0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16)
        : undefined;
    }
    case 18: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      const c16 = b[s + 16] as number;
      const c17 = b[s + 17] as number;
      return (c0 |
        c1 |
        c2 |
        c3 |
        c4 |
        c5 |
        c6 |
        c7 |
        c8 |
        c9 |
        c10 |
        c11 |
        c12 |
        c13 |
        c14 |
        c15 |
        c16 |
        c17) <
        0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17)
        : undefined;
    }
    case 19: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      const c16 = b[s + 16] as number;
      const c17 = b[s + 17] as number;
      const c18 = b[s + 18] as number;
      return (c0 |
        c1 |
        c2 |
        c3 |
        c4 |
        c5 |
        c6 |
        c7 |
        c8 |
        c9 |
        c10 |
        c11 |
        c12 |
        c13 |
        c14 |
        c15 |
        c16 |
        c17 |
        c18) <
        0x80
        ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18)
        : undefined;
    }
    case 20: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      const c16 = b[s + 16] as number;
      const c17 = b[s + 17] as number;
      const c18 = b[s + 18] as number;
      const c19 = b[s + 19] as number;
      return (c0 |
        c1 |
        c2 |
        c3 |
        c4 |
        c5 |
        c6 |
        c7 |
        c8 |
        c9 |
        c10 |
        c11 |
        c12 |
        c13 |
        c14 |
        c15 |
        c16 |
        c17 |
        c18 |
        c19) <
        0x80
        ? fromCharCode(
            c0,
            c1,
            c2,
            c3,
            c4,
            c5,
            c6,
            c7,
            c8,
            c9,
            c10,
            c11,
            c12,
            c13,
            c14,
            c15,
            c16,
            c17,
            c18,
            c19,
          )
        : undefined;
    }
    case 21: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      const c16 = b[s + 16] as number;
      const c17 = b[s + 17] as number;
      const c18 = b[s + 18] as number;
      const c19 = b[s + 19] as number;
      const c20 = b[s + 20] as number;
      return (c0 |
        c1 |
        c2 |
        c3 |
        c4 |
        c5 |
        c6 |
        c7 |
        c8 |
        c9 |
        c10 |
        c11 |
        c12 |
        c13 |
        c14 |
        c15 |
        c16 |
        c17 |
        c18 |
        c19 |
        c20) <
        0x80
        ? fromCharCode(
            c0,
            c1,
            c2,
            c3,
            c4,
            c5,
            c6,
            c7,
            c8,
            c9,
            c10,
            c11,
            c12,
            c13,
            c14,
            c15,
            c16,
            c17,
            c18,
            c19,
            c20,
          )
        : undefined;
    }
    case 22: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      const c16 = b[s + 16] as number;
      const c17 = b[s + 17] as number;
      const c18 = b[s + 18] as number;
      const c19 = b[s + 19] as number;
      const c20 = b[s + 20] as number;
      const c21 = b[s + 21] as number;
      return (c0 |
        c1 |
        c2 |
        c3 |
        c4 |
        c5 |
        c6 |
        c7 |
        c8 |
        c9 |
        c10 |
        c11 |
        c12 |
        c13 |
        c14 |
        c15 |
        c16 |
        c17 |
        c18 |
        c19 |
        c20 |
        c21) <
        0x80
        ? fromCharCode(
            c0,
            c1,
            c2,
            c3,
            c4,
            c5,
            c6,
            c7,
            c8,
            c9,
            c10,
            c11,
            c12,
            c13,
            c14,
            c15,
            c16,
            c17,
            c18,
            c19,
            c20,
            c21,
          )
        : undefined;
    }
    case 23: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      const c16 = b[s + 16] as number;
      const c17 = b[s + 17] as number;
      const c18 = b[s + 18] as number;
      const c19 = b[s + 19] as number;
      const c20 = b[s + 20] as number;
      const c21 = b[s + 21] as number;
      const c22 = b[s + 22] as number;
      return (c0 |
        c1 |
        c2 |
        c3 |
        c4 |
        c5 |
        c6 |
        c7 |
        c8 |
        c9 |
        c10 |
        c11 |
        c12 |
        c13 |
        c14 |
        c15 |
        c16 |
        c17 |
        c18 |
        c19 |
        c20 |
        c21 |
        c22) <
        0x80
        ? fromCharCode(
            c0,
            c1,
            c2,
            c3,
            c4,
            c5,
            c6,
            c7,
            c8,
            c9,
            c10,
            c11,
            c12,
            c13,
            c14,
            c15,
            c16,
            c17,
            c18,
            c19,
            c20,
            c21,
            c22,
          )
        : undefined;
    }
    case 24: {
      const c0 = b[s] as number;
      const c1 = b[s + 1] as number;
      const c2 = b[s + 2] as number;
      const c3 = b[s + 3] as number;
      const c4 = b[s + 4] as number;
      const c5 = b[s + 5] as number;
      const c6 = b[s + 6] as number;
      const c7 = b[s + 7] as number;
      const c8 = b[s + 8] as number;
      const c9 = b[s + 9] as number;
      const c10 = b[s + 10] as number;
      const c11 = b[s + 11] as number;
      const c12 = b[s + 12] as number;
      const c13 = b[s + 13] as number;
      const c14 = b[s + 14] as number;
      const c15 = b[s + 15] as number;
      const c16 = b[s + 16] as number;
      const c17 = b[s + 17] as number;
      const c18 = b[s + 18] as number;
      const c19 = b[s + 19] as number;
      const c20 = b[s + 20] as number;
      const c21 = b[s + 21] as number;
      const c22 = b[s + 22] as number;
      const c23 = b[s + 23] as number;
      return (c0 |
        c1 |
        c2 |
        c3 |
        c4 |
        c5 |
        c6 |
        c7 |
        c8 |
        c9 |
        c10 |
        c11 |
        c12 |
        c13 |
        c14 |
        c15 |
        c16 |
        c17 |
        c18 |
        c19 |
        c20 |
        c21 |
        c22 |
        c23) <
        0x80
        ? fromCharCode(
            c0,
            c1,
            c2,
            c3,
            c4,
            c5,
            c6,
            c7,
            c8,
            c9,
            c10,
            c11,
            c12,
            c13,
            c14,
            c15,
            c16,
            c17,
            c18,
            c19,
            c20,
            c21,
            c22,
            c23,
          )
        : undefined;
    }
    default:
      return undefined;
  }
}
