import { InvalidArgumentError } from '@fusedis/resp';

/*
 * Refusals of an object or tuple argument of the wrong shape, by name. Left to the encoder, a
 * missing field shows as "BITCOUNT: argument 2 is undefined": the wire position, not the mistake.
 */

/** A short, secret-free description of what was given: `an object with end`, `an array of 1`. */
export function shapeOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return 'a byte array';
  if (typeof value === 'object') return `an object with ${Object.keys(value).join(', ') || 'no keys'}`;
  return `a ${typeof value}`;
}

/**
 * Refuses `value` unless it is an object with every one of `fields` set:
 * `geoadd: a member needs longitude, latitude, member (got an object with member)`.
 */
export function requireFields(what: string, value: unknown, fields: readonly string[]): void {
  if (typeof value === 'object' && value !== null) {
    const record = value as Readonly<Record<string, unknown>>;
    let i = 0;
    while (i < fields.length && record[fields[i] as string] !== undefined) i++;
    if (i === fields.length) return;
  }
  throw new InvalidArgumentError(`${what} needs ${fields.join(', ')} (got ${shapeOf(value)})`);
}

/** The refusal of a value that is none of the shapes `what` may take: `… is { GET } or { SET } (got …)`. */
export function notOneOf(what: string, shapes: readonly string[], value: unknown): InvalidArgumentError {
  const listed =
    shapes.length < 2 ? shapes.join('') : `${shapes.slice(0, -1).join(', ')} or ${shapes.at(-1)}`;
  return new InvalidArgumentError(`${what} is ${listed} (got ${shapeOf(value)})`);
}

/** Refuses `value` unless it is an array of exactly `length` items: `hset: a [field, value] pair …`. */
export function requireTuple(what: string, value: unknown, length: number): void {
  if (Array.isArray(value) && value.length === length) return;
  throw new InvalidArgumentError(`${what} has ${length} items (got ${shapeOf(value)})`);
}
