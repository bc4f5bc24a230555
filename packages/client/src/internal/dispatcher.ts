import type { WireDecoderFactory } from '@fusedis/graph';
import type { Connection, PoolStats } from '@fusedis/pool';
import type { Command, CommandArg } from '@fusedis/resp';
import type { DedicatedWork, NodeRole, RouterNode } from '@fusedis/router';
import type { DecoderInfo } from '../resolve-decoder.js';
import type { DispatchListeners } from './dispatch-listeners.js';
import type { ScanTarget } from './router-pubsub.js';
import type { ClientStatus } from './standalone-dispatch.js';

/**
 * What the client needs from its dispatcher: `StandaloneDispatch` (one server, offline queue,
 * reconnection) or `RouterDispatch` (cluster, sentinel, a given router).
 */
export interface Dispatcher {
  readonly status: ClientStatus;
  readonly protocol: 2 | 3;
  readonly label: string;
  /** Whether MOVED/ASK are followed to another node (see `ClientCore.followsSlots`). */
  readonly followsSlots: boolean;
  readonly decoderInfo: DecoderInfo | undefined;
  /** The native FalkorDB decoder the resolved decoder brought, if any (`client.graph()` uses it). */
  readonly graphWireDecoder: WireDecoderFactory | undefined;
  readonly offline: { readonly commands: number; readonly bytes: number };
  poolStats(): PoolStats;
  dispatch(cmd: Command, signal?: AbortSignal): Promise<unknown>;
  dispatchMany(cmds: readonly Command[], signal?: AbortSignal): Promise<unknown[]>;
  /**
   * Whether a large batch may go out now as consecutive smaller `dispatchMany` calls with the same
   * outcome as one: each is written at once, in order (a live connection, not the offline queue),
   * and no in-flight cap could refuse a later part once earlier ones were sent.
   */
  batchMaySplit(): boolean;
  dispatchBlocking(cmd: Command, signal?: AbortSignal): Promise<unknown>;
  /** `keys`: the transaction's keys, so a router picks their node (ignored by the standalone one). */
  withDedicated<R>(fn: DedicatedWork<R>, signal?: AbortSignal, keys?: readonly CommandArg[]): Promise<R>;
  /**
   * Sends a transaction's batch (`MULTI` … `EXEC`) in one write, never split, to the node serving
   * `keys` (the router's `transaction`, else a dedicated connection from `withDedicated`); a
   * cluster router sends it again where a moved slot went.
   */
  transaction(
    cmds: readonly Command[],
    signal?: AbortSignal,
    keys?: readonly CommandArg[],
  ): Promise<unknown[]>;
  /** Every master to SCAN on a cluster; absent or `undefined` means one SCAN loop. */
  scanTargets?(): Promise<readonly ScanTarget[] | undefined>;
  /** The servers behind a router (cluster), each with a router for it alone; absent on one server. */
  nodes?(role: NodeRole | undefined): Promise<readonly RouterNode[]>;
  openConnection(onPush: ((push: unknown[]) => void) | undefined, signal?: AbortSignal): Promise<Connection>;
  /** Where the client's pub/sub subscribes to pushes and to each ready. */
  readonly listeners: Pick<DispatchListeners, 'onPush' | 'onReady'>;
  connect(): Promise<void>;
  quit(): Promise<void>;
  disconnect(): Promise<void>;
}
