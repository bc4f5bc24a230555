import { channel } from 'node:diagnostics_channel';
import type { Command, CommandArg } from '@fusedis/resp';

/**
 * `fusedis:client:command`: one message per command sent on the shared connection or a
 * dedicated one, `{ name, args, transport }`. Published only while someone subscribes.
 * The arguments of `AUTH`, `HELLO` and `MIGRATE` are replaced by `'[redacted]'`.
 */
export const commandChannel = channel('fusedis:client:command');
/** `fusedis:client:batch`: one message per batch (`sendMany`): `{ size, transport }`. */
export const batchChannel = channel('fusedis:client:batch');
/**
 * `fusedis:client:connect`: one message per connection attempt outcome:
 * `{ transport, attempt, ok: true, protocol }` or `{ transport, attempt, ok: false, error }`.
 */
export const connectChannel = channel('fusedis:client:connect');

const SECRET_BEARING = new Set(['AUTH', 'HELLO', 'MIGRATE', 'ACL', 'CONFIG']);

/** The message of `fusedis:client:command`. */
export interface CommandMessage {
  readonly name: string;
  readonly args: readonly CommandArg[];
  readonly transport: string;
}

/** Builds the `fusedis:client:command` message; secrets never leave. */
export function commandMessage(cmd: Command, transport: string): CommandMessage {
  const first = cmd.args[0];
  const name = typeof first === 'string' ? first.toUpperCase() : String(first);
  const args = SECRET_BEARING.has(name) ? cmd.args.map((_, i) => (i === 0 ? name : '[redacted]')) : cmd.args;
  return { name, args, transport };
}
