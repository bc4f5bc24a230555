import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastDouble } from '../../src/internal/fast-double.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

/** C's "%.15g" for finite doubles, as FalkorDB prints them. */
function percentG15(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(15)))));
  if (exp < -4 || exp >= 15) {
    const [m, e] = x.toExponential(14).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, 14 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

describe('fastDouble (decimal text → double without a string)', () => {
  it('gives exactly Number(text) for every %.15g plain decimal, or declines', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = percentG15(x);
        const fast = fastDouble(bytes(text), 0, text.length);
        if (fast !== undefined) expect(Object.is(fast, Number(text)), text).toBe(true);
        else expect(text).toMatch(/e/);
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives exactly Number(text) for random digit strings, or declines', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?[0-9]{1,20}(\.[0-9]{0,20})?$/), (text) => {
        const fast = fastDouble(bytes(text), 0, text.length);
        if (fast !== undefined) expect(Object.is(fast, Number(text)), text).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('declines exponents, inf, nan and malformed text', () => {
    for (const text of ['1e+300', 'inf', '-inf', 'nan', '-nan', '', '-', '.', '-.', '1.2.3', '1-2']) {
      expect(fastDouble(bytes(text), 0, text.length), text).toBeUndefined();
    }
    expect(Object.is(fastDouble(bytes('-0'), 0, 2), -0)).toBe(true);
    expect(fastDouble(bytes('x12.5y'), 1, 5)).toBe(12.5);
  });
});
