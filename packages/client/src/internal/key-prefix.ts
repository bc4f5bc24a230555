import type { Command, CommandArg } from '@fusedis/resp';

/**
 * The command with `prefix` in front of each key its `keyIndexes` name (ioredis semantics:
 * keys only; patterns, channels and `call()` arguments are left alone). `cmd` itself is not
 * changed: a new command and a new argument array are made.
 */
export function prefixCommand(cmd: Command, prefix: string, prefixBytes: Buffer): Command {
  const indexes = cmd.keyIndexes;
  if (indexes === undefined || indexes.length === 0) return cmd;
  const args = cmd.args.slice();
  for (const i of indexes) {
    const key = args[i];
    if (key !== undefined) args[i] = prefixKey(key, prefix, prefixBytes);
  }
  return { ...cmd, args };
}

function prefixKey(key: CommandArg, prefix: string, prefixBytes: Buffer): CommandArg {
  if (typeof key === 'string') return prefix + key;
  if (typeof key === 'number' || typeof key === 'bigint') return prefix + String(key);
  if (key instanceof Uint8Array) return Buffer.concat([prefixBytes, key]);
  // Not a key at all (`null` from JavaScript): left as it is, for the encoder to refuse with an
  // InvalidArgumentError rather than fail here (a TypeError thrown from the method, no promise).
  return key;
}
