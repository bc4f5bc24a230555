import type { RespLimits, RespProtocolErrorReason } from '@fusedis/resp';
import { type Wire, wire } from './fixtures.js';

/**
 * A byte stream that breaks the grammar or a limit, and the exact reason every decoder and
 * `frameLength` must give for it. Each is a whole frame (its lines end in CRLF), so the
 * violation is certain once all of it has arrived, whatever the chunking.
 */
export interface HostileCase {
  readonly name: string;
  readonly bytes: Buffer;
  readonly reason: RespProtocolErrorReason;
  /** Limits to decode with (the defaults when absent). */
  readonly limits: Partial<RespLimits> | undefined;
}

const cases: HostileCase[] = [];

function hostile(
  name: string,
  bytes: Wire,
  reason: RespProtocolErrorReason,
  limits?: Partial<RespLimits>,
): void {
  cases.push({ name, bytes: wire(bytes), reason, limits });
}

/** `depth` nested one-element aggregates around `:1`. */
export function deepArrays(depth: number): Buffer {
  return Buffer.from(`${'*1\r\n'.repeat(depth)}:1\r\n`, 'latin1');
}

// Element counts: refused at the header, before anything is allocated.
hostile('array of 2^31-1 elements', '*2147483647\r\n', 'too-many-elements');
hostile('array of 2^32 elements', '*4294967296\r\n', 'too-many-elements');
hostile('array one past the limit', '*16777217\r\n', 'too-many-elements');
hostile('map of 2^31-1 entries', '%2147483647\r\n', 'too-many-elements');
hostile('map one entry past the limit', '%16777217\r\n', 'too-many-elements');
hostile('set of 2^32 elements', '~4294967296\r\n', 'too-many-elements');
hostile('push of 2^31-1 elements', '>2147483647\r\n', 'too-many-elements');
hostile('attribute of 2^31-1 entries', '|2147483647\r\n', 'too-many-elements');
hostile('nested array past the limit', '*2\r\n:1\r\n*4294967296\r\n', 'too-many-elements');
hostile('array past a custom maxElements', '*11\r\n', 'too-many-elements', { maxElements: 10 });
hostile('map past a custom maxElements', '%11\r\n', 'too-many-elements', { maxElements: 10 });

// Lengths.
hostile('bulk length -2', '$-2\r\n', 'invalid-length');
hostile('array length -2', '*-2\r\n', 'invalid-length');
hostile('bulk length -0', '$-0\r\n', 'invalid-length');
hostile('non-numeric bulk length', '$abc\r\n', 'invalid-length');
hostile('empty bulk length', '$\r\n', 'invalid-length');
hostile('bulk length with trailing junk', '$1x\r\n', 'invalid-length');
hostile('bulk length with a space', '$ 3\r\n', 'invalid-length');
hostile('null array length with trailing junk', '*-1x\r\n', 'invalid-length');
hostile('null map', '%-1\r\n', 'invalid-length');
hostile('16-digit array length', '*1000000000000000\r\n', 'invalid-length');
hostile('bulk over maxReplyBytes', '$536870913\r\n', 'reply-too-large');
hostile('bulk error over maxReplyBytes', '!536870913\r\n', 'reply-too-large');
hostile('bulk over a custom maxReplyBytes', '$65\r\n', 'reply-too-large', { maxReplyBytes: 64 });
hostile('streamed bulk string', '$?\r\n', 'unsupported-streamed');
hostile('streamed array', '*?\r\n', 'unsupported-streamed');
hostile('streamed map', '%?\r\n', 'unsupported-streamed');

// Depth.
hostile('depth 513', deepArrays(513), 'too-deep');
hostile('depth 200,000', deepArrays(200_000), 'too-deep');
hostile(
  'depth of mixed aggregates past a custom maxDepth',
  '*1\r\n~1\r\n%1\r\n+k\r\n>1\r\n:1\r\n',
  'too-deep',
  { maxDepth: 3 },
);
hostile('an empty aggregate still counts as a level', '*1\r\n*1\r\n*0\r\n', 'too-deep', { maxDepth: 2 });
hostile('an attribute counts as a level', '|1\r\n+a\r\n*1\r\n*1\r\n:1\r\n+OK\r\n', 'too-deep', {
  maxDepth: 2,
});

// Big numbers.
hostile('big number of 10,001 digits', `(${'9'.repeat(10_001)}\r\n`, 'big-number-too-long');
hostile('signed big number of 10,001 characters', `(-${'9'.repeat(10_000)}\r\n`, 'big-number-too-long');
hostile('big number past a custom maxBigNumberLength', '(-12345\r\n', 'big-number-too-long', {
  maxBigNumberLength: 5,
});
hostile('big number with a letter', '(12a\r\n', 'invalid-big-number');
hostile('empty big number', '(\r\n', 'invalid-big-number');
hostile('big number of a sign alone', '(-\r\n', 'invalid-big-number');
hostile('big number with a fraction', '(1.5\r\n', 'invalid-big-number');

// Type bytes.
hostile("type byte '?'", '?\r\n', 'invalid-type');
hostile("type byte '@'", '@\r\n', 'invalid-type');
hostile("type byte 'x'", 'x\r\n', 'invalid-type');
hostile('type byte NUL', '\u0000\r\n', 'invalid-type');
hostile('type byte CR', '\r\n', 'invalid-type');
hostile('bad type byte inside an array', '*2\r\n:1\r\n@\r\n', 'invalid-type');

// Line ends.
hostile('bulk body not followed by CRLF', '$3\r\nfooXY', 'expected-crlf');
hostile('bulk body followed by CR and junk', '$3\r\nfoo\rX', 'expected-crlf');
hostile('bare LF after a simple string', '+OK\n', 'expected-crlf');
hostile('bare LF after an integer', ':1\n', 'expected-crlf');
hostile('bare LF after an array header', '*1\n', 'expected-crlf');
hostile('CR followed by junk', '+OK\rX\r\n', 'expected-crlf');
hostile('null with content', '_x\r\n', 'expected-crlf');

// Scalar grammar.
hostile('integer with a letter', ':12a\r\n', 'invalid-integer');
hostile('empty integer', ':\r\n', 'invalid-integer');
hostile('integer of a sign alone', ':-\r\n', 'invalid-integer');
hostile('integer with a fraction', ':1.5\r\n', 'invalid-integer');
hostile('integer with a space', ': 1\r\n', 'invalid-integer');
hostile('double of letters', ',abc\r\n', 'invalid-double');
hostile('empty double', ',\r\n', 'invalid-double');
hostile('double with two points', ',1.2.3\r\n', 'invalid-double');
hostile('double without digits before its exponent', ',e5\r\n', 'invalid-double');
hostile('double with an empty exponent', ',1e\r\n', 'invalid-double');
hostile('double infinity spelled out', ',infinity\r\n', 'invalid-double');
hostile('boolean x', '#x\r\n', 'invalid-boolean');
hostile('empty boolean', '#\r\n', 'invalid-boolean');
hostile('boolean of two letters', '#tt\r\n', 'invalid-boolean');
hostile('verbatim string without a prefix', '=3\r\nabc\r\n', 'invalid-verbatim');
hostile('verbatim string with a bad separator', '=5\r\ntxt-a\r\n', 'invalid-verbatim');
hostile('empty verbatim string', '=0\r\n\r\n', 'invalid-verbatim');

/** Every hostile case. */
export const HOSTILE_CASES: readonly HostileCase[] = cases;
