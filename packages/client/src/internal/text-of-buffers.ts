/**
 * A reply decoded with Buffers for strings, as the UTF-8 decoder would have given it: each Buffer
 * becomes its UTF-8 text, inside arrays, maps (null-prototype objects or `Map`s) and `Set`s alike.
 * Used where one reply carries both kinds: a transaction's `EXEC`, decoded with Buffers when one
 * of its commands needs bytes (DUMP, a `…Buffer` method), hands the others their text.
 */
export function textOfBuffers(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(textOfBuffers);
  if (value instanceof Map) {
    const map = new Map<unknown, unknown>();
    for (const [key, entry] of value) map.set(textOfBuffers(key), textOfBuffers(entry));
    return map;
  }
  if (value instanceof Set) return new Set([...value].map(textOfBuffers));
  if (value instanceof Error) return value;
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== null && prototype !== Object.prototype) return value;
  const object = Object.create(prototype) as Record<string, unknown>;
  for (const key of Object.keys(value)) object[key] = textOfBuffers((value as Record<string, unknown>)[key]);
  return object;
}
