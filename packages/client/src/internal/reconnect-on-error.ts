import type { ReplyError } from '@fusedis/resp';
import type { ReconnectOnError } from '../client-options.js';
import { asError } from './as-error.js';

/** What `reconnectOnError` decided about one error reply. */
export type ReconnectDecision = false | true | 'resend';

/**
 * Asks `hook` about `err`. ioredis's numbers are understood too (`1` reconnect, `2` resend); a
 * hook that throws decides nothing, and its exception goes to `onHookError`.
 */
export function askReconnectOnError(
  hook: ReconnectOnError,
  err: ReplyError,
  onHookError: (thrown: Error) => void,
): ReconnectDecision {
  try {
    const decision: unknown = hook(err);
    if (decision === 'resend' || decision === 2) return 'resend';
    return decision === true || decision === 1;
  } catch (thrown) {
    onHookError(asError(thrown));
    return false;
  }
}
