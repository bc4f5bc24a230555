import type { Command, CommandArg } from '@fusedis/resp';
import type { ReplyContext } from '../command-spec.js';
import { blockingTimeout } from '../commands/stream-args.js';
import { BUFFER_COMMANDS } from './buffer-methods.js';
import { type BuiltHandlers, installBuiltMethods } from './built-methods.js';
import { describeCall } from './call-keys.js';
import { upperWord } from './command-word.js';

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

/** Commands that block their connection; `call()` sends them on a dedicated pooled connection. */
const BLOCKING = new Set([
  'BLPOP',
  'BRPOP',
  'BLMOVE',
  'BRPOPLPUSH',
  'BLMPOP',
  'BZPOPMIN',
  'BZPOPMAX',
  'BZMPOP',
]);

/**
 * For `call('WAIT', n, ms)` and `call('WAITAOF', …, ms)`: the command's deadline, the wait plus a
 * margin (0: none, for a wait forever). They are not sent on a dedicated connection as the
 * blocking commands are: WAIT counts the writes of the connection it runs on, and the client's
 * writes went to its shared one. Undefined for any other command.
 */
export function waitCallTimeout(args: readonly CommandArg[]): number | undefined {
  const name = upperWord(args[0]);
  if (name !== 'WAIT' && name !== 'WAITAOF') return undefined;
  const ms = Number(args[args.length - 1]);
  return Number.isFinite(ms) && ms >= 0 ? blockingTimeout(ms) : undefined;
}

/**
 * `call()`'s command, on a client or in a pipeline: keys found by the command table, a blocking
 * command marked (it goes to a dedicated connection), WAIT's deadline set.
 */
export function describeRawCall(args: readonly CommandArg[]): Command {
  let cmd = describeCall(args);
  if (isBlockingCall(args)) cmd = { ...cmd, blocking: true };
  const waitTimeout = waitCallTimeout(args);
  return waitTimeout === undefined ? cmd : { ...cmd, timeout: waitTimeout };
}

/** Whether `call()` should send these arguments to a dedicated connection. */
export function isBlockingCall(args: readonly CommandArg[]): boolean {
  const name = upperWord(args[0]);
  if (BLOCKING.has(name)) return true;
  if (name !== 'XREAD' && name !== 'XREADGROUP') return false;
  return args.some((a) => upperWord(a) === 'BLOCK');
}

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
