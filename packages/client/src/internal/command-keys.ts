import type { Command, CommandArg } from '@fusedis/resp';

/** Every key the commands mark (`keyIndexes`), in order: what a router needs to pick a node. */
export function commandKeys(cmds: readonly Command[]): CommandArg[] {
  const keys: CommandArg[] = [];
  for (const cmd of cmds) {
    for (const at of cmd.keyIndexes ?? []) {
      const key = cmd.args[at];
      if (key !== undefined) keys.push(key);
    }
  }
  return keys;
}
