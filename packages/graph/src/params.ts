import { InvalidArgumentError } from '@fusedis/resp';

/** A query parameter value. Integral numbers go as Cypher integers, others as floats. */
export type GraphParamValue =
  | null
  | undefined
  | string
  | number
  | bigint
  | boolean
  | readonly GraphParamValue[]
  | ReadonlyMap<string, GraphParamValue>
  | { readonly [key: string]: GraphParamValue };

/** Query parameters by name: `{ name: 'Ada' }` is read in Cypher as `$name`. */
export type GraphParams = { readonly [name: string]: GraphParamValue } | ReadonlyMap<string, GraphParamValue>;

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// A string literal ends at an unescaped quote, and a backslash starts an escape: those two are
// escaped; every other character (newlines, quotes of the other kind, any unicode) is taken as is.
const STRING_SPECIALS = /["\\]/g;

/**
 * Builds the `CYPHER name=value …` prefix FalkorDB reads parameters from (with a trailing space),
 * or `''` without parameters. Strings become double-quoted literals with `\` and `"` escaped, so no
 * value can end its literal early. Throws `InvalidArgumentError` for a name that is not an
 * identifier, a non-finite number, a bigint outside int64, a string holding NUL (FalkorDB strings
 * are C strings), or a value of another type (functions, symbols, Dates, class instances).
 */
export function cypherParamsPrefix(params: GraphParams | undefined): string {
  if (params === undefined) return '';
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new InvalidArgumentError(
      `graph parameters are an object or a Map of name → value, not ${params === null ? 'null' : Array.isArray(params) ? 'an array' : typeof params}`,
    );
  }
  let out = 'CYPHER';
  let count = 0;
  const entries = params instanceof Map ? params.entries() : Object.entries(params);
  for (const [name, value] of entries as Iterable<[string, GraphParamValue]>) {
    if (!PARAM_NAME.test(name)) {
      throw new InvalidArgumentError(`graph parameter name ${JSON.stringify(name)} is not an identifier`);
    }
    out += ` ${name}=${cypherLiteral(value, 0)}`;
    count++;
  }
  return count === 0 ? '' : `${out} `;
}

/** One JS value as a Cypher literal; see {@link cypherParamsPrefix} for what is accepted. */
export function cypherLiteral(value: GraphParamValue, depth: number): string {
  if (depth > 256) throw new InvalidArgumentError('graph parameter nests deeper than 256 levels');
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      if (value.includes('\0')) throw new InvalidArgumentError('graph string parameters cannot hold NUL');
      return `"${value.replace(STRING_SPECIALS, '\\$&')}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return numberLiteral(value);
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) {
        throw new InvalidArgumentError(`graph parameter ${value} is outside the int64 range`);
      }
      return value.toString();
    case 'object':
      return objectLiteral(value, depth);
    default:
      throw new InvalidArgumentError(`graph parameters cannot be of type ${typeof value}`);
  }
}

function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`graph parameter ${n} is not a finite number`);
  if (Object.is(n, -0)) return '-0.0';
  // Past ±2^63 an integer literal would overflow int64: exponent form makes it a float.
  if (Number.isInteger(n) && Math.abs(n) >= 2 ** 63) return n.toExponential();
  // Past 2^53, String() pads with zeros ("30799022737823810"): as an integer literal that is
  // another number. BigInt() gives the double's exact integer value.
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return BigInt(n).toString();
  // The shortest text that reads back as the same double; an integral value stays a Cypher integer.
  return String(n);
}

function objectLiteral(value: object, depth: number): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ', ';
      out += cypherLiteral(value[i] as GraphParamValue, depth + 1);
    }
    return `${out}]`;
  }
  let entries: Iterable<[string, GraphParamValue]>;
  if (value instanceof Map) {
    entries = value.entries() as Iterable<[string, GraphParamValue]>;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null && Object.getPrototypeOf(proto) !== null) {
      throw new InvalidArgumentError('graph parameters take plain objects and Maps, not class instances');
    }
    entries = Object.entries(value) as [string, GraphParamValue][];
  }
  let out = '{';
  let first = true;
  for (const [key, item] of entries) {
    if (typeof key !== 'string') throw new InvalidArgumentError('graph map parameters need string keys');
    out += `${first ? '' : ', '}${cypherIdentifier(key)}: ${cypherLiteral(item, depth + 1)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * A name in backticks, for any label, type, property or map key. FalkorDB's parser has no escape for
 * a backtick inside a quoted name (openCypher's doubled backtick is a syntax error there), so a name
 * holding a backtick or NUL is refused with `InvalidArgumentError` rather than sent broken.
 */
export function cypherIdentifier(name: string): string {
  if (name.includes('`') || name.includes('\0') || name.length === 0) {
    throw new InvalidArgumentError(`graph identifier ${JSON.stringify(name)} cannot be quoted for FalkorDB`);
  }
  return `\`${name}\``;
}
