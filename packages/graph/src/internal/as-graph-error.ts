import { ReplyError } from '@fusedis/resp';
import { GraphError } from '../graph-error.js';

/** A server error reply becomes a `GraphError` (cause: the `ReplyError`); anything else passes through. */
export function asGraphError(err: unknown): unknown {
  if (err instanceof ReplyError) return new GraphError(err.message, 'ERR_GRAPH', { cause: err });
  return err;
}
