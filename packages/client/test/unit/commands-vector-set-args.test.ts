import { InvalidArgumentError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { vectorSetCommands as v } from '../../src/commands/vector-set.js';

describe('vector set command arguments', () => {
  it('refuses bytes as a vector (their values were sent as components), with the way to read FP32 bytes', () => {
    const floats = new Float32Array([0.5, -1]);
    const bytes = Buffer.from(floats.buffer);
    const refusal = new InvalidArgumentError(
      'a vector is a number[] or a Float32Array, not bytes; for little-endian FP32 bytes: new Float32Array(new Uint8Array(bytes).buffer)',
    );
    expect(() => v.vadd.build('vs', bytes as never, 'el')).toThrow(refusal);
    expect(() => v.vsim.build('vs', new Uint8Array(8) as never)).toThrow(refusal);
    // The way the message gives reads the same vector.
    expect(v.vadd.build('vs', new Float32Array(new Uint8Array(bytes).buffer), 'el').args).toEqual(
      v.vadd.build('vs', floats, 'el').args,
    );
  });

  it('VADD: options in the server order, VALUES for numbers, one key marked', () => {
    const cmd = v.vadd.build('vs', [1, -0.5, 2e-3], 'el', {
      M: 8,
      SETATTR: { year: 1950, tags: ['a'] },
      EF: 200,
      Q8: true,
      CAS: true,
      REDUCE: 2,
    });
    expect(cmd.args).toEqual([
      'VADD',
      'vs',
      'REDUCE',
      2,
      'VALUES',
      3,
      1,
      -0.5,
      2e-3,
      'el',
      'CAS',
      'Q8',
      'EF',
      200,
      'SETATTR',
      '{"year":1950,"tags":["a"]}',
      'M',
      8,
    ]);
    expect(cmd.keyIndexes).toEqual([1]);
    expect(cmd.readOnly).toBeUndefined();
  });

  it('VADD: a Float32Array goes as one little-endian FP32 blob, copied', () => {
    const vector = new Float32Array([1.5, -2, 0.25]);
    const args = v.vadd.build('vs', vector, 'el').args;
    expect(args.slice(0, 3)).toEqual(['VADD', 'vs', 'FP32']);
    const blob = args[3] as Buffer;
    expect(blob.length).toBe(12);
    expect([blob.readFloatLE(0), blob.readFloatLE(4), blob.readFloatLE(8)]).toEqual([1.5, -2, 0.25]);
    vector[0] = 9;
    expect(blob.readFloatLE(0)).toBe(1.5);
    expect(args[4]).toBe('el');
  });

  it('VADD refuses two quantizations, non-finite components, an empty vector and bad counts', () => {
    expect(() => v.vadd.build('vs', [1], 'e', { NOQUANT: true, BIN: true })).toThrow(InvalidArgumentError);
    expect(() => v.vadd.build('vs', [1, Number.NaN], 'e')).toThrow(/finite/);
    expect(() => v.vadd.build('vs', [Number.POSITIVE_INFINITY], 'e')).toThrow(InvalidArgumentError);
    expect(() => v.vadd.build('vs', [], 'e')).toThrow(/dimension/);
    expect(() => v.vadd.build('vs', new Float32Array(0), 'e')).toThrow(/dimension/);
    expect(() => v.vadd.build('vs', [1], 'e', { M: 1.5 })).toThrow(/integer/);
    expect(() => v.vadd.build('vs', [1], 'e', { REDUCE: -1 })).toThrow(/integer/);
  });

  it('VSIM: ELE for an element, WITHSCORES / WITHATTRIBS from the method, options in order', () => {
    expect(v.vsim.build('vs', { element: 'a' }).args).toEqual(['VSIM', 'vs', 'ELE', 'a']);
    const cmd = v.vsimWithAttributes.build('vs', [0, 1], {
      NOTHREAD: true,
      TRUTH: true,
      FILTER_EF: 50,
      FILTER: '.year > 1',
      EF: 100,
      EPSILON: 0.2,
      COUNT: 5,
    });
    expect(cmd.args).toEqual([
      'VSIM',
      'vs',
      'VALUES',
      2,
      0,
      1,
      'WITHSCORES',
      'WITHATTRIBS',
      'COUNT',
      5,
      'EPSILON',
      0.2,
      'EF',
      100,
      'FILTER',
      '.year > 1',
      'FILTER-EF',
      50,
      'TRUTH',
      'NOTHREAD',
    ]);
    expect(cmd).toMatchObject({ keyIndexes: [1], readOnly: true, idempotent: true });
    expect(v.vsimWithScores.build('vs', new Float32Array([1])).args.slice(2, 3)).toEqual(['FP32']);
    expect(() => v.vsim.build('vs', [1], { COUNT: -1 })).toThrow(InvalidArgumentError);
  });

  it('VSETATTR sends JSON text as given and stringifies an object', () => {
    expect(v.vsetattr.build('vs', 'e', '{"a":1}').args).toEqual(['VSETATTR', 'vs', 'e', '{"a":1}']);
    expect(v.vsetattr.build('vs', 'e', { a: [1, 2] }).args).toEqual(['VSETATTR', 'vs', 'e', '{"a":[1,2]}']);
    expect(v.vsetattr.build('vs', 'e', '').args[3]).toBe('');
  });
});
