import { describe, expect, it } from 'vitest';
import { COMMANDS, InvalidArgumentError } from '../../src/index.js';
import { COMMAND_ARITY_TABLE } from '../../src/internal/command-arity-table.js';
import { OPTION_KEY_TABLE } from '../../src/internal/option-key-table.js';
import { maxArgumentsFromTypes, optionParametersFromTypes } from '../support/option-keys-from-types.js';

type Build = (...args: unknown[]) => unknown;
const builds = COMMANDS as unknown as Record<string, { build: Build }>;

/** Arguments before `index`: an empty object at the command's other object positions, 'x' elsewhere. */
function argsBefore(name: string, index: number): unknown[] {
  const objects = new Set(OPTION_KEY_TABLE[name]?.map(([at]) => at));
  return Array.from({ length: index }, (_, at) => (objects.has(at) ? {} : 'x'));
}

describe('object arguments: keys their types do not declare are refused', () => {
  it('the committed table is what the command types declare (pnpm run generate:option-keys)', () => {
    const fromTypes = Object.fromEntries(
      [...optionParametersFromTypes()].map(([name, parameters]) => [
        name,
        parameters.map(({ index, keys, nested }) =>
          nested === undefined ? [index, keys] : [index, keys, nested],
        ),
      ]),
    );
    expect(OPTION_KEY_TABLE).toEqual(fromTypes);
    expect(Object.keys(OPTION_KEY_TABLE).length).toBeGreaterThan(60);
  }, 60_000);

  it('every command of the table refuses an undeclared key at each object position, before building', () => {
    let checked = 0;
    for (const [name, parameters] of Object.entries(OPTION_KEY_TABLE)) {
      for (const [index] of parameters) {
        const args = argsBefore(name, index);
        args.push({ notAnOption: 1 });
        expect(() => builds[name]?.build(...args), name).toThrow(InvalidArgumentError);
        expect(() => builds[name]?.build(...args), name).toThrow(
          `${name}: unknown option notAnOption (known: `,
        );
        checked++;
      }
    }
    expect(checked).toBe(Object.values(OPTION_KEY_TABLE).flat().length);
  });

  it('and one level down, in the objects an options object holds (LIMIT, TRIM)', () => {
    let checked = 0;
    for (const [name, parameters] of Object.entries(OPTION_KEY_TABLE)) {
      for (const [index, , nested] of parameters) {
        for (const key of Object.keys(nested ?? {})) {
          const args = argsBefore(name, index);
          args.push({ [key]: { notAnOption: 1 } });
          expect(() => builds[name]?.build(...args), `${name} ${key}`).toThrow(
            `${name} ${key}: unknown option notAnOption (known: `,
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(() => builds.zrange?.build('z', 0, 1, { BYSCORE: true, LIMIT: { offset: 0, cnt: 5 } })).toThrow(
      'zrange LIMIT: unknown option cnt (known: count, offset)',
    );
  });

  it("refuses a string, number or array where the types want an object (ioredis's set(k, v, 'EX', 10))", () => {
    let checked = 0;
    for (const [name, parameters] of Object.entries(OPTION_KEY_TABLE)) {
      for (const [index] of parameters) {
        for (const wrong of ['EX', 10, ['EX', 10], true]) {
          const args = argsBefore(name, index);
          args.push(wrong, 10);
          expect(() => builds[name]?.build(...args), `${name} ${String(wrong)}`).toThrow(
            `${name}: argument ${index + 1} must be an object ({ `,
          );
          checked++;
        }
      }
    }
    expect(checked).toBe(4 * Object.values(OPTION_KEY_TABLE).flat().length);
    expect(() => builds.set?.build('k', 'v', 'EX', 10)).toThrow(
      new InvalidArgumentError(
        "set: argument 3 must be an object ({ EX, EXAT, GET, KEEPTTL, NX, PX, PXAT, XX }), not the string 'EX'; " +
          "write it as { EX: … }, or send Redis's tokens through call()",
      ),
    );
    expect(() => builds.zrange?.build('z', 0, -1, 'withscores')).toThrow(
      'the WITHSCORES forms are methods of their own (zrangeWithScores…)',
    );
    expect(() => builds.set?.build('k', 'v', 'PXX', 10)).toThrow(
      "Redis's tokens as separate arguments (ioredis's set(key, value, 'EX', 10)) go through call()",
    );
    expect(() => builds.copy?.build('a', 'b', 10)).toThrow(
      'copy: argument 3 must be an object ({ DB, REPLACE }), not the number 10',
    );
    // Absent stays absent, however it is written.
    expect(builds.set?.build('k', 'v', undefined)).toMatchObject({ args: ['SET', 'k', 'v'] });
  });

  it("names the key meant when only its case differs (ioredis's and node-redis's spellings)", () => {
    expect(() => builds.set?.build('k', 'v', { ex: 10 })).toThrow(
      'set: unknown option ex (the option is EX)',
    );
    expect(() => builds.sort?.build('k', { alpha: true })).toThrow(
      'sort: unknown option alpha (the option is ALPHA)',
    );
    expect(() => builds.scan?.build(0, { match: 'a*' })).toThrow(
      'scan: unknown option match (the option is MATCH)',
    );
  });

  it("says how node-redis 5's expiration, condition and comparison objects are written here", () => {
    expect(() => builds.set?.build('k', 'v', { expiration: { type: 'EX', value: 10 } })).toThrow(
      new InvalidArgumentError(
        "set: unknown option expiration (node-redis 5's { expiration: { type: 'EX', value: 10 } } is { EX: 10 } here)",
      ),
    );
    expect(() => builds.set?.build('k', 'v', { condition: 'NX' })).toThrow(
      "set: unknown option condition (node-redis 5's { condition: 'NX' } is { NX: true } here)",
    );
    expect(() => builds.zadd?.build('z', [{ score: 1, value: 'a' }], { comparison: 'GT' })).toThrow(
      "zadd: unknown option comparison (node-redis 5's { comparison: 'GT' } is { GT: true } here)",
    );
    // Where the command has no such token, the known keys are listed as for any other key.
    expect(() => builds.getex?.build('k', { condition: 'NX' })).toThrow(
      'getex: unknown option condition (known: EX, EXAT, PERSIST, PX, PXAT)',
    );
  });

  it('builds as before with declared keys, no options, or options left undefined', () => {
    expect(builds.set?.build('k', 'v', { EX: 10, NX: true })).toMatchObject({
      args: ['SET', 'k', 'v', 'NX', 'EX', 10],
    });
    expect(builds.set?.build('k', 'v')).toMatchObject({ args: ['SET', 'k', 'v'] });
    expect(builds.set?.build('k', 'v', undefined)).toMatchObject({ args: ['SET', 'k', 'v'] });
    expect(builds.zrange?.build('z', 0, 1, { REV: true, LIMIT: { offset: 0, count: 1 } })).toBeDefined();
  });
});

describe('arguments past the last parameter are refused', () => {
  it('the committed arity table is what the command types declare (pnpm run generate:option-keys)', () => {
    expect(COMMAND_ARITY_TABLE).toEqual(Object.fromEntries(maxArgumentsFromTypes()));
    expect(Object.keys(COMMAND_ARITY_TABLE).length).toBeGreaterThan(250);
  }, 60_000);

  it("every command of the table refuses one argument more (ioredis's lpop(key, 2)), before building", () => {
    for (const [name, max] of Object.entries(COMMAND_ARITY_TABLE)) {
      const args: unknown[] = [...argsBefore(name, max), 'extra'];
      expect(() => builds[name]?.build(...args), name).toThrow(`${name}: takes at most ${max} argument`);
    }
    expect(() => builds.lpop?.build('l', 2)).toThrow(
      new InvalidArgumentError(
        'lpop: takes at most 1 argument, got 2; a count or option form is a method of its own (lpopCount, zrangeWithScores…) or an options object; ' +
          "several keys or members go in one array (ioredis's blpop('a', 'b', 0) is blpop(['a', 'b'], 0))",
      ),
    );
  });

  it('lets trailing undefined arguments through as absent; variadic commands take any number', () => {
    expect(builds.lpop?.build('l', undefined)).toMatchObject({ args: ['LPOP', 'l'] });
    expect(builds.set?.build('k', 'v', undefined, undefined)).toMatchObject({ args: ['SET', 'k', 'v'] });
    expect(COMMAND_ARITY_TABLE.del).toBeUndefined();
    expect(builds.del?.build('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')).toMatchObject({
      args: ['DEL', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
    });
  });
});
