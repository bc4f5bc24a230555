import { type Command, FusedisError, InvalidArgumentError } from '@fusedis/resp';
import type { AnyCommandSpec } from '../command-spec.js';
import { COMMAND_ARITY_TABLE } from './command-arity-table.js';
import { OPTION_KEY_TABLE } from './option-key-table.js';

interface ObjectParameter {
  readonly index: number;
  readonly keys: ReadonlySet<string>;
  /** Properties that are objects with declared keys too (`LIMIT: { offset, count }`). */
  readonly nested: readonly (readonly [key: string, keys: ReadonlySet<string>])[];
}

/**
 * The table's specs with their `build` guarded. Each object argument's keys are checked first: a
 * key its type does not declare (`{ ex: 10 }` for `{ EX: 10 }`, node-redis's `{ MATCH }` for
 * `{ match }`) is an `InvalidArgumentError` naming the key meant, not an option silently ignored
 * (a value stored without its expiry), and so is anything but an object there; so is an argument
 * past the command's last parameter (`COMMAND_ARITY_TABLE`), which the build would never read. And whatever a
 * build throws that is not already a fusedis error (a `TypeError` reading an option of `null`, a
 * member list that is not one) becomes an `InvalidArgumentError` naming the command, its cause
 * kept: a build only ever fails on its arguments.
 */
export function withArgumentChecks<T extends Readonly<Record<string, AnyCommandSpec>>>(table: T): T {
  const checked: Record<string, AnyCommandSpec> = {};
  for (const [name, spec] of Object.entries(table)) {
    const parameters = (OPTION_KEY_TABLE[name] ?? []).map(
      ([index, keys, nested]): ObjectParameter => ({
        index,
        keys: new Set(keys),
        nested: Object.entries(nested ?? {}).map(([key, inner]) => [key, new Set(inner)] as const),
      }),
    );
    const max = COMMAND_ARITY_TABLE[name] ?? Number.POSITIVE_INFINITY;
    checked[name] = { ...spec, build: checkedBuild(name, spec.build as Build, parameters, max) };
  }
  return checked as T;
}

type Build = (...args: unknown[]) => Command;

function checkedBuild(
  name: string,
  build: Build,
  parameters: readonly ObjectParameter[],
  max: number,
): Build {
  // No object parameter: never looked for (Infinity is past any call's argument count).
  const first = Math.min(Number.POSITIVE_INFINITY, ...parameters.map((p) => p.index));
  // Named parameters and a call with exactly as many arguments: no `arguments` object is made
  // and no `apply` runs (~1 ns a call, against ~12 with `build.apply(undefined, arguments)`),
  // which `set(key, value)` in a 100,000-command pipeline would pay on every command.
  return function checked(
    a?: unknown,
    b?: unknown,
    c?: unknown,
    d?: unknown,
    e?: unknown,
    f?: unknown,
  ): Command {
    // biome-ignore lint/complexity/noArguments: how many were given decides the call below
    const count = arguments.length;
    if (count > first) {
      for (const parameter of parameters) {
        // biome-ignore lint/complexity/noArguments: an index into the call's arguments, not a copy of them
        const value: unknown = arguments[parameter.index];
        if (isPlainObject(value)) checkParameter(name, value, parameter);
        else if (value !== undefined) throw notAnObject(name, parameter, value);
      }
    }
    if (count > max) {
      // biome-ignore lint/complexity/noArguments: what follows the last parameter, if anything
      for (let i = max; i < count; i++) if (arguments[i] !== undefined) throw tooMany(name, max, count);
    }
    try {
      switch (count) {
        case 0:
          return build();
        case 1:
          return build(a);
        case 2:
          return build(a, b);
        case 3:
          return build(a, b, c);
        case 4:
          return build(a, b, c, d);
        case 5:
          return build(a, b, c, d, e);
        case 6:
          return build(a, b, c, d, e, f);
        default:
          // biome-ignore lint/complexity/noArguments: the rare call with more arguments passes them all on
          return build.apply(undefined, arguments as unknown as unknown[]);
      }
    } catch (err) {
      throw asInvalidArgument(name, err);
    }
  };
}

/**
 * More arguments than the command's parameters: the build would never read them (ioredis's
 * `lpop(key, 2)` popped one element). Trailing `undefined`s are let through as absent.
 */
