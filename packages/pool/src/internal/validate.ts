import { InvalidOptionError } from '../errors.js';

/** A TCP port: an integer from 1 to 65535. */
export function checkPort(port: unknown, where: string): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidOptionError(`${where}: port must be an integer from 1 to 65535, not ${String(port)}`);
  }
  return port;
}

/** A non-empty string. */
export function checkText(value: unknown, where: string, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(`${where}: ${name} must be a non-empty string`);
  }
  return value;
}

/** A duration in milliseconds: a finite number ≥ 0 (0 usually means "off"). */
export function checkMs(value: unknown, where: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(
      `${where}: ${name} must be a number of milliseconds ≥ 0, not ${String(value)}`,
    );
  }
  return value;
}

/** A count: an integer ≥ `min`. */
export function checkCount(value: unknown, where: string, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`${where}: ${name} must be an integer ≥ ${min}, not ${String(value)}`);
  }
  return value;
}
