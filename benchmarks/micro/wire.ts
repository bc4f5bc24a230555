/** Small RESP payloads for the micro-benchmarks, built by hand (not by the encoder under test). */

export const CRLF = '\r\n';

export function bulk(s: string): string {
  return `$${Buffer.byteLength(s)}${CRLF}${s}${CRLF}`;
}

/** `*n` of `n` bulk strings made by `value(i)`. */
export function arrayOf(n: number, value: (i: number) => string): Buffer {
  let text = `*${n}${CRLF}`;
  for (let i = 0; i < n; i++) text += bulk(value(i));
  return Buffer.from(text, 'utf8');
}

/** `%n` of `n` bulk key → bulk value entries. */
export function mapOf(n: number): Buffer {
  let text = `%${n}${CRLF}`;
  for (let i = 0; i < n; i++) text += bulk(`field:${String(i).padStart(6, '0')}`) + bulk(`value-${i}`);
  return Buffer.from(text, 'utf8');
}

/** One bulk string of `bytes` ASCII bytes. */
export function bigBulk(bytes: number): Buffer {
  return Buffer.from(bulk('x'.repeat(bytes)), 'latin1');
}
