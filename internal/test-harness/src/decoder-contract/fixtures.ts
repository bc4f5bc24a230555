import { type DecodeOptionsInput, ReplyError } from '@fusedis/resp';
import { obj } from './canonical.js';
import type { DecodeEvent } from './decode-all.js';

/*
 * Named decoder fixtures: readable wire text (or bytes) and the exact sink calls it must cause.
 * Each entry of `frames` is one top-level frame (a reply or push with its attributes), so
 * `frameLength` can be checked on the same fixtures.
 */

/** Wire bytes as readable text (UTF-8 encoded) or as raw bytes. */
export type Wire = string | Uint8Array;

/** One fixture: a byte stream and what decoding it yields. */
export interface DecoderFixture {
  readonly name: string;
  /** The bytes of each top-level frame, in order. */
  readonly frames: readonly Buffer[];
  /** All frames, concatenated. */
  readonly bytes: Buffer;
  /** Decode options (limits included) the fixture is decoded with. */
  readonly options: DecodeOptionsInput | undefined;
  /** Expected sink calls, in order (attributes only appear with `attributes: 'sink'`). */
  readonly events: readonly DecodeEvent[];
}

/** A reply event. */
export const reply = (value: unknown): DecodeEvent => ({ kind: 'reply', value });
/** A push event. */
export const push = (value: unknown[]): DecodeEvent => ({ kind: 'push', value });
/** An attribute event. */
export const attribute = (value: unknown): DecodeEvent => ({ kind: 'attribute', value });

