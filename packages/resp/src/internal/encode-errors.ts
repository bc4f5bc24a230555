import { InvalidArgumentError } from '../invalid-argument-error.js';

/** Longer first arguments are not names worth repeating in a message. */
const NAME_MAX = 64;

/**
 * Where an argument sits, for error messages: `SET: argument 2 ` alone, `command 5 (SET), argument
 * 2 ` in a pipeline (`name` is the command's first argument: used when it is a short string); with
 * `index` -1, the command alone (`command 5: `, or nothing outside a pipeline).
 */
export function where(command: number, index: number, name?: unknown): string {
  const named = typeof name === 'string' && name.length > 0 && name.length <= NAME_MAX ? name : undefined;
  if (index < 0) return command < 0 ? '' : `command ${command}: `;
  if (command < 0) return named === undefined ? `argument ${index} ` : `${named}: argument ${index} `;
  return `command ${command}${named === undefined ? '' : ` (${named})`}, argument ${index} `;
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

/** The error for `args[index]`, of a type the encoder does not take. */
export function badArgument(args: readonly unknown[], command: number, index: number): InvalidArgumentError {
  return new InvalidArgumentError(
    `${where(command, index, args[0])}is ${describeType(args[index])}; expected a string, number, bigint or Uint8Array`,
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
