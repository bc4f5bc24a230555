import type { WireDecoderFactory } from '@fusedis/graph';
import { type Connection, ConnectionClosedError, type PoolStats } from '@fusedis/pool';
import type { Command, CommandArg } from '@fusedis/resp';
import {
  type DedicatedWork,
  type NodeRole,
  type Router,
  type RouterNode,
  StandaloneRouter,
} from '@fusedis/router';
import type { ClientEmitter } from '../client-events.js';
import type { RouterConnectionOptions } from '../client-options.js';
import { batchChannel, commandChannel, commandMessage, connectChannel } from '../diagnostics.js';
import { type DecoderInfo, decoderInfoOf, type ResolvedDecoder, resolveDecoder } from '../resolve-decoder.js';
import { asError } from './as-error.js';
import { buildRouter } from './build-router.js';
import { commandKeys } from './command-keys.js';
import { connectionSettings } from './connection-settings.js';
import { DispatchListeners } from './dispatch-listeners.js';
import type { ResolvedOptions } from './resolve-options.js';
import { isSubscribeCommand, RouterPubSub, type ScanTarget } from './router-pubsub.js';
import type { ClientStatus } from './standalone-dispatch.js';
import { UnsupportedByRouterError } from './unsupported-by-router-error.js';

/**
 * The dispatcher of a cluster, sentinel or `router` client: the same surface as the standalone
 * one, delegating every command to a {@link Router}, built on first use (it needs the resolved
 * decoder). The router owns connections, reconnection and retries, so:
 *
 * - `status` is `wait` → `connecting` → `ready` (topology known) → `closing` → `end`; there is
 *   no `reconnecting` (each node's link reopens on its own) and no offline queue (`offline` is
 *   always zero: a command waits inside the router for its node instead).
 * - `poolStats()` reports zeros with the configured `max`: each node has its own pool.
 * - `disconnect()` destroys the router's connections (`Router#destroy`), or closes like `quit()`
 *   when the router cannot.
 */
