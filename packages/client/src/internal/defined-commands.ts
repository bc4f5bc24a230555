import { InvalidArgumentError } from '@fusedis/resp';
import { ScriptCode } from '../script.js';

/** What ioredis's `defineCommand(name, definition)` takes. */
export interface CommandDefinition {
  /** The Lua source. */
  readonly lua: string;
  /**
   * How many of the method's first arguments are keys. Absent: the method's first argument says
   * how many keys follow (ioredis's `redis.cmd(2, k1, k2, a1)`).
   */
  readonly numberOfKeys?: number;
  /** The script only reads (`EVALSHA_RO`): replicas may serve it. @default false */
  readonly readOnly?: boolean;
}

/** The commands defined on one client, by method name; every view and chain of it gets them. */
export type DefinedCommands = Map<string, ScriptCode>;

/** Checks the name and the definition, and makes the script the method will run. */
export function defineScriptCode(
  name: string,
  definition: CommandDefinition,
  taken: (name: string) => boolean,
): ScriptCode {
  if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new InvalidArgumentError(`a defined command needs a method name, not ${JSON.stringify(name)}`);
  }
  for (const method of [name, `${name}Buffer`]) {
    if (taken(method)) throw new InvalidArgumentError(`${method} is already a method of the client`);
  }
  return new ScriptCode(definition);
}

/**
 * A defined command's arguments as the script takes them: as given with a fixed `numberOfKeys`;
 * otherwise the first says how many keys follow, ioredis style, and they become `(keys, args)`.
 */
export function scriptArguments(code: ScriptCode, args: readonly unknown[]): unknown[] {
  if (code.numberOfKeys !== undefined) return args as unknown[];
  const count = Number(args[0]);
  if (!Number.isInteger(count) || count < 0 || count > args.length - 1) {
    throw new InvalidArgumentError(
      `a command defined without numberOfKeys takes the number of keys first, not ${String(args[0])}`,
    );
  }
  return [args.slice(1, 1 + count), args.slice(1 + count)];
}
