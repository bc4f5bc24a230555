import { InvalidArgumentError } from '../invalid-argument-error.js';

/**
 * Where an argument sits, for error messages: `argument 2 ` alone, `command 5, argument 2 ` in a
 * pipeline; with `index` -1, the command alone (`command 5: `, or nothing outside a pipeline).
 */
export function where(command: number, index: number): string {
  const cmd = command < 0 ? '' : `command ${command}`;
  if (index < 0) return cmd === '' ? '' : `${cmd}: `;
  return cmd === '' ? `argument ${index} ` : `${cmd}, argument ${index} `;
}

/** A short description of a value's type for error messages; never its content, which may be a secret. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'object') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `an object (${name})` : 'an object';
  }
  return type === 'undefined' ? 'undefined' : `a ${type}`;
}

/** The error for an argument of a type the encoder does not take. */
export function badArgument(value: unknown, command: number, index: number): InvalidArgumentError {
  return new InvalidArgumentError(
    `${where(command, index)}is ${describeType(value)}; expected a string, number, bigint or Uint8Array`,
  );
}

/** Checks that `args` is a non-empty array and returns its length. `command` is -1 outside a pipeline. */
export function checkCommand(args: unknown, command: number): number {
  if (!Array.isArray(args)) {
    throw new InvalidArgumentError(
      `${where(command, -1)}a command must be an array, not ${describeType(args)}`,
    );
  }
  if (args.length === 0) {
    throw new InvalidArgumentError(`${where(command, -1)}a command needs at least one argument`);
  }
  return args.length;
}
