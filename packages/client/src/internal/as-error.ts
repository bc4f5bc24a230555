/** A thrown value as an `Error` (a pool release or a result slot needs one). */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
