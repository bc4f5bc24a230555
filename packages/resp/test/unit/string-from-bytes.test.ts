import { describe, expect, it } from 'vitest';
import { asciiText, utf8Text } from '../../src/index.js';
import { ASCII_CHECK_MIN_BYTES } from '../../src/internal/string-from-bytes.js';

/** `length` ASCII bytes at offset 3 of a larger buffer, with `byte` written at `at` (if any). */
function bytes(length: number, at = -1, byte = 0): Buffer {
  const buf = Buffer.alloc(length + 6, 0x2a);
  for (let i = 0; i < length; i++) buf[3 + i] = 0x61 + (i % 26);
  if (at >= 0) buf[3 + at] = byte;
  return buf;
}

describe('strings from bytes', () => {
  it('match Buffer#toString for every short length, ASCII or not at any position', () => {
    for (let length = 0; length <= 40; length++) {
      const plain = bytes(length);
      expect(utf8Text(plain, 3, 3 + length)).toBe(plain.toString('utf8', 3, 3 + length));
      expect(asciiText(plain, 3, 3 + length)).toBe(plain.toString('latin1', 3, 3 + length));
      for (let at = 0; at < length; at++) {
        for (const byte of [0x80, 0xc3, 0xff]) {
          const buf = bytes(length, at, byte);
          expect(utf8Text(buf, 3, 3 + length)).toBe(buf.toString('utf8', 3, 3 + length));
          expect(asciiText(buf, 3, 3 + length)).toBe(buf.toString('latin1', 3, 3 + length));
        }
      }
    }
  });

  it('decode multi-byte UTF-8 in short values', () => {
    for (const text of ['é', 'ü-ñ', 'naïve café', '日本語', '😀x', `${'a'.repeat(20)}é`]) {
      const buf = Buffer.from(`**${text}**`);
      expect(utf8Text(buf, 2, buf.length - 2)).toBe(text);
    }
  });

  it('match Buffer#toString for long values around the ASCII check, a non-ASCII byte anywhere', () => {
    const n = ASCII_CHECK_MIN_BYTES;
    for (const length of [n - 1, n, n + 1, 4 * n + 3]) {
      const plain = bytes(length);
      expect(utf8Text(plain, 3, 3 + length)).toBe(plain.toString('utf8', 3, 3 + length));
      // First, middle and last byte: a continuation byte alone, a lead byte cut short, a byte never valid.
      for (const at of [0, length >> 1, length - 1]) {
        for (const byte of [0x80, 0xc3, 0xff]) {
          const buf = bytes(length, at, byte);
          const text = utf8Text(buf, 3, 3 + length);
          expect(text).toBe(buf.toString('utf8', 3, 3 + length));
          expect(text).toContain('\ufffd');
        }
      }
    }
  });

  it('decode multi-byte UTF-8 in long values, and the bytes around the range stay out', () => {
    const text = `${'x'.repeat(ASCII_CHECK_MIN_BYTES)}naïve café 日本語 😀`;
    const buf = Buffer.from(`\u00ff${text}\u00ff`);
    const start = Buffer.byteLength('\u00ff');
    expect(utf8Text(buf, start, buf.length - start)).toBe(text);
    const ascii = Buffer.from(`\u00ff${'y'.repeat(2 * ASCII_CHECK_MIN_BYTES)}\u00ff`);
    expect(utf8Text(ascii, start, ascii.length - start)).toBe('y'.repeat(2 * ASCII_CHECK_MIN_BYTES));
  });
});
