import type { Connection, Unblock } from '@fusedis/pool';
import type { Command, CommandArg } from '@fusedis/resp';
import type { NodeAddress } from './cluster-topology.js';

/** Per-call options a router honours. */
export interface DispatchOptions {
  /** Cancels the call; it rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * The seam the client composes: decides where each command goes, follows the topology's
 * redirections, and owns the connections it needs. `@fusedis/client` takes any object of this
 * shape as its `router` option — the standalone, cluster and sentinel routers here, or your own.
 */
export interface Router {
  /** Sends one command where it belongs. A server error rejects as `ReplyError`. */
  dispatch(cmd: Command, options?: DispatchOptions): Promise<unknown>;
  /**
   * Sends a batch (an explicit or auto-pipelined pipeline), split per node where the topology
   * needs it; results come back in the batch's order, `ReplyError`s in place.
   */
  dispatchMany(cmds: readonly Command[], options?: DispatchOptions): Promise<unknown[]>;
  /** Closes every connection the router opened; pending commands settle first. */
  close(): Promise<void>;
  /**
   * Optional: closes every connection the router opened at once; pending commands reject (with
   * `reason` as the cause, or `ConnectionClosedError`), a blocking command too. The client's
   * `disconnect()` uses it; without it, `disconnect()` closes gracefully, as `close()`.
   */
  destroy?(reason: Error): Promise<void>;
  /**
   * Optional: runs `fn` on a dedicated connection to the node that serves `keys` (transactions
   * with WATCH, blocking commands), released when `fn` settles. Keys in several slots reject
   * with `CrossSlotError`; no keys means any master. Without it, the client refuses
   * transactions on this router. When `fn` rejects with a READONLY `ReplyError`, the node has
   * become a replica: a router that finds its master anew (the sentinel one) drops the node and
   * rejects with `MasterDemotedError` (`cause`: that rejection), so the caller may run `fn` again.
   * A router that can reach the node otherwise passes `fn` an `Unblock` too: with it, a blocking
   * command `fn` sends can be cancelled without losing what it pops (`sendCancellable`).
   */
  withDedicated?<R>(keys: readonly CommandArg[], fn: DedicatedWork<R>, signal?: AbortSignal): Promise<R>;
  /**
   * Optional: runs a transaction's batch — keyless commands such as `SCRIPT LOAD`, then `MULTI`,
   * the commands, `EXEC` — in one write to the node serving `keys` (on its shared connection: a
   * batch is never split, so no other caller's command lands inside it), replies in place. A
   * router that moves slots sends it again where the slot went when the node refused it for the
   * slot's sake (it then ran none of it). Without it, the client sends the batch through
   * `withDedicated`.
   */
  transaction?(
    keys: readonly CommandArg[],
    cmds: readonly Command[],
    signal?: AbortSignal,
  ): Promise<unknown[]>;
  /**
   * Optional: the nodes a cluster-wide SCAN must visit (every master), each with a way to send
   * it a command. Without it, SCAN is one command like any other.
   */
  scanTargets?(): Promise<readonly ScanTarget[]>;
  /**
   * Optional: the servers this router talks to (of one role, or all), each with a router that
   * sends to that server alone — no redirection followed, no other node asked. What the client's
   * `nodes()` (ioredis's `cluster.nodes()`) is built on. Without it, the client refuses `nodes()`.
   */
  nodes?(role?: NodeRole): Promise<readonly RouterNode[]>;
}

/**
 * What runs on a dedicated connection (`Router#withDedicated`). `unblock`, when given, sends
 * `CLIENT UNBLOCK` to the connection's server over another of the router's connections.
 */
export type DedicatedWork<R> = (connection: Connection, unblock?: Unblock) => Promise<R>;

/** A server's role, as `nodes()` filters by it. */
export type NodeRole = 'master' | 'replica';

/** One server a router talks to, and a router for it alone. */
export interface RouterNode {
  /** Where it is reached (after any `natMap`). */
  readonly address: NodeAddress;
  readonly role: NodeRole;
  /**
   * Sends every command to this server: a key it does not serve gets the server's own MOVED
   * error. Shares the connections of the router that listed it; closing it closes nothing.
   */
  readonly router: Router;
}

/** One node a cluster-wide SCAN visits. */
export interface ScanTarget {
  /** `host:port`, for messages. */
  readonly label: string;
  /** Sends a command to this node only. */
  send(cmd: Command, options?: DispatchOptions): Promise<unknown>;
}
