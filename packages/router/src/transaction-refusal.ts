import { ReplyError } from '@fusedis/resp';

const TOPOLOGY_CODES = new Set(['MOVED', 'ASK', 'TRYAGAIN', 'CLUSTERDOWN']);

/**
 * A cluster's "not here (yet)" answer — MOVED, ASK, TRYAGAIN or CLUSTERDOWN: the command did not
 * run, and the slot's owner will be known soon.
 */
export function isSlotRefusal(error: unknown): error is ReplyError {
  return error instanceof ReplyError && TOPOLOGY_CODES.has(error.code);
}

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
  if (exec.code !== 'EXECABORT') return isSlotRefusal(exec) ? exec : undefined;
  return replies.slice(0, -1).find(isSlotRefusal);
}

/**
 * Whether a transaction met a replica where it expected the master (demoted behind the
 * sentinels' back: a healed partition, an operator's REPLICAOF), and so ran none of it: a queued
 * write answered READONLY and then `EXEC` EXECABORT, or `EXEC` itself refused with READONLY
 * (the node became a replica after the writes were queued).
 */
export function refusedAsReplica(replies: readonly unknown[]): boolean {
  const exec = replies[replies.length - 1];
  if (!(exec instanceof ReplyError)) return false;
  if (exec.code === 'READONLY') return true;
  return exec.code === 'EXECABORT' && replies.some(isReadOnlyRefusal);
}

/** A replica's "no writes here" (READONLY): the command did not run. */
export function isReadOnlyRefusal(reply: unknown): reply is ReplyError {
  return reply instanceof ReplyError && reply.code === 'READONLY';
}
