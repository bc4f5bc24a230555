import type { Command, CommandArg } from '@fusedis/resp';
import { blockingTimeout } from '../commands/stream-args.js';
import { describeCall } from './call-keys.js';
import { type CallPlace, callRefusal } from './call-refusals.js';
import { upperWord } from './command-word.js';

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
 * `call()`'s command on a client or in a pipeline (`sendCommand()`'s too): keys found by the
 * command table, a blocking command marked (it goes to a dedicated connection), WAIT's deadline
 * set. Throws `InvalidArgumentError` for a command that would break the shared connection
 * (`callRefusal`). The name is read once, whether given as a string or as bytes.
 */
export function describeRawCall(args: readonly CommandArg[]): Command {
  return describeAt(args, 'shared');
}

/**
 * `call()`'s command inside a `watch()` scope: refused as in a transaction, since the scope's
 * connection goes back to the pool; marked as on a client, since it is sent at once (a `BLPOP`
 * there blocks and is cancelled as the scope's `blpop` is).
 */
export function describeScopeCall(args: readonly CommandArg[]): Command {
  return describeAt(args, 'transaction');
}

/** `call()`'s command inside `multi()`: queued, never blocking; throws its refusal (`callRefusal`). */
export function describeTransactionCall(args: readonly CommandArg[]): Command {
  const refused = callRefusal(upperWord(args[0]), args, 'transaction');
  if (refused !== undefined) throw refused;
  return describeCall(args);
}

function describeAt(args: readonly CommandArg[], place: CallPlace): Command {
  const name = upperWord(args[0]);
  const refused = callRefusal(name, args, place);
  if (refused !== undefined) throw refused;
  let cmd = describeCall(args);
  if (isBlocking(name, args)) cmd = { ...cmd, blocking: true };
  const wait = waitTimeout(name, args);
  return wait === undefined ? cmd : { ...cmd, timeout: wait };
}

function isBlocking(name: string, args: readonly CommandArg[]): boolean {
  if (BLOCKING.has(name)) return true;
  if (name !== 'XREAD' && name !== 'XREADGROUP') return false;
  return args.some((a) => upperWord(a) === 'BLOCK');
}

/**
 * For `call('WAIT', n, ms)` and `call('WAITAOF', …, ms)`: the command's deadline, the wait plus a
 * margin (0: none, for a wait forever). They are not sent on a dedicated connection as the
 * blocking commands are: WAIT counts the writes of the connection it runs on, and the client's
 * writes went to its shared one. Undefined for any other command.
 */
function waitTimeout(name: string, args: readonly CommandArg[]): number | undefined {
  if (name !== 'WAIT' && name !== 'WAITAOF') return undefined;
  const ms = Number(args[args.length - 1]);
  return Number.isFinite(ms) && ms >= 0 ? blockingTimeout(ms) : undefined;
}
