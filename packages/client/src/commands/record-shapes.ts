/**
 * Reply shapes for the introspection commands (XINFO, FUNCTION LIST, MEMORY STATS, ACL GETUSER…):
 * RESP2 sends flat `[name, value, …]` arrays where RESP3 sends maps. These helpers turn both into
 * null-prototype objects, so one shape reaches the user on either protocol.
 */

/** A flat array (RESP2), a map object (RESP3) or a `Map` (the `maps: 'map'` decoder option). */
function entriesOf(reply: unknown): [string, unknown][] | undefined {
  if (Array.isArray(reply)) {
    const entries: [string, unknown][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) entries.push([String(reply[i]), reply[i + 1]]);
    return entries;
  }
  if (reply instanceof Map) return [...reply].map(([k, v]): [string, unknown] => [String(k), v]);
  if (isPlainObject(reply)) return Object.entries(reply);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** `radix-tree-keys` → `radixTreeKeys`, `entries_added` → `entriesAdded`. */
export function camelCase(name: string): string {
  return name.replace(/[-_ ]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A flat array or a map as a null-prototype object whose keys are camelCased; each value goes
 * through `value(key, raw)` when given (keys are the camelCased names).
 */
export function camelRecord<T>(reply: unknown, value?: (key: string, raw: unknown) => unknown): T {
  const record: Record<string, unknown> = Object.create(null);
  for (const [name, raw] of entriesOf(reply) ?? []) {
    const key = camelCase(name);
    record[key] = value === undefined ? raw : value(key, raw);
  }
  return record as T;
}

/**
 * Every `[name, value, …]` array or map, at any depth, as a camelCased object; other arrays stay
 * arrays. `isRecord(path)` says which arrays are records (flat arrays of pairs cannot be told from
 * lists by looking at them): `path` is the camelCased keys from the top, `[]` for the reply itself.
 */
export function deepCamelRecord(reply: unknown, isRecord: (path: readonly string[]) => boolean): unknown {
  return walk(reply, [], isRecord);
}

function walk(value: unknown, path: string[], isRecord: (path: readonly string[]) => boolean): unknown {
  if (Array.isArray(value) && !isRecord(path))
    return value.map((item) => walk(item, [...path, '[]'], isRecord));
  if (Array.isArray(value) || value instanceof Map || isPlainObject(value)) {
    const record: Record<string, unknown> = Object.create(null);
    for (const [name, raw] of entriesOf(value) ?? []) {
      const key = camelCase(name);
      record[key] = walk(raw, [...path, key], isRecord);
    }
    return record;
  }
  return value;
}
