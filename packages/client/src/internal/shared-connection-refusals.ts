import { type CommandArg, InvalidArgumentError } from '@fusedis/resp';

/**
 * Commands `call()` must not send on the shared multiplexed connection: each changes that
 * connection for every caller, or turns it into a stream whose lines would resolve other callers'
 * commands (after `call('MONITOR')`, a `GET` resolved with a monitor line; after `call('MULTI')`,
 * every caller's command answered `QUEUED`). Each has an API of its own, named in the refusal.
 */
const REFUSED = new Map<string, string>([
  ['SELECT', 'use the db option, or duplicate({ db })'],
  ['AUTH', 'use the username and password options'],
  ['HELLO', 'use the protocol option'],
  ['RESET', 'open another client with duplicate() for a fresh connection'],
  ['QUIT', 'use quit()'],
  ['MONITOR', 'use monitor(listener), which opens a connection of its own'],
  ['MULTI', 'use multi()…exec(), which runs on a dedicated connection'],
  ['EXEC', 'use multi()…exec(), which runs on a dedicated connection'],
  ['DISCARD', 'use multi()…exec(), which runs on a dedicated connection'],
  ['WATCH', 'use watch(keys, fn), which runs on a dedicated connection'],
  ['UNWATCH', 'use watch(keys, fn), which runs on a dedicated connection'],
  ['SYNC', 'a replication stream needs a connection of its own'],
  ['PSYNC', 'a replication stream needs a connection of its own'],
]);

/** Why `call()` refuses `args` on the shared connection, or undefined when it may send them. */
export function sharedConnectionRefusal(args: readonly CommandArg[]): InvalidArgumentError | undefined {
  const first = args[0];
  if (typeof first !== 'string') return undefined;
  const name = first.toUpperCase();
  let hint = REFUSED.get(name);
  let shown = name;
  if (hint === undefined && name === 'CLIENT' && isWord(args[1], 'REPLY')) {
    hint = 'every caller would wait for replies that never come';
    shown = 'CLIENT REPLY';
  }
  if (hint === undefined) return undefined;
  return new InvalidArgumentError(
    `call('${shown}') would change the shared connection for every caller: ${hint}`,
  );
}

function isWord(arg: CommandArg | undefined, word: string): boolean {
  return typeof arg === 'string' && arg.toUpperCase() === word;
}