/** Joins text (UTF-8) and byte parts into one wire buffer. */
export function wire(...parts: Wire[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

/** A bulk-framed value (`$` by default) with its byte length computed: `bulk('héllo')`. */
export function bulk(content: Wire, type = '$'): Buffer {
  const body = wire(content);
  return wire(`${type}${body.length}\r\n`, body, '\r\n');
}

/** Bytes that are not valid UTF-8, mixed with valid sequences (a truncated emoji at the end). */
export const INVALID_UTF8 = Buffer.from([
  0x61, 0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xf0,
  0x9f, 0x98,
]);
/** Every byte value once. */
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const fixtures: DecoderFixture[] = [];

function fixture(
  name: string,
  frames: Wire | readonly Wire[],
  events: DecodeEvent | readonly DecodeEvent[],
  options?: DecodeOptionsInput,
): void {
  const list = (Array.isArray(frames) ? frames : [frames]).map((frame: Wire) => wire(frame));
  const expected = Array.isArray(events) ? (events as readonly DecodeEvent[]) : [events as DecodeEvent];
  fixtures.push({ name, frames: list, bytes: Buffer.concat(list), options, events: expected });
}

const buffer: DecodeOptionsInput = { strings: 'buffer' };
const sinkAttributes: DecodeOptionsInput = { attributes: 'sink' };
const B = (text: string) => Buffer.from(text, 'utf8');
const SPEC_ATTRIBUTE = '|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n';

// Strings and nulls.
fixture('simple string', '+OK\r\n', reply('OK'));
fixture('empty simple string', '+\r\n', reply(''));
fixture('simple string with UTF-8', '+héllo wörld ✓\r\n', reply('héllo wörld ✓'));
fixture('bulk string', '$3\r\nfoo\r\n', reply('foo'));
fixture('empty bulk string', '$0\r\n\r\n', reply(''));
fixture('bulk string holding CRLF and type bytes', bulk('foo\r\n*1\r\n:1\r\n'), reply('foo\r\n*1\r\n:1\r\n'));
fixture('null bulk string (RESP2)', '$-1\r\n', reply(null));
fixture('null array (RESP2)', '*-1\r\n', reply(null));
fixture('null (RESP3)', '_\r\n', reply(null));
fixture('verbatim string', '=15\r\ntxt:Some string\r\n', reply('Some string'));
fixture('empty verbatim string', '=4\r\nmkd:\r\n', reply(''));
fixture('verbatim string in buffer mode', '=15\r\ntxt:Some string\r\n', reply(B('Some string')), buffer);
fixture('multi-byte UTF-8 and emoji', bulk('héllo, 世界 😀👍🏽'), reply('héllo, 世界 😀👍🏽'));
fixture(
  'invalid UTF-8 decodes like Buffer#toString',
  bulk(INVALID_UTF8),
  reply(INVALID_UTF8.toString('utf8')),
);
fixture(
  'invalid UTF-8 in a simple string',
  wire('+', INVALID_UTF8, '\r\n'),
  reply(INVALID_UTF8.toString('utf8')),
);
fixture('all 256 byte values in buffer mode', bulk(ALL_BYTES), reply(ALL_BYTES), buffer);
fixture('all 256 byte values in utf8 mode', bulk(ALL_BYTES), reply(ALL_BYTES.toString('utf8')));
fixture('a 3000-byte ASCII bulk string', bulk('x'.repeat(3000)), reply('x'.repeat(3000)));
fixture(
  'many short strings, then one that is not ASCII',
  wire('*41\r\n', ...Array.from({ length: 40 }, (_, i) => bulk(`value-${i}`)), bulk('naïve ✓')),
  reply([...Array.from({ length: 40 }, (_, i) => `value-${i}`), 'naïve ✓']),
);

// Numbers and booleans.
fixture('integer', ':1000\r\n', reply(1000));
fixture('zero', ':0\r\n', reply(0));
fixture('negative integer', ':-12\r\n', reply(-12));
fixture('largest safe integer stays a number', ':9007199254740991\r\n', reply(9007199254740991));
fixture('smallest safe integer stays a number', ':-9007199254740991\r\n', reply(-9007199254740991));
fixture('unsafe integer becomes a bigint', ':9007199254740993\r\n', reply(9007199254740993n));
fixture('unsafe negative integer becomes a bigint', ':-9007199254740993\r\n', reply(-9007199254740993n));
fixture('int64 max', ':9223372036854775807\r\n', reply(9223372036854775807n));
fixture('integers as bigint', ['*2\r\n:5\r\n:-12\r\n', ':0\r\n'], [reply([5n, -12n]), reply(0n)], {
  integers: 'bigint',
});
fixture('double', ',1.5\r\n', reply(1.5));
fixture('double inf', ',inf\r\n', reply(Number.POSITIVE_INFINITY));
fixture('double -inf', ',-inf\r\n', reply(Number.NEGATIVE_INFINITY));
fixture('double nan', ',nan\r\n', reply(Number.NaN));
fixture('double with exponent', ',1e3\r\n', reply(1000));
fixture('double negative zero', ',-0\r\n', reply(-0));
fixture('double written as an integer', ',3\r\n', reply(3));
fixture('double with negative exponent', ',-1.25e-2\r\n', reply(-0.0125));
fixture('largest double', ',1.7976931348623157e308\r\n', reply(Number.MAX_VALUE));
fixture('boolean true', '#t\r\n', reply(true));
fixture('boolean false', '#f\r\n', reply(false));
fixture(
  'big number',
  '(3492890328409238509324850943850943825024385\r\n',
  reply(3492890328409238509324850943850943825024385n),
);
fixture(
  'negative big number',
  '(-3492890328409238509324850943850943825024385\r\n',
  reply(-3492890328409238509324850943850943825024385n),
);
fixture('small big number', '(0\r\n', reply(0n));

// Errors.
fixture(
  'simple error',
  '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
  reply(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value')),
);
fixture('simple error of one word', '-ERR\r\n', reply(new ReplyError('ERR')));
fixture('bulk error', '!21\r\nSYNTAX invalid syntax\r\n', reply(new ReplyError('SYNTAX invalid syntax')));
fixture(
  'errors stay strings in buffer mode',
  ['-ERR bad\r\n', '!5\r\nOOM x\r\n'],
  [reply(new ReplyError('ERR bad')), reply(new ReplyError('OOM x'))],
  buffer,
);
fixture(
  'a ReplyError in an array stays in place',
  '*3\r\n+OK\r\n-ERR bad thing\r\n:1\r\n',
  reply(['OK', new ReplyError('ERR bad thing'), 1]),
);

// Arrays, sets, pushes.
fixture('array', '*2\r\n$3\r\nfoo\r\n:1\r\n', reply(['foo', 1]));
fixture('empty array', '*0\r\n', reply([]));
fixture('nested arrays', '*2\r\n*1\r\n:1\r\n*0\r\n', reply([[1], []]));
fixture('nulls inside an array', '*3\r\n$-1\r\n*-1\r\n_\r\n', reply([null, null, null]));
fixture(
  'array of every scalar type',
  '*11\r\n+s\r\n-ERR e\r\n:1\r\n$1\r\nb\r\n_\r\n,2.5\r\n#t\r\n(7\r\n!3\r\nX y\r\n=5\r\ntxt:v\r\n~1\r\n:2\r\n',
  reply(['s', new ReplyError('ERR e'), 1, 'b', null, 2.5, true, 7n, new ReplyError('X y'), 'v', [2]]),
);
fixture('set as array', '~3\r\n+a\r\n:1\r\n+a\r\n', reply(['a', 1, 'a']));
fixture('set as Set', '~3\r\n+a\r\n:1\r\n+a\r\n', reply(new Set(['a', 1])), { sets: 'set' });
fixture('empty set', '~0\r\n', reply([]));
fixture('push', '>3\r\n$7\r\nmessage\r\n$4\r\nchan\r\n$5\r\nhello\r\n', push(['message', 'chan', 'hello']));
fixture('push in buffer mode', '>2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n', push([B('message'), B('hi')]), buffer);
fixture(
  'push then reply, in order',
  ['>2\r\n+a\r\n+b\r\n', '+OK\r\n', '>1\r\n:1\r\n'],
  [push(['a', 'b']), reply('OK'), push([1])],
);
fixture('a nested push is an array', '*1\r\n>1\r\n:1\r\n', reply([[1]]));

// Maps.
fixture('map', '%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n', reply(obj({ first: 1, second: 2 })));
fixture('empty map', '%0\r\n', reply(obj({})));
fixture(
  'map keys that are not strings',
  '%7\r\n:1\r\n+int\r\n#t\r\n+bool\r\n,1.5\r\n+double\r\n_\r\n+null\r\n(12345678901234567890\r\n+big\r\n:9007199254740993\r\n+unsafe\r\n,inf\r\n+inf\r\n',
  reply(
    obj([
      ['1', 'int'],
      ['true', 'bool'],
      ['1.5', 'double'],
      ['null', 'null'],
      ['12345678901234567890', 'big'],
      ['9007199254740993', 'unsafe'],
      ['Infinity', 'inf'],
    ]),
  ),
);
fixture(
  'map key __proto__ is data',
  '%2\r\n$9\r\n__proto__\r\n%1\r\n+polluted\r\n#t\r\n+a\r\n:1\r\n',
  reply(
    obj([
      ['__proto__', obj({ polluted: true })],
      ['a', 1],
    ]),
  ),
);
fixture(
  'map keys named like Object.prototype members',
  '%3\r\n+constructor\r\n:1\r\n+toString\r\n:2\r\n+hasOwnProperty\r\n:3\r\n',
  reply(obj({ constructor: 1, toString: 2, hasOwnProperty: 3 })),
);
fixture(
  'duplicate map keys: last wins',
  '%3\r\n+a\r\n:1\r\n+b\r\n:2\r\n+a\r\n:3\r\n',
  reply(obj({ a: 3, b: 2 })),
);
fixture(
  'map keys are strings in buffer mode',
  '%2\r\n$3\r\nkey\r\n$3\r\nval\r\n=8\r\ntxt:vkey\r\n+v\r\n',
  reply(obj({ key: B('val'), vkey: B('v') })),
  buffer,
);
fixture(
  'map as Map',
  '%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n',
  reply(
    new Map<unknown, unknown>([
      ['first', 1],
      ['second', 2],
    ]),
  ),
  { maps: 'map' },
);
fixture(
  'Map keys decoded like values',
  '%2\r\n:1\r\n+one\r\n#f\r\n+no\r\n',
  reply(
    new Map<unknown, unknown>([
      [1, 'one'],
      [false, 'no'],
    ]),
  ),
  { maps: 'map' },
);
fixture('Map duplicate keys: last wins', '%2\r\n+a\r\n:1\r\n+a\r\n:2\r\n', reply(new Map([['a', 2]])), {
  maps: 'map',
});
fixture('Map with key __proto__', '%1\r\n$9\r\n__proto__\r\n:1\r\n', reply(new Map([['__proto__', 1]])), {
  maps: 'map',
});
fixture(
  'Map keys are Buffers in buffer mode',
  '%1\r\n$3\r\nkey\r\n$3\r\nval\r\n',
  reply(new Map([[B('key'), B('val')]])),
  {
    maps: 'map',
    strings: 'buffer',
  },
);
fixture(
  'RESP2 HGETALL-style array',
  '*4\r\n$6\r\nfield1\r\n$6\r\nvalue1\r\n$6\r\nfield2\r\n$-1\r\n',
  reply(['field1', 'value1', 'field2', null]),
);

// Attributes.
fixture(
  'attribute skipped by default',
  `${SPEC_ATTRIBUTE}*2\r\n:2039123\r\n:9543892\r\n`,
  reply([2039123, 9543892]),
);
fixture(
  'attribute to the sink, before its reply',
  `${SPEC_ATTRIBUTE}*2\r\n:2039123\r\n:9543892\r\n`,
  [attribute(obj({ 'key-popularity': obj({ a: 0.1923, b: 0.0012 }) })), reply([2039123, 9543892])],
  sinkAttributes,
);
fixture(
  'attribute as a Map',
  `${SPEC_ATTRIBUTE}+OK\r\n`,
  [
    attribute(
      new Map([
        [
          'key-popularity',
          new Map([
            ['a', 0.1923],
            ['b', 0.0012],
          ]),
        ],
      ]),
    ),
    reply('OK'),
  ],
  { attributes: 'sink', maps: 'map' },
);
fixture('nested attribute skipped', '*2\r\n|1\r\n+ttl\r\n:3600\r\n+a\r\n+b\r\n', reply(['a', 'b']));
fixture(
  'nested attribute to the sink',
  '*2\r\n|1\r\n+ttl\r\n:3600\r\n+a\r\n+b\r\n',
  [attribute(obj({ ttl: 3600 })), reply(['a', 'b'])],
  sinkAttributes,
);
fixture(
  'attribute inside an attribute',
  '|1\r\n+x\r\n|1\r\n+inner\r\n:1\r\n:2\r\n+OK\r\n',
  [attribute(obj({ inner: 1 })), attribute(obj({ x: 2 })), reply('OK')],
  sinkAttributes,
);
fixture(
  'attribute before a push',
  '|1\r\n+a\r\n:1\r\n>2\r\n+message\r\n+hi\r\n',
  [attribute(obj({ a: 1 })), push(['message', 'hi'])],
  sinkAttributes,
);
fixture(
  'attribute before a push, skipped',
  '|1\r\n+a\r\n:1\r\n>2\r\n+message\r\n+hi\r\n',
  push(['message', 'hi']),
);
fixture(
  'attributes of two replies stay with their replies',
  ['|1\r\n+a\r\n:1\r\n+x\r\n', '|1\r\n+b\r\n:2\r\n+y\r\n'],
  [attribute(obj({ a: 1 })), reply('x'), attribute(obj({ b: 2 })), reply('y')],
  sinkAttributes,
);

// Buffer mode and ordering.
fixture(
  'strings as Buffers in buffer mode',
  '*6\r\n+OK\r\n$3\r\nfoo\r\n=7\r\ntxt:bar\r\n-ERR x\r\n:1\r\n*1\r\n$0\r\n\r\n',
  reply([B('OK'), B('foo'), B('bar'), new ReplyError('ERR x'), 1, [B('')]]),
  buffer,
);
fixture(
  'replies come out in order',
  ['+OK\r\n', ':1\r\n', '$3\r\nfoo\r\n', '*0\r\n', '_\r\n', '-ERR no\r\n', '#t\r\n', '%0\r\n'],
  [
    reply('OK'),
    reply(1),
    reply('foo'),
    reply([]),
    reply(null),
    reply(new ReplyError('ERR no')),
    reply(true),
    reply(obj({})),
  ],
);

// Limits: the largest values each limit allows.
fixture('depth 512 (the default limit)', `${'*1\r\n'.repeat(512)}:1\r\n`, reply(nested(512, 1)));
fixture('big number of 10,000 characters', `(${'9'.repeat(10_000)}\r\n`, reply(BigInt('9'.repeat(10_000))));
fixture(
  'signed big number of 10,000 characters',
  `(-${'9'.repeat(9_999)}\r\n`,
  reply(-BigInt('9'.repeat(9_999))),
);
fixture('array at a custom maxElements', `*10\r\n${':1\r\n'.repeat(10)}`, reply(Array(10).fill(1)), {
  limits: { maxElements: 10 },
});
fixture(
  'map at a custom maxElements (entries)',
  `%10\r\n${'+k\r\n:1\r\n'.repeat(10)}`,
  reply(obj({ k: 1 })),
  { limits: { maxElements: 10 } },
);
fixture('depth at a custom maxDepth', '*1\r\n~1\r\n%1\r\n+k\r\n:1\r\n', reply([[obj({ k: 1 })]]), {
  limits: { maxDepth: 3 },
});
fixture(
  'an attribute counts as a level',
  '|1\r\n+a\r\n*1\r\n*1\r\n:1\r\n+OK\r\n',
  [attribute(obj({ a: [[1]] })), reply('OK')],
  { attributes: 'sink', limits: { maxDepth: 3 } },
);
fixture(
  'big number at a custom maxBigNumberLength',
  ['(12345\r\n', '(-1234\r\n'],
  [reply(12345n), reply(-1234n)],
  { limits: { maxBigNumberLength: 5 } },
);
fixture(
  'reply within a custom maxReplyBytes',
  `*2\r\n$5\r\nhello\r\n${bulk('x'.repeat(40)).toString()}`,
  reply(['hello', 'x'.repeat(40)]),
  {
    limits: { maxReplyBytes: 64 },
  },
);

/** `depth` arrays, one inside the other, around `leaf`. */
export function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Every decoder fixture. */
export const DECODER_FIXTURES: readonly DecoderFixture[] = fixtures;

/** The fixture with this name (throws for an unknown name, so a typo fails loudly). */
export function decoderFixture(name: string): DecoderFixture {
  const found = fixtures.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no decoder fixture named ${JSON.stringify(name)}`);
  return found;
}
