const MINUS = 0x2d;
const DOT = 0x2e;
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Plain decimal text (`-12.375`, no exponent) parsed without making a string: the digits as one
 * integer M and the count k of fraction digits. While M < 2^53 and k ≤ 22 both are exact doubles,
 * so M / 10^k is one correctly rounded division, the same double `Number(text)` gives (Clinger's
 * fast path). The server's `%.15g` never has more than 15 significant digits, so this covers
 * every double but exponent forms and inf/nan, which return undefined.
 */
export function fastDouble(b: Buffer, start: number, end: number): number | undefined {
  let i = start;
  const negative = b[i] === MINUS;
  if (negative) i++;
  let m = 0;
  let k = -1;
  let digits = 0;
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c === DOT && k === -1) k = 0;
    else if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (k !== -1) k++;
    } else return undefined;
  }
  if (digits === 0 || m > 9007199254740991 || k > 22) return undefined;
  const value = k <= 0 ? m : m / (POWERS_OF_TEN[k] as number);
  return negative ? -value : value;
}
