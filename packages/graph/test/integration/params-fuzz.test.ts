import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, type GraphParamValue, type GraphRecord } from '../../src/index.js';
import type { SocketExecutor } from '../support/socket-executor.js';
import { openExecutor, uniqueGraphName } from './falkordb.js';

// FC_NUM_RUNS scales the runs (300 strings, 200 values at the default 100); FC_SEED replays a failure.
const { base, runs } = fastCheckRuns(100);

let executor: SocketExecutor;
let graph: Graph;

beforeAll(async () => {
  executor = await openExecutor();
  graph = new Graph(executor, uniqueGraphName('params'));
});

afterAll(async () => {
  await graph.delete().catch(() => {});
  await executor.close();
});

// FalkorDB strings are C strings: NUL is refused before sending (see params.ts).
const noNul = (s: string) => !s.includes('\0');

// The server prints doubles with 15 significant digits ("%.15g"): that is what comes back.
function asServerSends(v: unknown): unknown {
  // An integral double goes as a Cypher integer; past 2^53 it comes back as an exact bigint.
  // From 2^63 on it goes as a float (it would overflow int64).
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63) {
    return Number.isSafeInteger(v) ? v : BigInt(v);
  }
  if (typeof v === 'number') return printf15g(v);
  if (Array.isArray(v)) return v.map(asServerSends);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asServerSends(x)]));
  }
  return v;
}

/**
 * `%.15g` as C's printf does it: to 15 significant digits, an exact tie to the even digit. JS's
 * `toPrecision(15)` takes a tie away from zero instead: -361732314075080.5 (exactly halfway, a
 * double holds it) prints as ...080 from the server, ...081 from `toPrecision`.
 */
function printf15g(v: number): number {
  const digits = Math.abs(v).toExponential(99); // the exact value, 100 significant digits
  const mantissa = digits.slice(0, 16).replace('.', ''); // 15 digits
  const tie = digits[16] === '5' && /^0*e/.test(digits.slice(17));
  const lastEven = Number(mantissa.at(-1)) % 2 === 0;
  if (!tie || !lastEven) return Number(v.toPrecision(15));
  const truncated = Number(`${digits.slice(0, 16)}${digits.slice(digits.indexOf('e'))}`);
  return v < 0 ? -truncated : truncated;
}

async function roundTrip(p: GraphParamValue): Promise<unknown> {
  const { rows } = await graph.query('RETURN $p AS p', { params: { p } });
  return (rows[0] as GraphRecord).p;
}

describe('query parameters against the real parser', () => {
  it('round-trips random strings exactly through RETURN $p (any unicode, quotes, backslashes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 64 }).filter(noNul), async (s) => {
        expect(await roundTrip(s)).toBe(s);
      }),
      runs(base * 3),
    );
  });

  it('cannot be broken out of by hostile strings', async () => {
    const hostile = ['"', '\\', '\\"', '" RETURN 1 //', "' OR 1=1", '\n}\n', '$p', '`', '\\u0041', '"\\'];
    for (const s of hostile) expect(await roundTrip(s)).toBe(s);
    expect(await roundTrip(hostile)).toEqual(hostile);
  });

  it('round-trips integers, doubles, booleans, null, nested arrays and maps', async () => {
    const leaf = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 8 }).filter(noNul),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/), tie('v'), {
          maxKeys: 3,
          noNullPrototype: true,
        }),
      ),
    })).v;
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        const back = await roundTrip(v as GraphParamValue);
        expect(back).toEqual(asServerSends(v));
      }),
      runs(base * 2),
    );
  });

  it('sends int64 extremes and bigints exactly', async () => {
    expect(await roundTrip(9223372036854775807n)).toBe(9223372036854775807n);
    expect(await roundTrip(-9223372036854775808n)).toBe(-9223372036854775808n);
    expect(await roundTrip(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(await roundTrip(0.1 + 0.2)).toBe(0.3);
    expect(await roundTrip(-0)).toBe(-0);
  });

  it('gets doubles exactly halfway at 15 digits back rounded to even, as the server prints them', async () => {
    expect(await roundTrip(-361732314075080.5)).toBe(-361732314075080); // toPrecision(15): ...081
    expect(await roundTrip(123456789012344.5)).toBe(123456789012344);
    expect(await roundTrip(123456789012345.5)).toBe(123456789012346);
  });
});