export class RouterDispatch {
  readonly #o: ResolvedOptions;
  readonly #events: ClientEmitter;
  readonly #label: string;
  /** The client's pub/sub listens here (`Dispatcher.listeners`). */
  readonly listeners = new DispatchListeners();
  #router: Router | undefined;
  #pubsub: RouterPubSub | undefined;
  #building: Promise<Router> | undefined;
  #connecting: Promise<void> | undefined;
  #status: ClientStatus = 'wait';
  #decoderInfo: DecoderInfo | undefined;
  #graphWireDecoder: WireDecoderFactory | undefined;
  #closing = false;
  #quitting: Promise<void> | undefined;
  readonly #onPush = (push: unknown[]): void => {
    this.#pubsub?.onPush(push);
    this.listeners.emitPush(push);
  };

  constructor(options: ResolvedOptions, events: ClientEmitter) {
    this.#o = options;
    this.#events = events;
    this.#label = options.topology.kind;
  }

  get status(): ClientStatus {
    return this.#status;
  }

  /** The protocol asked for: every node is spoken to with it (servers without HELLO are not supported). */
  get protocol(): 2 | 3 {
    return this.#o.protocol;
  }

  /**
   * A cluster does; so may a custom router. A `StandaloneRouter` (what `nodes()` gives each node)
   * sends to one server, whose MOVED is final, and a sentinel group has no slots.
   */
  get followsSlots(): boolean {
    const kind = this.#o.topology.kind;
    return kind === 'cluster' || (kind === 'router' && !(this.#router instanceof StandaloneRouter));
  }

  /** `cluster`, `sentinel` or `router`. */
  get label(): string {
    return this.#label;
  }

  get decoderInfo(): DecoderInfo | undefined {
    return this.#decoderInfo;
  }

  get graphWireDecoder(): WireDecoderFactory | undefined {
    return this.#graphWireDecoder;
  }

  /** Always empty: commands wait inside the router for their node, not in a client-side queue. */
  get offline(): { readonly commands: number; readonly bytes: number } {
    return { commands: 0, bytes: 0 };
  }

  /** Zeros with the configured `max`: each node has a pool of its own inside the router. */
  poolStats(): PoolStats {
    return { open: 0, idle: 0, borrowed: 0, waiting: 0, creating: 0, max: this.#o.pool.max };
  }

  dispatch(cmd: Command, signal?: AbortSignal): Promise<unknown> {
    if (commandChannel.hasSubscribers) commandChannel.publish(commandMessage(cmd, this.#label));
    const router = this.#router;
    // (Un)subscribe commands carry no key positions: data commands skip the name lookup.
    if (router === undefined || this.#closing || (cmd.keyIndexes === undefined && isSubscribeCommand(cmd)))
      return this.#slow(cmd, signal);
    return router.dispatch(cmd, signal === undefined ? undefined : { signal });
  }

  dispatchMany(cmds: readonly Command[], signal?: AbortSignal): Promise<unknown[]> {
    if (batchChannel.hasSubscribers) batchChannel.publish({ size: cmds.length, transport: this.#label });
    const options = signal === undefined ? undefined : { signal };
    const router = this.#router;
    if (router !== undefined && !this.#closing) return router.dispatchMany(cmds, options);
    return this.#ensure().then((r) => r.dispatchMany(cmds, options));
  }

  /** Never: a router may hold a batch back (discovery, a redirect) or split it by node itself. */
  batchMaySplit(): boolean {
    return false;
  }

  /** Blocking commands: the router sends them on a per-node pool; no command timeout unless asked. */
  dispatchBlocking(cmd: Command, signal?: AbortSignal): Promise<unknown> {
    return this.dispatch(cmd.timeout === undefined ? { ...cmd, timeout: 0 } : cmd, signal);
  }

  /** `fn` on a dedicated connection to the node serving `keys` (one slot, or `CrossSlotError`). */
  async withDedicated<R>(
    fn: DedicatedWork<R>,
    signal?: AbortSignal,
    keys: readonly CommandArg[] = [],
  ): Promise<R> {
    if (this.#closing) throw this.#closedError();
    // No await when built: a quit() right after this call must find it already in the router.
    const router = this.#router ?? (await this.#ensure());
    if (router.withDedicated === undefined)
      throw new UnsupportedByRouterError('a dedicated connection (multi, watch)');
    return router.withDedicated(keys, fn, signal);
  }

  /**
   * Through the router's own `transaction` when it has one (it follows moved slots), else
   * `withDedicated`. `keys` default to every key the batch's commands mark.
   */
  async transaction(
    cmds: readonly Command[],
    signal?: AbortSignal,
    keys: readonly CommandArg[] = commandKeys(cmds),
  ): Promise<unknown[]> {
    if (this.#closing) throw this.#closedError();
    const router = this.#router ?? (await this.#ensure());
    if (router.transaction !== undefined) return router.transaction(keys, cmds, signal);
    return this.withDedicated((connection) => connection.sendMany(cmds, signal), signal, keys);
  }

  /** The nodes a cluster-wide SCAN visits, when the router has them. */
  async scanTargets(): Promise<readonly ScanTarget[] | undefined> {
    const router = await this.#ensure();
    return router.scanTargets === undefined ? undefined : router.scanTargets();
  }

  /** The router's nodes (of one role, or all), each with a router for it alone. */
  async nodes(role: NodeRole | undefined): Promise<readonly RouterNode[]> {
    if (this.#closing) throw this.#closedError();
    const router = await this.#ensure();
    if (router.nodes === undefined) throw new UnsupportedByRouterError('listing its nodes (nodes())');
    return router.nodes(role);
  }

  /** A connection of its own (RESP2 pub/sub, MONITOR) would be one per node: not offered over a router. */
  openConnection(
    _onPush: ((push: unknown[]) => void) | undefined,
    _signal?: AbortSignal,
  ): Promise<Connection> {
    return Promise.reject(
      new UnsupportedByRouterError('a connection of its own (pub/sub over RESP2: use protocol 3; MONITOR)'),
    );
  }

  /** Builds the router and waits for its topology (cluster) or master (sentinel); again after `end`. */
  connect(): Promise<void> {
    if (this.#status === 'ready') return Promise.resolve();
    if (this.#status === 'end') {
      const topology = this.#o.topology;
      // quit() closed it, and a router given built cannot be built again.
      if (topology.kind === 'router' && typeof topology.router !== 'function') {
        return Promise.reject(
          new ConnectionClosedError('a client given a router instance cannot open again once ended', false),
        );
      }
      this.#reopen();
    }
    if (this.#closing) return Promise.reject(this.#closedError());
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  close(): Promise<void> {
    return this.quit();
  }

  /** After `end`, `connect()` starts over with a new router, as the standalone client does. */
  #reopen(): void {
    this.#router = undefined;
    this.#building = undefined;
    this.#pubsub = undefined;
    this.#closing = false;
    this.#quitting = undefined;
    this.#status = 'wait';
  }

  /** Closes the router (pending commands settle first). Idempotent. */
  quit(): Promise<void> {
    if (this.#quitting !== undefined) return this.#quitting;
    if (this.#status === 'end') return Promise.resolve();
    this.#closing = true;
    this.#quitting = this.#quit();
    return this.#quitting;
  }

  /**
   * At once when the router can (`Router#destroy`): pending commands reject, a `BLPOP … 0` too
   * (graceful, it would hold `disconnect()` for ever). A router without it closes as on `quit()`.
   */
  async disconnect(): Promise<void> {
    if (this.#status === 'end') return;
    const quitting = this.quit();
    const router = this.#router ?? (await this.#building?.catch(() => undefined));
    if (router?.destroy !== undefined) {
      try {
        await router.destroy(new ConnectionClosedError('the client disconnected', false));
      } catch (err) {
        this.#events.emit('error', asError(err));
      }
    }
    await quitting;
  }

  async #quit(): Promise<void> {
    this.#status = 'closing';
    this.#pubsub?.close();
    const router = this.#router ?? (await this.#building?.catch(() => undefined));
    if (router !== undefined) {
      try {
        await router.close();
      } catch (err) {
        this.#events.emit('error', asError(err));
      }
      this.#events.emit('close');
    }
    this.#status = 'end';
    this.#events.emit('end');
  }

  async #connect(): Promise<void> {
    this.#status = 'connecting';
    try {
      const router = await this.#ensure();
      const connect = (router as { connect?: () => Promise<void> }).connect;
      if (typeof connect === 'function') await connect.call(router);
    } catch (thrown) {
      const err = asError(thrown);
      if (!this.#closing) this.#status = 'wait';
      if (connectChannel.hasSubscribers) {
        connectChannel.publish({ transport: this.#label, attempt: 0, ok: false, error: err });
      }
      this.#events.emit('error', err);
      throw err;
    }
    if (this.#closing) throw this.#closedError();
    this.#status = 'ready';
    if (connectChannel.hasSubscribers) {
      connectChannel.publish({ transport: this.#label, attempt: 0, ok: true, protocol: this.#o.protocol });
    }
    this.#events.emit('connect');
    this.#events.emit('ready');
    this.listeners.emitReady();
  }

  async #slow(cmd: Command, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.#closing) throw this.#closedError();
    const router = await this.#ensure();
    if (this.#status === 'wait') this.connect().catch(() => {});
    if (isSubscribeCommand(cmd)) {
      // A router given built has connections whose pushes go where its maker said, not here: the
      // server would confirm the subscription and every message would be lost without a word.
      const topology = this.#o.topology;
      if (topology.kind === 'router' && typeof topology.router !== 'function') {
        throw new UnsupportedByRouterError(
          'pub/sub through a router instance (its connections do not hand messages to this client; give a router function, or subscribe on the client the router came from)',
        );
      }
      this.#pubsub ??= new RouterPubSub(router, (err) => this.#events.emit('error', err));
      return this.#pubsub.send(cmd, signal);
    }
    return router.dispatch(cmd, signal === undefined ? undefined : { signal });
  }

  /** The router, built once the decoder is known. */
  #ensure(): Promise<Router> {
    if (this.#router !== undefined) return Promise.resolve(this.#router);
    if (this.#closing) return Promise.reject(this.#closedError());
    if (this.#building === undefined) {
      const building = resolveDecoder(this.#o.decoder).then((decoder) => {
        this.#decoderInfo = decoderInfoOf(decoder);
        this.#graphWireDecoder = decoder.graphWireDecoder;
        const router = buildRouter(this.#o, this.#connectionOptions(decoder), () =>
          this.#pubsub?.connectionLost(),
        );
        this.#router = router;
        return router;
      });
      this.#building = building;
      building.catch(() => {
        if (this.#building === building) this.#building = undefined;
      });
    }
    return this.#building;
  }

  /** The client's connection settings, for every data node. */
  #connectionOptions(decoder: ResolvedDecoder): RouterConnectionOptions {
    return { ...connectionSettings(this.#o, decoder), onPush: this.#onPush };
  }

  #closedError(): ConnectionClosedError {
    return new ConnectionClosedError(`the ${this.#label} client is closed`, false);
  }
}
