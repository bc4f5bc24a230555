import type { Command } from '@fusedis/resp';
import type { Connection } from './connection.js';
import { ConnectionClosedError, TimeoutError } from './errors.js';

/**
 * How long an aborted or timed-out blocking command waits for `CLIENT UNBLOCK` to answer and for
 * the unblocked command's own reply; past it the connection is dropped.
 */
export const UNBLOCK_WAIT_MS = 1_000;

/**
 * After `CLIENT UNBLOCK` found the command not blocked (the server served it, or has not read it
 * yet), how long a reply already on its way is awaited before the connection is dropped.
 */
const LATE_REPLY_MS = 100;

/** Asks the server, over another connection, to unblock the client with this id; resolves with its reply. */
export type Unblock = (clientId: number) => Promise<unknown>;

type Outcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: unknown };

/**
 * Sends a blocking command (BLPOP, BLMOVE, XREAD BLOCK…) on a leased connection, so that an abort
 * or a client-side timeout loses nothing. Dropping the connection at once, as other clients do,
 * races the server: a push that reaches it before the close is popped for a connection that is
 * going away, and the element is gone. Instead the server is asked to unblock the command
 * (`CLIENT UNBLOCK`, over `unblock`), and the command's own reply decides: `null` (it was
 * unblocked, nothing was taken) rejects with the abort's reason or the `TimeoutError`; a value
 * (the server served it before the unblock arrived) resolves, so what it popped is handed over
 * rather than dropped. Without a client id (a server without HELLO), or when no answer comes in
 * time, the connection is destroyed as before.
 */
export async function sendCancellable(
  conn: Connection,
  cmd: Command,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  unblock: Unblock,
): Promise<unknown> {
  signal?.throwIfAborted();
  // No signal and no deadline for the connection: cancelling is decided here, with the server.
  const reply = outcomeOf(conn.send({ ...cmd, timeout: 0 }));
  const cancelled = cancellation(signal, timeoutMs);
  const first = await Promise.race([reply, cancelled.reason]);
  cancelled.dispose();
  if (first !== CANCELLED) return settle(first as Outcome);
  const reason = cancelled.cause();
  const id = conn.clientId;
  if (id === undefined) return dropped(conn, reason);
  const unblocked = await within(outcomeOf(unblock(id)), UNBLOCK_WAIT_MS);
  // 1: it was blocked, and its null reply follows; 0 or no answer: it may be served, or not read yet.
  const wasBlocked = unblocked?.kind === 'value' && unblocked.value === 1;
  const late = await within(reply, wasBlocked ? UNBLOCK_WAIT_MS : LATE_REPLY_MS);
  if (late === undefined) return dropped(conn, reason);
  if (late.kind === 'value' && late.value !== null) return late.value;
  throw reason;
}

/**
 * Whether a connection a blocking command failed on can be lent again: open, with nothing in
 * flight (a command unblocked by `sendCancellable` has had its reply read), so no late reply can
 * reach the next borrower. A blocking command leaves no other state behind (no MULTI, no WATCH).
 */
export function leftInStep(connection: Connection): boolean {
  return !connection.closed && connection.inFlight === 0;
}

/** Gives up on the command: its connection is destroyed (the server then drops it), `reason` thrown. */
function dropped(conn: Connection, reason: unknown): never {
  conn.destroy(new ConnectionClosedError('a cancelled blocking command was not unblocked in time', true));
  throw reason;
}

const CANCELLED = Symbol('cancelled');

function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  return promise.then(
    (value) => ({ kind: 'value', value }),
    (error: unknown) => ({ kind: 'error', error }),
  );
}

function settle(outcome: Outcome): unknown {
  if (outcome.kind === 'error') throw outcome.error;
  return outcome.value;
}

/** `promise`'s outcome, or undefined after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

interface Cancellation {
  /** Resolves when the command is cancelled. */
  readonly reason: Promise<typeof CANCELLED>;
  /** What the call rejects with: the signal's reason or a `TimeoutError`. */
  cause(): unknown;
  dispose(): void;
}

/** Resolves `reason` with CANCELLED when `signal` aborts or `timeoutMs` (0: never) runs out. */
function cancellation(signal: AbortSignal | undefined, timeoutMs: number): Cancellation {
  let cause: unknown;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const reason = new Promise<typeof CANCELLED>((resolve) => {
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        cause = new TimeoutError('command', timeoutMs, true);
        resolve(CANCELLED);
      }, timeoutMs);
    }
    if (signal !== undefined) {
      onAbort = () => {
        cause = signal.reason;
        resolve(CANCELLED);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  return {
    reason,
    cause: () => cause,
    dispose: () => {
      clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    },
  };
}
