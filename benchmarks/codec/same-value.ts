/**
 * Structural comparison for the spot check: decoded value against the expected one. Returns the
 * first difference as a path and a reason, or undefined when equal. Map objects are compared by
 * their own keys; their prototype (fusedis: none; others: Object.prototype) is reported apart by
 * `mapShape`, as a shape note rather than a mismatch.
 */
export function firstDifference(actual: unknown, expected: unknown, path = '$'): string | undefined {
  if (typeof expected === 'string') {
    if (typeof actual === 'string') {
      return actual === expected
        ? undefined
        : `${path}: string differs (${describe(actual)} vs ${describe(expected)})`;
    }
    return `${path}: expected a string, got ${kindOf(actual)}`;
  }
  if (typeof expected === 'number') {
    return actual === expected ? undefined : `${path}: expected ${expected}, got ${describe(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${kindOf(actual)}`;
    if (actual.length !== expected.length)
      return `${path}: length ${actual.length}, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const diff = firstDifference(actual[i], expected[i], `${path}[${i}]`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${path}: expected an object, got ${kindOf(actual)}`;
    }
    const want = expected as Record<string, unknown>;
    const got = actual as Record<string, unknown>;
    const keys = Object.keys(want);
    const gotKeys = Object.keys(got);
    if (gotKeys.length !== keys.length) return `${path}: ${gotKeys.length} keys, expected ${keys.length}`;
    for (const key of keys) {
      if (!Object.hasOwn(got, key)) return `${path}: missing key ${JSON.stringify(key)}`;
      const diff = firstDifference(got[key], want[key], `${path}[${JSON.stringify(key)}]`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  return Object.is(actual, expected)
    ? undefined
    : `${path}: expected ${describe(expected)}, got ${describe(actual)}`;
}

/** How a map reply is shaped, for the check notes. */
export function mapShape(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (value instanceof Map) return 'Map';
  return Object.getPrototypeOf(value) === null ? 'null-prototype object' : 'plain object';
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 24 ? `"${value.slice(0, 24)}…" (${value.length} chars)` : JSON.stringify(value);
  }
  return kindOf(value) === typeof value ? String(value) : kindOf(value);
}