function tooMany(name: string, max: number, count: number): InvalidArgumentError {
  return new InvalidArgumentError(
    `${name}: takes at most ${max} argument${max === 1 ? '' : 's'}, got ${count}; ` +
      'a count or option form is a method of its own (lpopCount, zrangeWithScores…) or an options object; ' +
      "several keys or members go in one array (ioredis's blpop('a', 'b', 0) is blpop(['a', 'b'], 0))",
  );
}

/** What a build threw, as a fusedis error: builds only ever fail on their arguments. */
function asInvalidArgument(name: string, err: unknown): Error {
  if (err instanceof FusedisError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new InvalidArgumentError(`${name}: bad arguments (${reason})`, { cause: err });
}

/**
 * A value where the types want an object: most often ioredis's flat tokens, `set(k, v, 'EX', 10)`,
 * which the build would read as no options at all (a value stored without its expiry). The table
 * holds only parameters typed as objects alone, so nothing else is ever right there.
 */
function notAnObject(name: string, parameter: ObjectParameter, value: unknown): InvalidArgumentError {
  const given =
    value === null
      ? 'null'
      : typeof value === 'string'
        ? `the string '${value.length > 20 ? `${value.slice(0, 20)}…` : value}'`
        : Array.isArray(value)
          ? 'an array'
          : `${typeof value === 'number' ? 'the number' : 'a'} ${typeof value === 'number' ? value : typeof value}`;
  return new InvalidArgumentError(
    `${name}: argument ${parameter.index + 1} must be an object ({ ${[...parameter.keys].join(', ')} }), not ${given}; ` +
      tokenHint(parameter, value),
  );
}

/** What to write instead of a flat token: its option, when the token names one (`'EX'` → `{ EX: … }`). */
function tokenHint(parameter: ObjectParameter, value: unknown): string {
  const token = typeof value === 'string' ? value.toUpperCase() : '';
  if (parameter.keys.has(token)) return `write it as { ${token}: … }, or send Redis's tokens through call()`;
  if (token === 'WITHSCORES') return 'the WITHSCORES forms are methods of their own (zrangeWithScores…)';
  return `Redis's tokens as separate arguments (ioredis's set(key, value, 'EX', 10)) go through call()`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkParameter(name: string, value: Record<string, unknown>, parameter: ObjectParameter): void {
  checkKeys(name, value, parameter.keys);
  for (const [key, keys] of parameter.nested) {
    const inner = value[key];
    if (isPlainObject(inner)) checkKeys(`${name} ${key}`, inner, keys);
  }
}

/**
 * node-redis 5's option objects (`set(k, v, { expiration: { type: 'EX', value: 10 } })`,
 * `zAdd(k, m, { condition: 'NX', comparison: 'GT' })`): where the command has Redis's own token
 * (`needs`), the refusal says how to write it here rather than list the known keys.
 */
const NODE_REDIS_FORMS: Readonly<Record<string, { readonly needs: string; readonly hint: string }>> = {
  expiration: {
    needs: 'EX',
    hint: "node-redis 5's { expiration: { type: 'EX', value: 10 } } is { EX: 10 } here",
  },
  condition: { needs: 'NX', hint: "node-redis 5's { condition: 'NX' } is { NX: true } here" },
  comparison: { needs: 'GT', hint: "node-redis 5's { comparison: 'GT' } is { GT: true } here" },
};

/** Throws `InvalidArgumentError` for the first key of `value` not in `keys`, naming the key meant. */
export function checkKeys(name: string, value: object, keys: ReadonlySet<string>): void {
  for (const key of Object.keys(value)) {
    if (keys.has(key)) continue;
    const meant = [...keys].find((k) => k.toLowerCase() === key.toLowerCase());
    const form = Object.hasOwn(NODE_REDIS_FORMS, key) ? NODE_REDIS_FORMS[key] : undefined;
    const why =
      meant !== undefined
        ? `the option is ${meant}`
        : form !== undefined && keys.has(form.needs)
          ? form.hint
          : `known: ${[...keys].join(', ')}`;
    throw new InvalidArgumentError(`${name}: unknown option ${key} (${why})`);
  }
}

/** The keys of `T`, every one of them (the compiler refuses a missing or an extra key): pool's. */
export { keysOf } from '@fusedis/pool';

/**
 * Checks the options argument of a client method (`withOptions`, `pipeline`, `watch`…): absent,
 * or an object whose keys are all known — a typo (`{ timout: 100 }`) must not pass as no option.
 */
export function checkOptionsArgument(method: string, value: unknown, keys: ReadonlySet<string>): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`${method}: options must be an object`);
  }
  checkKeys(method, value, keys);
}
