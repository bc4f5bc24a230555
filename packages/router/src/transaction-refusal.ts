import { ReplyError } from '@fusedis/resp';

const TOPOLOGY_CODES = new Set(['MOVED', 'ASK', 'TRYAGAIN', 'CLUSTERDOWN']);

/**
 * Whether a cluster refused a transaction because of where its slot lives, and so ran none of
 * it: `replies` are those of a batch ending in `EXEC`. The node answers a queued command it does
 * not serve (or an `EXEC` whose keys moved meanwhile) with MOVED, ASK, TRYAGAIN or CLUSTERDOWN,
 * and then `EXEC` with EXECABORT. Returns that refusal — the one to follow — or `undefined`
 * when `EXEC` ran or failed for another reason.
 */
export function transactionRefusal(replies: readonly unknown[]): ReplyError | undefined {
  const exec = replies[replies.length - 1];
  if (!(exec instanceof ReplyError)) return undefined;
  if (TOPOLOGY_CODES.has(exec.code)) return exec;
  if (exec.code !== 'EXECABORT') return undefined;
  for (let i = 0; i < replies.length - 1; i++) {
    const reply = replies[i];
    if (reply instanceof ReplyError && TOPOLOGY_CODES.has(reply.code)) return reply;
  }
  return undefined;
}
