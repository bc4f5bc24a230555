import { FusedisError, InvalidArgumentError } from '@fusedis/resp';

/** `value` named `what` must be a string (a query, a graph name): refused otherwise. */
export function checkString(method: string, what: string, value: unknown): void {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(`${method}: ${what} must be a string, not ${kindOf(value)}`);
  }
}

/** A signal given must be an `AbortSignal`: anything else would fail deep in the send. */
export function checkSignal(method: string, signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(`${method}: signal must be an AbortSignal, not ${kindOf(signal)}`);
  }
}

/**
 * What building a command from its arguments threw, as a fusedis error: building only ever fails
 * on its arguments (an index spec without `properties` read as `undefined.length`).
 */
export function asArgumentError(method: string, err: unknown): unknown {
  if (err instanceof FusedisError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new InvalidArgumentError(`${method}: bad arguments (${reason})`, { cause: err });
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
