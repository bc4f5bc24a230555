import type { Command } from '@fusedis/resp';
import type { ReplyContext } from '../command-spec.js';
import { BUFFER_COMMANDS } from './buffer-methods.js';
import { type BuiltHandlers, installBuiltMethods } from './built-methods.js';

/**
 * Command-table names the client does not expose as plain commands: they would break the shared
 * multiplexed connection (`select`, `auth`, `hello`, `reset`, `monitor`, the transaction and
 * subscribe families — those have their own APIs), or clash with the client's lifecycle (`quit`).
 */
export type ReservedCommandName =
  | 'quit'
  | 'auth'
  | 'hello'
  | 'reset'
  | 'select'
  | 'monitor'
  | 'multi'
  | 'exec'
  | 'discard'
  | 'watch'
  | 'unwatch'
  | 'subscribe'
  | 'unsubscribe'
  | 'psubscribe'
  | 'punsubscribe'
  | 'ssubscribe'
  | 'sunsubscribe';

/** {@link ReservedCommandName} as a value; chains and watch scopes reserve these and a few more. */
export const RESERVED: readonly ReservedCommandName[] = [
  'quit',
  'auth',
  'hello',
  'reset',
  'select',
  'monitor',
  'multi',
  'exec',
  'discard',
  'watch',
  'unwatch',
  'subscribe',
  'unsubscribe',
  'psubscribe',
  'punsubscribe',
  'ssubscribe',
  'sunsubscribe',
];

/** Shapes a raw reply (a spec's `transform`). */
export type Transform = (reply: unknown, context: ReplyContext) => unknown;

/** What a command method calls once its command is built: prefix, send, shape. */
export type RunBuilt<This> = (self: This, cmd: Command, transform: Transform | undefined) => Promise<unknown>;

/** One method per command-table entry on the prototype, each resolving to its command's reply. */
export function installClientMethods<This extends object>(prototype: This, runBuilt: RunBuilt<This>): void {
  const handlers: BuiltHandlers<This, Promise<unknown>> = {
    built: (self, cmd, spec) => runBuilt(self, cmd, spec.transform as Transform | undefined),
    failed: (_self, err) => Promise.reject(err),
  };
  installBuiltMethods(prototype, handlers, RESERVED);
  installBuiltMethods(prototype, handlers, [], BUFFER_COMMANDS);
}
