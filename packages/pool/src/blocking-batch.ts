import type { Command } from '@fusedis/resp';

/**
 * Whether a batch holds a blocking command (BLPOP, XREAD BLOCK…). Such a batch belongs on a
 * dedicated connection: on the shared one it would hold every other caller's reply for as long
 * as it blocks (and a caller with a shorter timeout would time out behind it).
 */
export function hasBlockingCommand(cmds: readonly Command[]): boolean {
  for (let i = 0; i < cmds.length; i++) if ((cmds[i] as Command).blocking === true) return true;
  return false;
}
