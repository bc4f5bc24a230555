import type { Connection } from '@fusedis/pool';
import type { Command, CommandArg, StringMode } from '@fusedis/resp';
import type { DedicatedWork } from '@fusedis/router';
import type { ScanTarget } from './router-pubsub.js';

/** Per-call options every public command path accepts. */
export interface CallOptions {
  /** Cancels the call: it rejects with `signal.reason`; a written command's late reply is discarded. */
  readonly signal?: AbortSignal;
  /** Strings in the reply as Buffers. @default the client's `returnBuffers` */
  readonly stringMode?: StringMode;
  /** Per-call command timeout in milliseconds; 0 = none. @default the client's `commandTimeout` */
  readonly timeout?: number;
}

/**
 * The seam between the client's core (connection lifecycle, offline queue, reconnection, key
 * prefix) and the features built on it (pipelines, transactions, pub/sub, scripts, scan
 * iterators). Internal: not exported from the package.
 */
export interface ClientCore {
  /** The protocol the current connection negotiated (3 until the first connect says otherwise). */
  readonly protocol: 2 | 3;
  /** The client's default string mode (`returnBuffers`). */
  readonly stringMode: StringMode;
  /** The client's `replayIdempotent`: commands safe to run twice may run again after a lost connection. */
  readonly replayIdempotent: boolean;
  /**
   * MOVED/ASK are followed (a cluster): a transaction scope that met one may run again where the
   * slot went. False on one server, and on a client of one node (`nodes()`), where MOVED is final.
   */
  readonly followsSlots: boolean;
  /** Applies the client's key prefix to a command's key positions (returns `cmd` when no prefix). */
  prefix(cmd: Command): Command;
  /**
   * Sends one command on the shared multiplexed connection (auto-pipelined), through the offline
   * queue while disconnected. A server error rejects as `ReplyError`. `cmd` is already prefixed.
   */
  send(cmd: Command, options?: CallOptions): Promise<unknown>;
  /** Sends commands as one write on the shared connection; `ReplyError`s stay in place. */
  sendMany(cmds: readonly Command[], options?: CallOptions): Promise<unknown[]>;
  /** Whether a large batch may go now as consecutive `sendMany` calls (see `Dispatcher.batchMaySplit`). */
  batchMaySplit(): boolean;
  /**
   * Runs `fn` on a dedicated connection leased from the client's pool (blocking commands,
   * WATCH/MULTI). The lease is released after `fn` settles; destroyed if `fn` threw a non-reply error.
   * `keys` (already prefixed) pick the node on a cluster: one slot, or `CrossSlotError`.
   */
  withDedicated<R>(fn: DedicatedWork<R>, signal?: AbortSignal, keys?: readonly CommandArg[]): Promise<R>;
  /**
   * Sends a transaction's batch (`MULTI` … `EXEC`, replies in place) in one write, never split,
   * on the shared connection; `keys` (prefixed) pick the node on a cluster, which follows a moved
   * slot.
   */
  transaction(
    cmds: readonly Command[],
    signal?: AbortSignal,
    keys?: readonly CommandArg[],
  ): Promise<unknown[]>;
  /**
   * The nodes a cluster-wide SCAN visits (every master), each sending with this core's call
   * options; `undefined` when one SCAN loop covers everything (standalone, sentinel).
   */
  scanTargets(): Promise<readonly ScanTarget[] | undefined>;
  /**
   * Opens a new connection with the client's options (transport, auth, db, protocol, decoder)
   * that the caller owns and closes — e.g. a RESP2 subscriber connection.
   */
  openConnection(onPush: (push: unknown[]) => void, signal?: AbortSignal): Promise<Connection>;
  /** Listens to RESP3 pushes arriving on the shared connection; returns the unsubscribe function. */
  onPush(listener: (push: unknown[]) => void): () => void;
  /** Called each time the shared connection becomes ready (first connect and every reconnect). */
  onReady(listener: () => void): () => void;
}
