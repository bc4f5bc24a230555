import { encodeCommand } from '@fusedis/resp';
import type { AnyCommandSpec, CommandTable } from '../command-spec.js';
import { COMMANDS } from '../commands/index.js';
import { asError } from './as-error.js';
import { defineCommandMethods } from './built-methods.js';

/** What a queued command method does with its call. */
export interface QueuedHandlers<This, R> {
  /**
   * Every argument is a string, a number other than NaN, a bigint or a byte array: what the
   * encoder takes as it is, and nothing the caller could change later in a way the command would
   * see (beyond what a byte array already shows when it is written). It may be built later.
   */
  later(self: This, spec: AnyCommandSpec, args: IArguments): R;
  /**
   * Some argument is anything else: an object or array (options, key lists) the caller may still
   * change, or a value the build or the encoder may refuse. Build it now.
   */
  now(self: This, spec: AnyCommandSpec, args: IArguments): R;
}

/**
 * Puts one method per `COMMANDS` entry on `prototype`, as `installBuiltMethods` does, for a queue
 * that builds its commands late: each method hands its spec and `arguments` to `handlers.later`
 * when they can wait, to `handlers.now` otherwise. Building 100,000 commands as they are queued
 * kept 100,000 command objects and their argument arrays alive until `exec()` (~130 bytes each,
 * every one copied by the young-generation GC), all before the first byte could be written.
 */
export function installQueuedMethods<This extends object, R>(
  prototype: This,
  handlers: QueuedHandlers<This, R>,
  skip: Iterable<string>,
  table: CommandTable = COMMANDS as unknown as CommandTable,
): void {
  defineCommandMethods(
    prototype,
    skip,
    table,
    (name, spec) =>
      ({
        // A named method (shows in stack traces as `Pipeline.set`), not an arrow: `this` must bind.
        [name](this: This): R {
          // biome-ignore lint/complexity/noArguments: no rest array on the hot path
          const args = arguments;
          for (let i = 0; i < args.length; i++) {
            if (!isEncodable(args[i])) return handlers.now(this, spec, args);
          }
          return handlers.later(this, spec, args);
        },
      })[name] as (this: This) => R,
  );
}

/** A command argument the encoder takes as it is: a string, a number other than NaN, a bigint, bytes. */
export function isEncodable(arg: unknown): boolean {
  return (
    typeof arg === 'string' ||
    (typeof arg === 'number' && !Number.isNaN(arg)) ||
    typeof arg === 'bigint' ||
    arg instanceof Uint8Array
  );
}

/**
 * The `InvalidArgumentError` the encoder throws for `args`, or undefined when it takes them. Only
 * a command with an argument that is not plainly encodable is tried (the encoder also takes, for
 * one, a `Uint8Array` from another realm).
 */
export function encodingError(args: readonly unknown[]): Error | undefined {
  for (let i = 0; i < args.length; i++) {
    if (isEncodable(args[i])) continue;
    try {
      encodeCommand(args as never);
      return undefined;
    } catch (err) {
      return asError(err);
    }
  }
  return undefined;
}
