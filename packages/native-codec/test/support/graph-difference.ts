/** TEST SUPPORT ONLY: the deep comparison of the graph decoders' differential tests. */

/**
 * Where two decoded values differ, or undefined: same prototypes (classes, records), same own keys
 * in the same order, primitives by Object.is (-0 and NaN included), Dates by time (two Invalid
 * Dates are the same, unlike util.isDeepStrictEqual), typed arrays element by element.
 */
export function difference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototypes differ`;
  if (a instanceof Date)
    return Object.is(a.getTime(), (b as Date).getTime()) ? undefined : `${path}: dates differ`;
  if (a instanceof Float32Array) {
    const other = b as Float32Array;
    if (a.length !== other.length) return `${path}: lengths differ`;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], other[i])) return `${path}[${i}] differs`;
    return undefined;
  }
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.join('\u0000') !== keysB.join('\u0000'))
    return `${path}: keys ${String(keysA)} vs ${String(keysB)}`;
  for (const key of keysA) {
    const d = difference(Reflect.get(a, key), Reflect.get(b, key), `${path}.${String(key)}`);
    if (d !== undefined) return d;
  }
  return undefined;
}
