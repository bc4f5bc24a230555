import { type CommandArg, InvalidArgumentError } from '@fusedis/resp';
import { upperWord } from './command-word.js';

const TRANSACTION =
  "a transaction on the shared connection would take in other callers' commands; use multi()…exec()";
const WATCHING =
  'a watch on the shared connection means nothing to transactions, which run on dedicated connections; use watch(keys, fn)';
const REPLICATION = 'it would turn the shared connection into a replication stream';

/**
 * Commands `call()` must not send on the shared multiplexed connection, each with why and what to
 * use instead. Each changes that connection for every caller, or turns it into a stream whose
 * lines would resolve other callers' commands (after `call('MONITOR')`, a `GET` resolved with a
 * monitor line; after `call('MULTI')`, every caller's command was answered `QUEUED`), or, for the
 * subscribe family, escapes the client's own pub/sub (its messages reached no listener).
 */
const REFUSED = new Map<string, string>([
  ['SELECT', 'it would move every caller to another database; use the db option, or duplicate({ db })'],
  ['AUTH', 'it would change the user of the shared connection; use the username and password options'],
  ['HELLO', "it would change the shared connection's protocol under every caller; use the protocol option"],
  ['RESET', 'it would reset the shared connection under every caller; use duplicate() for a fresh client'],
  ['QUIT', 'it would close the shared connection under every caller; use quit()'],
  ['MONITOR', "its stream would answer other callers' commands; use monitor(listener)"],
  ['MULTI', TRANSACTION],
  ['EXEC', TRANSACTION],
  ['DISCARD', TRANSACTION],
  ['WATCH', WATCHING],
  ['UNWATCH', WATCHING],
  ['SYNC', REPLICATION],
  ['PSYNC', REPLICATION],
  ...subscribeFamily('SUBSCRIBE', 'UNSUBSCRIBE', 'subscribe', 'unsubscribe'),
  ...subscribeFamily('PSUBSCRIBE', 'PUNSUBSCRIBE', 'psubscribe', 'punsubscribe'),
  ...subscribeFamily('SSUBSCRIBE', 'SUNSUBSCRIBE', 'ssubscribe', 'sunsubscribe'),
]);

/** The subscribe and unsubscribe of one kind, and the client methods that replace them. */
function subscribeFamily(name: string, undo: string, method: string, undoMethod: string): [string, string][] {
  return [
    [
      name,
      `its messages would reach no listener, and it would not be made again after a reconnect; use ${method}(names, listener)`,
    ],
    [undo, `the client's own subscriptions would not follow it; use ${undoMethod}(names)`],
  ];
}

/** Where a `call()` runs: on the shared connection, or inside `multi()` / a `watch()` scope. */
export type CallPlace = 'shared' | 'transaction';

const TRANSACTION_OWN = new Set(['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH']);

/** Why `call()` refuses `args` (named `name`, upper case) at `place`, or undefined when it may send them. */
export function callRefusal(
  name: string,
  args: readonly CommandArg[],
  place: CallPlace,
): InvalidArgumentError | undefined {
  let why = REFUSED.get(name);
  let shown = name;
  if (why === undefined && name === 'CLIENT' && upperWord(args[1]) === 'REPLY') {
    why = 'every caller of the shared connection would wait for replies that never come';
    shown = 'CLIENT REPLY';
  }
  if (why === undefined) return undefined;
  if (place === 'shared') return new InvalidArgumentError(`call('${shown}') is refused: ${why}`);
  // A transaction's connection serves other commands after it (the shared one, or a pooled one):
  // what such a command changed would stay with it (a SELECT inside multi() left the next BLPOP
  // reading another database).
  const inTransaction = TRANSACTION_OWN.has(name)
    ? "the client sends the transaction's own MULTI, EXEC and WATCH"
    : 'it would outlast the transaction on its connection, for the commands sent on it next';
  return new InvalidArgumentError(`call('${shown}') is refused in a transaction: ${inTransaction}`);
}
