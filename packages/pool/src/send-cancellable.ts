import type { Command } from '@fusedis/resp';
import type { Connection } from './connection.js';
import { ConnectionClosedError, TimeoutError } from './errors.js';
import { whenAborted } from './when-aborted.js';

/**
 * How long an aborted or timed-out blocking command waits for `CLIENT UNBLOCK` to answer and for
 * the unblocked command's own reply; past it the connection is dropped.
 */
export const UNBLOCK_WAIT_MS = 1_000;

/**
 * After each `CLIENT UNBLOCK`, how long the reply is awaited before asking again: a batch blocks
 * anew on its next blocking command, and a command the server had not read yet blocks later.
 */
const REPLY_WAIT_MS = 50;

/** Asks the server, over another connection, to unblock the client with this id; resolves with its reply. */
export type Unblock = (clientId: number) => Promise<unknown>;

type Outcome<T> =
  | { readonly kind: 'value'; readonly value: T }
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
export function sendCancellable(
  conn: Connection,
  cmd: Command,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  unblock: Unblock,
): Promise<unknown> {
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  // No signal and no deadline for the connection: cancelling is decided here, with the server.
  const sent = conn.send({ ...cmd, timeout: 0 });
  return cancellable(conn, sent, signal, timeoutMs, unblock, (value) => value !== null);
}

/**
 * `sendCancellable` for a batch holding blocking commands (a pipeline's `BLPOP`), sent in one
 * write. Its deadline is the connection's rule for a batch (the longest of its commands', none if
 * any has none), where a blocking command without a `timeout` has none. Cancelled, the batch is
 * unblocked as often as it blocks again (on its next blocking command) until its replies are in:
 * they resolve the call if a blocking command took something, else it rejects with the reason.
 */
export function sendManyCancellable(
  conn: Connection,
  cmds: readonly Command[],
  signal: AbortSignal | undefined,
  unblock: Unblock,
): Promise<unknown[]> {
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  const timeoutMs = batchTimeout(cmds, conn.commandTimeout);
  const sent = conn.sendMany(cmds.map((cmd) => (cmd.timeout === 0 ? cmd : { ...cmd, timeout: 0 })));
  const took = (replies: unknown[]): boolean =>
    replies.some((reply, i) => cmds[i]?.blocking === true && reply !== null && !(reply instanceof Error));
  return cancellable(conn, sent, signal, timeoutMs, unblock, took);
}

/** A batch's deadline: the longest of its commands' (0: none), a blocking command's own or none. */
function batchTimeout(cmds: readonly Command[], fallback: number): number {
  let longest = 0;
  for (const cmd of cmds) {
    const limit = cmd.timeout ?? (cmd.blocking === true ? 0 : fallback);
    if (limit === 0) return 0;
    if (limit > longest) longest = limit;
  }
  return longest;
}

/**
 * Whether a connection a blocking command failed on can be lent again: open, with nothing in
 * flight (a command unblocked by `sendCancellable` has had its reply read), so no late reply can
 * reach the next borrower. A blocking command leaves no other state behind (no MULTI, no WATCH).
 */
export function leftInStep(connection: Connection): boolean {
  return !connection.closed && connection.inFlight === 0;
}

/** `sent`'s outcome, or, once cancelled, what unblocking it on the server leaves (see above). */
async function cancellable<T>(
  conn: Connection,
  sent: Promise<T>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  unblock: Unblock,
  took: (value: T) => boolean,
): Promise<T> {
  const reply = outcomeOf(sent);
  const cancelled = cancellation(signal, timeoutMs);
  const first = await Promise.race([reply, cancelled.reason]);
  cancelled.dispose();
  if (first !== CANCELLED) return settle(first);
  const reason = cancelled.cause();
  const id = conn.clientId;
  if (id === undefined) return dropped(conn, reason);
  const late = await untilUnblocked(reply, id, unblock);
  if (late === undefined) return dropped(conn, reason);
  if (late.kind === 'value' && took(late.value)) return late.value;
  throw reason;
}

/**
 * Unblocks client `id` until `reply` arrives, at most `UNBLOCK_WAIT_MS`: undefined when it did not
 * (no answer to the unblock, the unblock refused, or the reply still missing).
 */
async function untilUnblocked<T>(
  reply: Promise<Outcome<T>>,
  id: number,
  unblock: Unblock,
): Promise<Outcome<T> | undefined> {
  const deadline = performance.now() + UNBLOCK_WAIT_MS;
  for (;;) {
    const answer = await within(outcomeOf(unblock(id)), deadline - performance.now());
    if (answer === undefined) return undefined;
    // 1: it was blocked, its reply follows; 0: served, or not read yet; an error: not ours to unblock.
    const late = await within(reply, Math.min(REPLY_WAIT_MS, deadline - performance.now()));
    if (late !== undefined || answer.kind === 'error' || performance.now() >= deadline) return late;
  }
}

/** Gives up on the command: its connection is destroyed (the server then drops it), `reason` thrown. */
function dropped(conn: Connection, reason: unknown): never {
  conn.destroy(new ConnectionClosedError('a cancelled blocking command was not unblocked in time', true));
  throw reason;
}

const CANCELLED = Symbol('cancelled');

function outcomeOf<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ kind: 'value', value }),
    (error: unknown) => ({ kind: 'error', error }),
  );
}

function settle<T>(outcome: Outcome<T>): T {
  if (outcome.kind === 'error') throw outcome.error;
  return outcome.value;
}

/** `promise`'s outcome, or undefined after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return Promise.race([promise, Promise.resolve(undefined)]);
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
  let stopWaiting: (() => void) | undefined;
  const reason = new Promise<typeof CANCELLED>((resolve) => {
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        cause = new TimeoutError('command', timeoutMs, true);
        resolve(CANCELLED);
      }, timeoutMs);
    }
    if (signal !== undefined) {
      stopWaiting = whenAborted(signal, () => {
        cause = signal.reason;
        resolve(CANCELLED);
      });
    }
  });
  return {
    reason,
    cause: () => cause,
    dispose: () => {
      clearTimeout(timer);
      stopWaiting?.();
    },
  };
}
