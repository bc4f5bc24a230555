import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CommandArg,
  checkPipeline,
  encodeCommand,
  encodePipeline,
  InvalidArgumentError,
} from '../../src/index.js';

/**
 * The text Redis gets for a number: `String(n)`, the shortest text that reads back as `n`, except
 * that integers from 1e21 up, which `String` puts in exponent form, are spelled out in digits.
 */
function numberText(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return '+inf';
  if (n === Number.NEGATIVE_INFINITY) return '-inf';
  const text = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e\+(\d+)$/.exec(text);
  if (!Number.isInteger(n) || match === null) return text;
  const [, sign, lead, fraction = '', exponent] = match;
  const digits = BigInt(`${lead}${fraction}`) * 10n ** BigInt(Number(exponent) - fraction.length);
  return `${sign}${digits}`;
}

/** The naive encoder the fast one must equal: every part made on its own, then concatenated. */
function reference(args: readonly CommandArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    let bytes: Buffer;
    if (typeof arg === 'string') bytes = Buffer.from(arg, 'utf8');
    else if (typeof arg === 'number') bytes = Buffer.from(numberText(arg));
    else if (typeof arg === 'bigint') bytes = Buffer.from(arg.toString());
    else bytes = Buffer.from(arg);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** The wire form of one argument as text, for exact-byte expectations. */
const bulk = (text: string): string => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

/**
 * Checks two byte strings are equal. `toEqual` compares Buffers element by element (seconds for a
 * MiB), so compare natively and, on a mismatch, show the length and where the bytes first differ.
 */
function expectBytes(actual: Buffer, expected: Buffer): void {
  if (actual.equals(expected)) return;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const around = (b: Buffer): string =>
    JSON.stringify(b.subarray(Math.max(0, at - 16), at + 16).toString('latin1'));
  expect({ length: actual.length, firstDifference: at, around: around(actual) }).toEqual({
    length: expected.length,
    firstDifference: at,
    around: around(expected),
  });
}

/** Encodes `args` and checks it against the reference (bytes and exact length); returns the bytes. */
function encodeChecked(args: readonly CommandArg[]): Buffer {
  const out = encodeCommand(args);
  expect(Buffer.isBuffer(out)).toBe(true);
  expectBytes(out, reference(args));
  return out;
}

describe('encodeCommand: exact bytes per argument type', () => {
  it('writes strings as bulk strings', () => {
    expect(encodeCommand(['SET', 'key', 'value']).toString('latin1')).toBe(
      '*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n',
    );
    expect(encodeCommand(['PING']).toString('latin1')).toBe('*1\r\n$4\r\nPING\r\n');
  });

  it('writes the empty string as a zero-length bulk string', () => {
    expect(encodeCommand(['SET', 'k', '']).toString('latin1')).toBe(
      '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n',
    );
  });

  it('writes strings containing CR, LF and NUL byte for byte', () => {
    expect(encodeCommand(['a\r\nb\0']).toString('latin1')).toBe('*1\r\n$5\r\na\r\nb\0\r\n');
  });

  it('writes Buffers and plain Uint8Arrays as they are', () => {
    const bytes = [0x00, 0xff, 0x0d, 0x0a, 0x80, 0x24];
    const expected = Buffer.concat([
      Buffer.from('*2\r\n$3\r\nSET\r\n$6\r\n'),
      Buffer.from(bytes),
      Buffer.from('\r\n'),
    ]);
    expect(encodeCommand(['SET', Buffer.from(bytes)])).toEqual(expected);
    expect(encodeCommand(['SET', new Uint8Array(bytes)])).toEqual(expected);
    // A view into a larger buffer: only its own bytes go out.
    const view = new Uint8Array([9, 9, ...bytes, 9]).subarray(2, 8);
    expect(encodeCommand(['SET', view])).toEqual(expected);
  });

  it('writes long byte arrays and empty ones', () => {
    const long = Buffer.alloc(100, 0xab);
    encodeChecked(['SET', long, new Uint8Array(0), Buffer.alloc(0)]);
    expect(encodeCommand([new Uint8Array(0)]).toString('latin1')).toBe('*1\r\n$0\r\n\r\n');
  });

  it('writes a Uint8Array made in another realm as bytes', () => {
    const foreign = runInNewContext('new Uint8Array([1, 2, 3])') as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(encodeCommand(['SET', foreign])).toEqual(
      Buffer.from('*2\r\n$3\r\nSET\r\n$3\r\n\x01\x02\x03\r\n', 'latin1'),
    );
  });

  it.each([
    [0, '0'],
    [-0, '0'],
    [7, '7'],
    [42, '42'],
    [-1, '-1'],
    [-42, '-42'],
    [2147483647, '2147483647'],
    [-2147483648, '-2147483648'],
    [2147483648, '2147483648'],
    [-2147483649, '-2147483649'],
    [2 ** 53, '9007199254740992'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [Number.MIN_SAFE_INTEGER, '-9007199254740991'],
    [1e20, '100000000000000000000'],
    [1e21, '1000000000000000000000'],
    [-1e21, '-1000000000000000000000'],
    [2 ** 70, '1180591620717411300000'],
    [-1.5e25, '-15000000000000000000000000'],
    [1.2345678901234566e25, '12345678901234566000000000'],
    [89257387835658580, '89257387835658580'],
    [1.5, '1.5'],
    [-2.25, '-2.25'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    [1e-7, '1e-7'],
    [123456789.125, '123456789.125'],
    [Number.MIN_VALUE, '5e-324'],
    [Number.POSITIVE_INFINITY, '+inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ])('writes the number %s as %s', (n, text) => {
    expect(encodeCommand(['ZADD', n]).toString('latin1')).toBe(`*2\r\n$4\r\nZADD\r\n${bulk(text)}`);
  });

  it('writes Number.MAX_VALUE as 309 plain digits of its shortest form', () => {
    const out = encodeChecked(['SET', Number.MAX_VALUE]).toString('latin1');
    expect(out).toContain(`$309\r\n17976931348623157${'0'.repeat(292)}\r\n`);
  });

  it.each([
    [0n, '0'],
    [-5n, '-5'],
    [2n ** 64n, '18446744073709551616'],
    [-(2n ** 100n), (-(2n ** 100n)).toString()],
  ])('writes the bigint %s in decimal', (n, text) => {
    expect(encodeCommand(['INCRBY', n]).toString('latin1')).toBe(`*2\r\n$6\r\nINCRBY\r\n${bulk(text)}`);
  });

  it('writes a 400-digit bigint', () => {
    const n = 10n ** 399n + 7n;
    expect(encodeChecked([n]).toString('latin1')).toBe(`*1\r\n$400\r\n${n}\r\n`);
  });

  it('mixes every type in one command', () => {
    encodeChecked(['HSET', 'h', Buffer.from([1, 2]), 3, -4.5, 5n, Number.POSITIVE_INFINITY, 'é']);
  });

  it('writes headers with multi-digit counts and lengths', () => {
    const args = Array.from({ length: 12 }, (_, i) => 'x'.repeat(i * 11));
    const out = encodeChecked(args).toString('latin1');
    expect(out.startsWith('*12\r\n$0\r\n\r\n$11\r\n')).toBe(true);
    expect(out).toContain(`$121\r\n${'x'.repeat(121)}\r\n`);
    const many = Array.from({ length: 1234 }, (_, i) => i);
    expect(encodeChecked(many).toString('latin1').startsWith('*1234\r\n$1\r\n0\r\n')).toBe(true);
  });
});

describe('encodeCommand: sizes of UTF-8 text', () => {
  // Lengths around the short-string threshold (48 units) take both the JS and the native paths.
  const samples: [string, string][] = [
    ['2-byte characters', 'größe'],
    ['3-byte characters', '€漢字'],
    ['an emoji (surrogate pair)', '😀'],
    ['emoji amid ASCII', 'a😀b👍🏽c'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a high surrogate at the end', 'abc\ud83d'],
    ['a low surrogate at the start', '\ude00abc'],
    ['a reversed pair', '\ude00\ud83d'],
    ['two high surrogates then a low one', '\ud83d\ud83d\ude00'],
    ['U+FFFD itself', '\ufffd'],
    ['U+07FF and U+0800', '\u07ff\u0800'],
    ['48 two-byte units', 'é'.repeat(48)],
    ['49 two-byte units', 'é'.repeat(49)],
    ['47 ASCII then an emoji', `${'a'.repeat(47)}😀`],
    ['48 ASCII then a lone surrogate', `${'a'.repeat(48)}\ud800`],
    ['300 mixed units', 'aé€😀\ud800'.repeat(50)],
  ];

  it.each(samples)('sizes and writes %s like Buffer.from', (_name, text) => {
    const out = encodeChecked(['SET', text]);
    const bytes = Buffer.byteLength(text, 'utf8');
    expect(out.length).toBe(4 + 9 + 3 + String(bytes).length + bytes + 2);
    expect(out.subarray(out.length - bytes - 2, out.length - 2)).toEqual(Buffer.from(text, 'utf8'));
  });

  it('writes a lone surrogate as U+FFFD (EF BF BD)', () => {
    expect(encodeCommand(['\ud800'])).toEqual(Buffer.from('*1\r\n$3\r\n\xef\xbf\xbd\r\n', 'latin1'));
  });

  it('sizes a command full of short UTF-8 strings, too big for the small-command path', () => {
    const args = Array.from({ length: 40 }, (_, i) => `ключ-${i}-€😀`);
    expect(encodeChecked(args).length).toBe(reference(args).length);
  });
});

describe('encodeCommand: results do not share bytes', () => {
  it('keeps every earlier result intact while encoding thousands more', () => {
    const commands = Array.from({ length: 5000 }, (_, i) => [
      'SET',
      `key:${i}`,
      i % 3 === 0 ? `välue-${i}` : `value-${i}`,
    ]);
    const outs = commands.map((args) => encodeCommand(args));
    for (let i = 0; i < commands.length; i++)
      expectBytes(outs[i] as Buffer, reference(commands[i] as string[]));
  });

  it('fits short strings of 3-byte characters whatever room is left in the shared slab', () => {
    // Short strings are copied before their UTF-8 length is known: each needs 3 bytes per unit.
    const commands = Array.from({ length: 3000 }, (_, i) => [
      'SET',
      '€'.repeat(i % 49),
      `k${'😀'.repeat(i % 24)}`,
    ]);
    const outs = commands.map((args) => encodeCommand(args));
    for (let i = 0; i < commands.length; i++)
      expectBytes(outs[i] as Buffer, reference(commands[i] as string[]));
  });

  it('returns Buffers whose writes do not reach other results', () => {
    const a = encodeCommand(['GET', 'a']);
    const b = encodeCommand(['GET', 'b']);
    a.fill(0);
    expect(b.toString('latin1')).toBe('*2\r\n$3\r\nGET\r\n$1\r\nb\r\n');
  });
});

describe('encodeCommand: large arguments', () => {
  const MiB = 1024 * 1024;

  it('encodes a 1 MiB ASCII string', () => {
    const value = 'v'.repeat(MiB);
    const out = encodeChecked(['SET', 'k', value]);
    expect(out.length).toBe(4 + 9 + 7 + 10 + MiB + 2);
  });

  it('encodes a 1 MiB UTF-8 string (512 Ki two-byte characters)', () => {
    const value = 'é'.repeat(MiB / 2);
    expect(encodeChecked(['SET', 'k', value]).length).toBe(4 + 9 + 7 + 10 + MiB + 2);
  });

  it('encodes a 1 MiB Buffer', () => {
    const value = Buffer.alloc(MiB);
    for (let i = 0; i < MiB; i++) value[i] = (i * 31) & 0xff;
    const out = encodeChecked(['SET', 'k', value]);
    expectBytes(out.subarray(30, 30 + MiB), value);
  });
});

describe('encodeCommand and encodePipeline: errors', () => {
  const bad: [string, unknown, string][] = [
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['true', true, 'a boolean'],
    ['false', false, 'a boolean'],
    ['a plain object', { secret: 'hunter2' }, 'an object'],
    ['a Date', new Date(0), 'an object (Date)'],
    ['an array', ['nested'], 'an array'],
    ['a symbol', Symbol('s'), 'a symbol'],
    ['a function', () => 'x', 'a function'],
    ['an Int16Array', new Int16Array(2), 'an object (Int16Array)'],
    ['a DataView', new DataView(new ArrayBuffer(2)), 'an object (DataView)'],
    ['an ArrayBuffer', new ArrayBuffer(2), 'an object (ArrayBuffer)'],
    ['an object without prototype', Object.create(null), 'an object'],
  ];

  it.each(bad)('refuses %s, naming the argument index and the type', (_name, value, type) => {
    const run = (): Buffer => encodeCommand(['SET', 'k', value as CommandArg]);
    expect(run).toThrow(InvalidArgumentError);
    expect(run).toThrow(`argument 2 is ${type}; expected a string, number, bigint or Uint8Array`);
  });

  it('never puts the value itself in the message', () => {
    expect(() => encodeCommand(['AUTH', { password: 'hunter2' } as unknown as CommandArg])).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('refuses NaN, naming the command and the argument index', () => {
    expect(() => encodeCommand(['ZADD', 'z', Number.NaN, 'm'])).toThrow(
      new InvalidArgumentError('ZADD: argument 2 is NaN, which Redis cannot read as a number'),
    );
  });

  it('names the command by its first argument only when that is a short string', () => {
    expect(() => encodeCommand(['SET', 'k', undefined as unknown as CommandArg])).toThrow(
      new InvalidArgumentError(
        'SET: argument 2 is undefined; expected a string, number, bigint or Uint8Array',
      ),
    );
    expect(() => encodeCommand([Buffer.from('SET'), 'k', null as unknown as CommandArg])).toThrow(
      new InvalidArgumentError('argument 2 is null; expected a string, number, bigint or Uint8Array'),
    );
    expect(() => encodeCommand(['x'.repeat(65), {} as unknown as CommandArg])).toThrow(
      new InvalidArgumentError('argument 1 is an object; expected a string, number, bigint or Uint8Array'),
    );
  });

  it('throws errors with code ERR_INVALID_ARGUMENT', () => {
    expect(() => encodeCommand([undefined as unknown as CommandArg])).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError', code: 'ERR_INVALID_ARGUMENT' }),
    );
  });

  it('refuses an empty command and a command that is not an array', () => {
    expect(() => encodeCommand([])).toThrow(
      new InvalidArgumentError('a command needs at least one argument'),
    );
    expect(() => encodeCommand('PING' as unknown as CommandArg[])).toThrow(
      'a command must be an array, not a string',
    );
  });

  it('names the command and the argument inside a pipeline', () => {
    const run = (): Buffer =>
      encodePipeline([['PING'], ['SET', 'k', 'v'], ['SET', 'k', null as unknown as string]]);
    expect(run).toThrow(InvalidArgumentError);
    expect(run).toThrow(
      new InvalidArgumentError(
        'command 2 (SET), argument 2 is null; expected a string, number, bigint or Uint8Array',
      ),
    );
    expect(() => encodePipeline([['PING'], []])).toThrow('command 1: a command needs at least one argument');
    expect(() => encodePipeline([['PING'], 'GET' as unknown as CommandArg[]])).toThrow(
      'command 1: a command must be an array, not a string',
    );
    expect(() => encodePipeline([['ZADD', 'z', Number.NaN]])).toThrow('command 0 (ZADD), argument 2 is NaN');
    expect(() => encodePipeline({} as unknown as CommandArg[][])).toThrow(
      'a pipeline must be an array of commands, not an object',
    );
  });

  it('encodes correctly after a failed call left numbers half processed', () => {
    expect(() => encodeCommand(['SET', 1.5, 2.5, Symbol('x') as unknown as CommandArg])).toThrow(
      InvalidArgumentError,
    );
    encodeChecked(['ZADD', 'z', 0.25, 'm', 7n]);
    expect(() =>
      encodePipeline([
        ['A', 1.5],
        ['B', undefined as unknown as CommandArg],
      ]),
    ).toThrow(InvalidArgumentError);
    expect(encodePipeline([['ZADD', 'z', 0.75, 'm']])).toEqual(reference(['ZADD', 'z', 0.75, 'm']));
  });
});

describe('encodePipeline', () => {
  it('equals the concatenation of single encodes', () => {
    const commands: CommandArg[][] = [
      ['PING'],
      ['SET', 'k', 'välue'],
      ['INCRBY', 'n', -3],
      ['SET', 'b', Buffer.from([0, 1])],
    ];
    const out = encodePipeline(commands);
    expect(out).toEqual(Buffer.concat(commands.map((c) => encodeCommand(c))));
    expect(out.toString('latin1').startsWith('*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n')).toBe(true);
  });

  it('gives an empty Buffer for no commands', () => {
    const out = encodePipeline([]);
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(out.length).toBe(0);
  });

  it('encodes 100,000 commands (more arguments than the kept scratch space) into one buffer', () => {
    const commands = Array.from({ length: 100_000 }, (_, i) => [
      'SET',
      `key:${i}`,
      i % 7 === 0 ? i / 8 : `v${i}`,
    ]);
    expectBytes(encodePipeline(commands), Buffer.concat(commands.map(reference)));
  });

  // Short strings are first taken as ASCII; one that is not makes the encoder measure exactly and
  // write again the commands from its own on.
  it('writes again, exactly, when a short string deep in the pipeline is not ASCII', () => {
    const commands: CommandArg[][] = Array.from({ length: 2_000 }, (_, i) => [
      'SET',
      `k${i}`,
      0.5 + i,
      2n ** 70n,
    ]);
    // The first non-ASCII string comes after a float text in its own command: the texts queued
    // for that command and after it must be read back in order when the rest is written again.
    commands.push(['ZADD', 'z', 1.5, 'naïve €', 2.5, 'ok'], ['SET', 'k', 'ü'], ['INCRBYFLOAT', 'n', 1.25]);
    expectBytes(encodePipeline(commands), Buffer.concat(commands.map(reference)));
  });

  it('a command too big for the slab, with a non-ASCII short string after ASCII ones, is exact', () => {
    const args: CommandArg[] = ['MSET', ...Array.from({ length: 200 }, (_, i) => `key:${i}`), 'späť', 1.5];
    expectBytes(encodeCommand(args), reference(args));
  });
});

describe('property: equal to the naive encoder', () => {
  const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const stringArg = fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: utf16Unit, maxLength: 60 }), // lone surrogates included
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({ unit: 'binary', minLength: 40, maxLength: 400 }),
    fc.string({ unit: 'binary-ascii', minLength: 40, maxLength: 2000 }),
  );
  const arg: fc.Arbitrary<CommandArg> = fc.oneof(
    { arbitrary: stringArg, weight: 4 },
    fc.uint8Array({ maxLength: 80 }),
    fc.uint8Array({ maxLength: 80 }).map((a) => Buffer.from(a)),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true }),
    fc.bigInt(),
  );
  const command = fc.array(arg, { minLength: 1, maxLength: 12 });

  it('encodeCommand gives exactly the reference bytes', () => {
    fc.assert(
      fc.property(command, (args) => {
        expectBytes(encodeCommand(args), reference(args));
      }),
      { numRuns: 2000 },
    );
  });

  it('encodePipeline gives the concatenated reference bytes', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 20 }), (commands) => {
        expectBytes(encodePipeline(commands), Buffer.concat(commands.map(reference)));
      }),
      { numRuns: 500 },
    );
  });

  it('encodePipeline of short arguments only (its one-pass path) gives the concatenated reference bytes', () => {
    // What the one-pass path takes: strings of up to 48 units, int32s, byte arrays of up to 32.
    const shortArg: fc.Arbitrary<CommandArg> = fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 48 }),
      fc.string({ unit: 'binary', maxLength: 48 }),
      fc.string({ unit: utf16Unit, maxLength: 48 }), // lone surrogates included
      fc.string({ unit: utf16Unit, minLength: 48, maxLength: 48 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.integer(),
      fc.constantFrom(0, -0, 2 ** 31 - 1, -(2 ** 31), 9, 10, 99, 100, -1),
      fc.uint8Array({ maxLength: 32 }),
      fc.uint8Array({ maxLength: 32 }).map((a) => Buffer.from(a)),
    );
    const shortCommand = fc.array(shortArg, { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(shortCommand, { maxLength: 40 }), (commands) => {
        expectBytes(encodePipeline(commands), Buffer.concat(commands.map(reference)));
      }),
      { numRuns: 1000 },
    );
  });

  it('encodePipeline gives the same bytes when one long argument sends a pipeline of short ones to the general path', () => {
    const commands: CommandArg[][] = Array.from({ length: 300 }, (_, i) => ['SET', `k${i}`, `välue ${i}`]);
    const short = encodePipeline(commands);
    const long = encodePipeline([...commands, ['SET', 'k', 'x'.repeat(49)]]);
    expectBytes(short, Buffer.concat(commands.map(reference)));
    expectBytes(long.subarray(0, short.length), short);
  });

  it('checkPipeline throws exactly where encodePipeline throws, with the same error', () => {
    const maybeBad = fc.oneof(
      { weight: 9, arbitrary: command },
      {
        weight: 1,
        arbitrary: fc.constantFrom<CommandArg[]>(
          [],
          ['SET', Number.NaN],
          ['X', null as unknown as CommandArg],
          ['X', undefined as unknown as CommandArg],
          ['X', true as unknown as CommandArg],
          ['X', {} as unknown as CommandArg],
          ['X', 1.5, 2n ** 80n, Number.POSITIVE_INFINITY, -0],
          ['X', runInNewContext('new Uint8Array([104, 105])') as Uint8Array],
          'GET' as unknown as CommandArg[],
        ),
      },
    );
    fc.assert(
      fc.property(fc.array(maybeBad, { maxLength: 20 }), (commands) => {
        let encoded: Buffer | Error;
        let checked: Error | undefined;
        try {
          encoded = encodePipeline(commands);
        } catch (err) {
          encoded = err as Error;
        }
        try {
          checkPipeline(commands);
        } catch (err) {
          checked = err as Error;
        }
        if (encoded instanceof Error) expect(checked).toEqual(encoded);
        else expect(checked).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
