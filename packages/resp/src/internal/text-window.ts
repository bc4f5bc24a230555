import { isAscii } from 'node:buffer';

/** Buffer's own slice-to-string methods: what `toString(encoding, start, end)` calls after its checks. */
interface StringSlicer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/**
 * Turns byte ranges of one buffer into strings, cheaply.
 *
 * Creating a string per value from native code (`utf8Slice`) costs about 100 ns each, which is
 * most of the decode time for replies of many short strings. Instead the bytes around the value
 * are turned into one latin1 string — when they are all ASCII, latin1 and UTF-8 agree — and
 * each value is cut from it with `String#slice`, which stays in JS. The window is bounded
 * (`WINDOW_BYTES`) so a value kept by the caller pins at most that much memory, like a Buffer
 * view pins its socket chunk. Bytes that are not ASCII fall back to `utf8Slice`.
 */
const WINDOW_BYTES = 64 * 1024;
/** Values longer than this are decoded on their own: the per-call cost no longer matters. */
const LONG_VALUE = 2048;
/** Below this many bytes ahead, building a window costs more than it saves. */
const MIN_WINDOW = 256;

let windowOf: Uint8Array | undefined;
let windowStart = 0;
let windowEnd = -1;
let windowAscii = false;
let windowText = '';

/** Forgets the window: the next string is cut from a fresh one. Call when bytes may have changed. */
export function resetTextWindow(): void {
  windowOf = undefined;
  windowEnd = -1;
  windowText = '';
}

/** The UTF-8 text of `buf[start, end)`; `limit` is how far the window may reach. */
export function utf8Text(buf: Buffer, start: number, end: number, limit: number): string {
  if (end - start <= LONG_VALUE) {
    if (start < windowStart || end > windowEnd || buf !== windowOf) fillWindow(buf, start, limit);
    if (windowAscii) return windowText.slice(start - windowStart, end - windowStart);
  }
  return (buf as Buffer & StringSlicer).utf8Slice(start, end);
}

function fillWindow(buf: Buffer, start: number, limit: number): void {
  windowOf = buf;
  windowStart = start;
  windowEnd = Math.min(limit, start + WINDOW_BYTES);
  windowAscii = windowEnd - start >= MIN_WINDOW && isAscii(buf.subarray(start, windowEnd));
  windowText = windowAscii ? (buf as Buffer & StringSlicer).latin1Slice(start, windowEnd) : '';
}

/** Latin1 text of a short ASCII range (numbers, error codes): exact for the bytes the grammar allows there. */
export function asciiText(buf: Buffer, start: number, end: number): string {
  return (buf as Buffer & StringSlicer).latin1Slice(start, end);
}

/** UTF-8 text of a range, always decoded on its own (error messages: rare, and must not pin a window). */
export function standaloneUtf8(buf: Buffer, start: number, end: number): string {
  return (buf as Buffer & StringSlicer).utf8Slice(start, end);
}
