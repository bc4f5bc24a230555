/**
 * UTF-8 for short strings in JS, with exactly `Buffer.from(text, 'utf8')`'s results: a surrogate
 * pair becomes one 4-byte character and a lone surrogate becomes U+FFFD (3 bytes). For a few dozen
 * characters a JS loop beats the native `byteLength` / `utf8Write` calls, whose cost is mostly the
 * call itself (measured: 10–20% on a `SET` with a short UTF-8 value).
 */

/** UTF-8 byte length of `text`, as `Buffer.byteLength(text, 'utf8')` computes it. */
export function utf8Length(text: string): number {
  const n = text.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if ((c & 0xfc00) === 0xd800 && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 2 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Writes `text` as UTF-8 at `p` (room for `utf8Length(text)` bytes is the caller's) and returns the end. */
export function writeUtf8(buf: Uint8Array, p: number, text: string): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[p++] = c;
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      if ((c & 0xf800) === 0xd800) {
        // A surrogate: a high one followed by a low one is a pair; anything else is lone.
        const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (c < 0xdc00 && (next & 0xfc00) === 0xdc00) {
          const code = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          buf[p++] = 0xf0 | (code >> 18);
          buf[p++] = 0x80 | ((code >> 12) & 0x3f);
          buf[p++] = 0x80 | ((code >> 6) & 0x3f);
          buf[p++] = 0x80 | (code & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd;
      }
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}
