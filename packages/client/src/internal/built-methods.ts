import type { Command } from '@fusedis/resp';
import type { AnyCommandSpec, CommandTable } from '../command-spec.js';
import { COMMANDS } from '../commands/index.js';

/** What a built command method does with the command it built, or with what building it threw. */
export interface BuiltHandlers<This, R> {
  /** The method's result for the command it built (send it, queue it…). */
  built(self: This, cmd: Command, spec: AnyCommandSpec): R;
  /** The method's result when the spec's `build` threw (an argument error). */
  failed(self: This, error: unknown): R;
}

/**
 * Puts one method per `COMMANDS` entry on `prototype` (non-enumerable, like class methods), except
 * the names in `skip` and those the prototype chain already has below `Object.prototype`. Each
 * method passes its `arguments` straight to the spec's `build` (no rest array, no spread through a
 * generic invoker: the hot path of 100,000 concurrent GETs or a 100,000-command pipeline) and
 * hands the command to `handlers.built`, or what `build` threw to `handlers.failed`.
 */
export function installBuiltMethods<This extends object, R>(
  prototype: This,
  handlers: BuiltHandlers<This, R>,
  skip: Iterable<string>,
  table: CommandTable = COMMANDS as unknown as CommandTable,
): void {
  defineCommandMethods(prototype, skip, table, (name, spec) => {
    const build = spec.build as (...args: unknown[]) => Command;
    return {
      // A named method (shows in stack traces as `Client.get`), not an arrow: `this` must bind.
      [name](this: This): R {
        let cmd: Command;
        try {
          // biome-ignore lint/complexity/noArguments: no rest array on the hot path
          cmd = build.apply(undefined, arguments as unknown as unknown[]);
        } catch (err) {
          return handlers.failed(this, err);
        }
        return handlers.built(this, cmd, spec);
      },
    }[name] as (this: This) => R;
  });
}

/**
 * Defines `method(name, spec)` on `prototype` for each entry of `table` (`COMMANDS`, or the
 * `…Buffer` twins), non-enumerable like a class method, except the names in `skip` and those the
 * prototype chain already has below `Object.prototype`.
 */
export function defineCommandMethods<This extends object>(
  prototype: This,
  skip: Iterable<string>,
  table: CommandTable,
  method: (name: string, spec: AnyCommandSpec) => (this: This) => unknown,
): void {
  const skipped = new Set(skip);
  for (const name of Object.keys(table)) {
    if (skipped.has(name) || hasOwnMember(prototype, name)) continue;
    installMethod(prototype, name, method(name, table[name] as AnyCommandSpec));
  }
}

/** Puts a method on an object (a prototype, a client view, a pipeline), non-enumerable like class methods. */
export function installMethod(target: object, name: string, method: (...args: never[]) => unknown): void {
  Object.defineProperty(target, name, {
    value: method,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/** `name` on `object`'s prototype chain, below `Object.prototype` (so `toString` is a command). */
export function hasOwnMember(object: object, name: string): boolean {
  for (let p: object | null = object; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, name)) return true;
  }
  return false;
}
