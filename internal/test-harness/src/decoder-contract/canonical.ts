import { ReplyError } from '@fusedis/resp';

/**
 * A plain, type-tagged picture of a decoded value, for strict comparisons with `toEqual`:
 * it tells a `Buffer` from a `Uint8Array`, `-0` from `0`, a `bigint` from a `number`, a
 * null-prototype object from a plain one, a `Map` from an object, and keeps key order.
 * Diffs stay readable because strings, booleans, null and ordinary numbers are left as they are.
 */
export function canonical(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      if (Object.is(value, -0)) return { $number: '-0' };
      if (Number.isNaN(value)) return { $number: 'NaN' };
      return value;
    case 'bigint':
      return { $bigint: value.toString() };
    case 'object':
      return value === null ? null : canonicalObject(value);
    default:
      return { $unexpected: typeof value };
  }
}

function canonicalObject(value: object): unknown {
  if (Buffer.isBuffer(value)) return { $buffer: value.toString('hex') };
  if (value instanceof Uint8Array) return { $uint8array: Buffer.from(value).toString('hex') };
  if (Array.isArray(value)) return Array.from(value, (item) => canonical(item));
  if (value instanceof Map) return { $map: Array.from(value, ([k, v]) => [canonical(k), canonical(v)]) };
  if (value instanceof Set) return { $set: Array.from(value, (item) => canonical(item)) };
  if (value instanceof ReplyError) {
    return { $replyError: { message: value.message, code: value.code, name: value.name } };
  }
  if (value instanceof Error) return { $error: { name: value.name, message: value.message } };
  const proto = Object.getPrototypeOf(value);
  const entries = Reflect.ownKeys(value).map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
    const name = typeof key === 'string' ? key : { $symbol: String(key) };
    if (!('value' in descriptor)) return [name, { $accessor: true }];
    if (descriptor.enumerable !== true) return [name, { $nonEnumerable: canonical(descriptor.value) }];
    return [name, canonical(descriptor.value)];
  });
  if (proto === null) return { $object: entries };
  if (proto === Object.prototype) return { $plainObject: entries };
  return { $instance: (proto as { constructor?: { name?: string } }).constructor?.name ?? '?', entries };
}

/**
 * A null-prototype object with these entries, in this order, like an object-mode map:
 * `obj({ a: 1 })`, or `obj([['__proto__', 1]])` for keys an object literal cannot hold as data.
 */
export function obj(
  entries: Record<string, unknown> | readonly (readonly [string, unknown])[],
): Record<string, unknown> {
  const object: Record<string, unknown> = Object.create(null);
  const list = Array.isArray(entries) ? entries : Object.entries(entries);
  for (const [key, value] of list as readonly (readonly [string, unknown])[]) {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return object;
}
