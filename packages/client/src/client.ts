import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import {
  type CommandExecutor,
  Graph,
  GraphServer,
  jsWireDecoder,
  type WireDecoderFactory,
} from '@fusedis/graph';
import type { PoolStats } from '@fusedis/pool';
import { ConnectionClosedError, InvalidOptionError } from '@fusedis/pool';
import { type Command, type CommandArg, InvalidArgumentError, type StringMode } from '@fusedis/resp';
import { StandaloneRouter } from '@fusedis/router';
import type { ClientEvents, ClientListener } from './client-events.js';
import { ClientEmitter } from './client-events.js';
import type { CallOverrides, ClientOptions } from './client-options.js';
import type { ReplyContext } from './command-spec.js';
import { graphExecutor } from './graph-executor.js';
import type { ClientBufferMethods } from './internal/buffer-methods.js';
import { installMethod } from './internal/built-methods.js';
import { type CallArgument, callArguments } from './internal/call-keys.js';
import type { CallOptions, ClientCore } from './internal/client-core.js';
import { makeClientCore } from './internal/client-core-impl.js';
import { installClientMethods, type ReservedCommandName, type Transform } from './internal/client-methods.js';
import { isCommandList, queueCommandList, type RawCommand } from './internal/command-list.js';
import type { ClientCommandMethods } from './internal/command-methods.js';
import { type ContainerMethods, installContainerMethods } from './internal/container-methods.js';
import {
  type CommandDefinition,
  type DefinedCommands,
  defineScriptCode,
  scriptArguments,
} from './internal/defined-commands.js';
import type { Dispatcher } from './internal/dispatcher.js';
import { prefixCommand } from './internal/key-prefix.js';
import { checkOptionsArgument, keysOf } from './internal/option-checks.js';
import { describeRawCall } from './internal/raw-call.js';
import { hidePassword, type ResolvedOptions, resolveOptions } from './internal/resolve-options.js';
import { RouterDispatch } from './internal/router-dispatch.js';
import { type ClientStatus, StandaloneDispatch } from './internal/standalone-dispatch.js';
import { stringModeOf } from './internal/string-mode.js';
import { type Monitor, type MonitorListener, startMonitor } from './monitor/monitor.js';
import { createMulti, type MultiOptions, type Transaction } from './multi.js';
import { createPipeline, type Pipeline, type PipelineOptions } from './pipeline.js';
import { emitMessageEvents } from './pubsub/message-events.js';
import {
  createPubSub,
  type PubSub,
  type SubscribeFunction,
  type UnsubscribeFunction,
} from './pubsub/pubsub.js';
import type { DecoderInfo } from './resolve-decoder.js';
import {
  checkScanOptions,
  hscanIterator,
  type ScanBaseOptions,
  type ScanIteratorOptions,
  type ScoredMember,
  scanIterator,
  sscanIterator,
  zscanIterator,
} from './scan-iterator.js';
import { collectionStream, scanStream } from './scan-stream.js';
import {
  createScript,
  runScriptOn,
  type Script,
  type ScriptArgs,
  type ScriptCode,
  type ScriptDefinition,
} from './script.js';
import { runWatched, type WatchOptions, type WatchScope } from './transaction-watch.js';

/** What every view of one client shares: options, dispatcher, events, reply contexts. */
interface Shared {
  /** The client's pub/sub, made on first use; closed by quit/disconnect. */
  pubsub: PubSub | undefined;
  /** Monitors running; stopped by quit/disconnect. */
  readonly monitors: Set<Monitor>;
  readonly options: ResolvedOptions;
  readonly dispatch: Dispatcher;
  readonly events: ClientEmitter;
  readonly prefix: string;
  readonly prefixBytes: Buffer;
  readonly utf8: ReplyContext;
  readonly buffer: ReplyContext;
  /** Commands made with `defineCommand`: every view, pipeline and transaction gets a method. */
  readonly defined: DefinedCommands;
}

interface ViewInit {
  readonly shared: Shared;
  readonly overrides: CallOverrides;
}

// `withOptions()` hands a view's state to the constructor through this slot, so the public
// constructor keeps its plain signature.
let pendingView: ViewInit | undefined;

// Set by Client's static block: reaches the private seam without making it public.
let coreOf: (client: Client) => ClientCore;

function replyContext(dispatch: Dispatcher, stringMode: StringMode): ReplyContext {
  return {
    get protocol(): 2 | 3 {
      return dispatch.protocol;
    },
    stringMode,
  };
}

/** What `nodes()` takes: a role, or all; `'slave'` is ioredis's name for a replica. */
export type NodeRoleOption = 'all' | 'master' | 'replica' | 'slave';
const NODE_ROLES: ReadonlySet<unknown> = new Set<NodeRoleOption>(['all', 'master', 'replica', 'slave']);

const CALL_OVERRIDE_KEYS = keysOf<CallOverrides>({ signal: true, timeout: true, returnBuffers: true });
const CHAIN_OPTION_KEYS = keysOf<PipelineOptions & MultiOptions>({ returnBuffers: true });
const WATCH_OPTION_KEYS = keysOf<WatchOptions>({ signal: true, retries: true });

/** Every command method; reserved names have APIs of their own. */
export interface Client
  extends Omit<ClientCommandMethods, ReservedCommandName>,
    ClientBufferMethods,
    ContainerMethods<Promise<unknown>> {}

/**
 * A Redis client: one typed method per command (`get`, `hgetall`, `zadd`…), auto-pipelined on
 * one shared connection, blocking commands on a pool of dedicated ones, reconnection with an
 * offline queue, at-most-once delivery. Make one with `createClient(url | options)`.
 */
export class Client {
  readonly #shared: Shared;
  readonly #signal: AbortSignal | undefined;
  readonly #timeout: number | undefined;
  readonly #mode: StringMode | undefined;
  /** No per-view overrides: the hot path skips copying commands. */
  readonly #plain: boolean;
  #core: ClientCore | undefined;

  /** Same as `createClient(options)`. */
  constructor(options?: string | ClientOptions) {
    const view = pendingView;
    pendingView = undefined;
    if (view !== undefined) {
      this.#shared = view.shared;
      const o = view.overrides;
      this.#signal = o.signal;
      this.#timeout = o.timeout;
      this.#mode = stringModeOf(o.returnBuffers);
      this.#plain = this.#timeout === undefined && this.#mode === undefined;
      for (const [name, code] of this.#shared.defined) this.#installDefined(name, code);
      return;
    }
    const resolved = resolveOptions(options);
    const events = new ClientEmitter();
    const dispatch: Dispatcher =
      resolved.topology.kind === 'standalone'
        ? new StandaloneDispatch(resolved, events)
        : new RouterDispatch(resolved, events);
    this.#shared = {
      pubsub: undefined,
      monitors: new Set(),
      options: resolved,
      dispatch,
      events,
      prefix: resolved.keyPrefix,
      prefixBytes: Buffer.from(resolved.keyPrefix),
      utf8: replyContext(dispatch, 'utf8'),
      buffer: replyContext(dispatch, 'buffer'),
      defined: new Map(),
    };
    this.#signal = undefined;
    this.#timeout = undefined;
    this.#mode = undefined;
    this.#plain = true;
    const scripts = resolved.given.scripts;
    if (scripts !== undefined)
      for (const [name, definition] of Object.entries(scripts)) this.defineCommand(name, definition);
    if (!resolved.lazyConnect) dispatch.connect().catch(() => {});
  }

  /** `wait` (lazy, not connected yet), `connecting`, `ready`, `reconnecting`, `closing` or `end`. */
  get status(): ClientStatus {
    return this.#shared.dispatch.status;
  }

  /** The RESP version the connection speaks (the one asked for until the first connect). */
  get protocol(): 2 | 3 {
    return this.#shared.dispatch.protocol;
  }

  /** Which decoder is in use and why (`undefined` until the first connect resolves it). */
  get decoderInfo(): DecoderInfo | undefined {
    return this.#shared.dispatch.decoderInfo;
  }

  /** Commands (and their bytes) waiting in the offline queue for a connection. */
  get offlineQueue(): { readonly commands: number; readonly bytes: number } {
    return this.#shared.dispatch.offline;
  }

  /** Counters of the pool of dedicated connections (blocking commands, `watch()` scopes). */
  poolStats(): PoolStats {
    return this.#shared.dispatch.poolStats();
  }

  /**
   * Connects now (without it, the first command does). Resolves with the client once ready
   * (node-redis's `const client = await createClient().connect()`); rejects if the client ends
   * first (`quit`, `disconnect`, or `retryStrategy` gave up). Safe to call again, also after the
   * client ended: it opens again, as ioredis's and node-redis's do (a client given a `router`
   * instance excepted: that router was closed).
   */
  async connect(): Promise<this> {
    // Ended: the pub/sub was closed with it; subscriptions made from now on start a new one.
    if (this.#shared.dispatch.status === 'end') this.#shared.pubsub = undefined;
    await this.#shared.dispatch.connect();
    return this;
  }

  /** The same as `connect()`: awaiting it connects. */
  get ready(): Promise<this> {
    return this.connect();
  }

  /** Connecting, ready or reconnecting: not yet started, nor closing or ended (node-redis's `isOpen`). */
  get isOpen(): boolean {
    const status = this.#shared.dispatch.status;
    return status === 'connecting' || status === 'ready' || status === 'reconnecting';
  }

  /** Ready to serve commands at once (`status === 'ready'`, node-redis's `isReady`). */
  get isReady(): boolean {
    return this.#shared.dispatch.status === 'ready';
  }

  /**
   * Closes gracefully: commands already sent get their replies, a connect in progress may flush
   * the offline queue first, then the connections close. Later commands reject. Idempotent.
   */
  quit(): Promise<void> {
    // Both start now, so a command issued after quit() rejects at once.
    const pubsub = this.#shared.pubsub?.close();
    const monitors = this.#stopMonitors();
    const quitting = this.#shared.dispatch.quit();
    return Promise.all([pubsub, monitors, quitting]).then(() => {});
  }

  /**
   * Closes at once: every pending command rejects with `ConnectionClosedError` (`written` says
   * whether it may have run), sockets are destroyed.
   */
  async disconnect(): Promise<void> {
    const closing = this.#shared.pubsub?.close();
    const monitors = this.#stopMonitors();
    await this.#shared.dispatch.disconnect();
    await Promise.all([closing, monitors]);
  }

  /**
   * `MONITOR` on a connection of its own: `listener` gets each command the server runs from now
   * on (`{ time, db, source, args, line }`). Resolves once the server confirmed; `stop()` the
   * returned {@link Monitor} to end it (`quit()`/`disconnect()` end it too). Standalone only.
   */
  async monitor(listener: MonitorListener): Promise<Monitor> {
    if (typeof listener !== 'function') throw new InvalidArgumentError('monitor() needs a listener function');
    const shared = this.#shared;
    const connection = await this.#getCore().openConnection(() => {}, this.#signal);
    try {
      const monitor = await startMonitor(connection, listener);
      const status = shared.dispatch.status;
      // quit()/disconnect() came while it started: it would outlive the client.
      if (status === 'closing' || status === 'end')
        throw new ConnectionClosedError('the client closed while MONITOR started', false);
      shared.monitors.add(monitor);
      void monitor.closed.then(() => shared.monitors.delete(monitor));
      return monitor;
    } catch (err) {
      connection.destroy();
      throw err;
    }
  }

  #stopMonitors(): Promise<unknown> {
    return Promise.all([...this.#shared.monitors].map((monitor) => monitor.stop()));
  }

  /** `await using client = createClient()` quits at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.quit();
  }

  on<E extends keyof ClientEvents>(event: E, listener: ClientListener<E>): this {
    this.#shared.events.on(event, listener);
    return this;
  }

  once<E extends keyof ClientEvents>(event: E, listener: ClientListener<E>): this {
    this.#shared.events.once(event, listener);
    return this;
  }

  off<E extends keyof ClientEvents>(event: E, listener: ClientListener<E>): this {
    this.#shared.events.off(event, listener);
    return this;
  }

  /**
   * A new, independent client with the same options (password included), `overrides` on top.
   * A client given a `router` instance cannot be duplicated (the router would be shared) unless
   * `overrides` gives another router; a `router` function is called again.
   */
  duplicate(overrides: ClientOptions = {}): Client {
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
      throw new InvalidOptionError('duplicate: the overrides are an options object, as createClient takes');
    }
    const given = this.#shared.options.given;
    if (typeof given.router === 'object' && overrides.router === undefined) {
      throw new InvalidOptionError(
        'duplicate: a client made with a router instance needs `router` in the overrides',
      );
    }
    const password = overrides.password ?? (given as { password?: string }).password;
    const { password: _p, ...rest } = overrides;
    return new Client(hidePassword({ ...given, ...rest }, password));
  }

  /**
   * The servers behind this client, each as a client of its own that sends every command to that
   * server alone: `INFO`, `SCAN`, `FLUSHDB`, `CONFIG SET` node by node — ioredis's
   * `cluster.nodes(role)` (`'slave'` is its name for `'replica'`), awaited here because the
   * topology may not be known yet. On a cluster: the nodes last discovered, sharing this client's
   * connections (a replica's in READONLY mode) and options (key prefix, buffers, defined commands,
   * this view's overrides); no redirection is followed, so a key the node does not serve gets its
   * MOVED error. On one server: this client, when `ROLE` matches the role asked. Quitting a node's
   * client closes nothing; quitting this client ends theirs.
   */
  async nodes(role: NodeRoleOption = 'all'): Promise<Client[]> {
    if (!NODE_ROLES.has(role)) {
      throw new InvalidArgumentError(
        `nodes: role must be 'all', 'master', 'replica' or 'slave', not ${inspect(role)}`,
      );
    }
    const wanted = role === 'all' ? undefined : role === 'slave' ? 'replica' : role;
    const shared = this.#shared;
    if (shared.dispatch.nodes === undefined) {
      if (wanted === undefined) return [this];
      const reply = await this.withOptions({ returnBuffers: false }).sendCommand(['ROLE']);
      const serverRole = Array.isArray(reply) ? reply[0] : undefined; // 'master', 'slave' or 'sentinel'
      return serverRole === (wanted === 'master' ? 'master' : 'slave') ? [this] : [];
    }
    const listed = await shared.dispatch.nodes(wanted);
    const { cluster: _c, sentinel: _s, router: _r, scripts: _d, ...given } = shared.options.given;
    const overrides = this.#overrides();
    return listed.map((node) => {
      const client = new Client({ ...given, router: node.router });
      for (const [name, code] of shared.defined) {
        client.#shared.defined.set(name, code);
        client.#installDefined(name, code);
      }
      return Object.keys(overrides).length === 0 ? client : client.withOptions(overrides);
    });
  }

  /**
   * A light view of this client whose calls use `overrides` (signal, timeout, buffers). It shares
   * the connection, events and lifecycle: quitting the view quits the client.
   */
  withOptions(overrides: CallOverrides): Client {
    checkOptionsArgument('withOptions', overrides, CALL_OVERRIDE_KEYS);
    pendingView = { shared: this.#shared, overrides: { ...this.#overrides(), ...overrides } };
    return new Client();
  }

  /**
   * Sends any command by name, reply untouched: `call('OBJECT', 'ENCODING', 'key')`. The key
   * prefix goes in front of the keys the server's command table marks (`COMMAND INFO` key specs,
   * read at build time), which also route it in a cluster. Blocking commands (BLPOP, XREAD
   * BLOCK…) go to a dedicated connection.
   */
  call(name: string, ...args: CallArgument[]): Promise<unknown> {
    return this.sendCommand(callArguments(name, args));
  }

  /** Sends a command given as its wire arguments (name first), as `call()` does; the reply is untouched. */
  sendCommand(args: readonly CommandArg[], options?: { readonly stringMode?: StringMode }): Promise<unknown> {
    if (!Array.isArray(args) || args.length === 0) {
      return Promise.reject(
        new InvalidArgumentError('sendCommand: the command is an array of its wire arguments, name first'),
      );
    }
    let cmd: Command;
    try {
      cmd = describeRawCall(args);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#runBuilt(
      options?.stringMode === undefined ? cmd : { ...cmd, stringMode: options.stringMode },
      undefined,
    );
  }

  /**
   * A FalkorDB graph on this client: `client.graph('social').query('MATCH (p) RETURN p')` (see
   * `@fusedis/graph`). The graph name is routed as a key in a cluster; the key prefix does not apply.
   */
  graph(name: string): Graph {
    return new Graph(this.#graphExecutor(), name, { wireDecoder: this.#graphWireDecoder });
  }

  /** Server-wide FalkorDB commands: `GRAPH.LIST`, `GRAPH.CONFIG`, UDF libraries. */
  graphServer(): GraphServer {
    return new GraphServer(this.#graphExecutor());
  }

  /**
   * The decoder is resolved at the first connect, after `graph()` may have been called: so each
   * reply picks the native FalkorDB decoder the resolved decoder brought, or graph's JS one.
   */
  readonly #graphWireDecoder: WireDecoderFactory = (labels, relationshipTypes, propertyKeys) =>
    (this.#shared.dispatch.graphWireDecoder ?? jsWireDecoder)(labels, relationshipTypes, propertyKeys);

  #graphExecutor(): CommandExecutor {
    return graphExecutor((cmd, signal) =>
      (signal === undefined ? this : this.withOptions({ signal })).#send(cmd, undefined),
    );
  }

  /**
   * An explicit pipeline: queue commands, then `exec()` sends them in one write and resolves with
   * one `[error, result]` pair per command (a failure never costs the others their results).
   * ioredis's array form, `pipeline([['set', 'a', '1'], ['get', 'a']])`, queues each with
   * `call()`: arguments as given, keys prefixed as `call()` does, replies raw.
   */
  pipeline(options?: PipelineOptions): Pipeline;
  pipeline(commands: readonly RawCommand[], options?: PipelineOptions): Pipeline;
  pipeline(first?: PipelineOptions | readonly RawCommand[], options?: PipelineOptions): Pipeline {
    checkOptionsArgument('pipeline', isCommandList(first) ? options : first, CHAIN_OPTION_KEYS);
    if (!isCommandList(first)) return this.#withDefined(createPipeline(this.#getCore(), first));
    return queueCommandList(this.#withDefined(createPipeline(this.#getCore(), options)), first);
  }

  /**
   * A MULTI/EXEC transaction, written whole on the shared connection (of the keys' master, on a
   * cluster) when `exec()` is called;
   * `ExecAbortError` / `WatchError` say why nothing ran. Takes ioredis's array form as
   * `pipeline()` does.
   */
  multi(options?: MultiOptions): Transaction;
  multi(commands: readonly RawCommand[], options?: MultiOptions): Transaction;
  multi(first?: MultiOptions | readonly RawCommand[], options?: MultiOptions): Transaction {
    checkOptionsArgument('multi', isCommandList(first) ? options : first, CHAIN_OPTION_KEYS);
    if (!isCommandList(first)) return this.#withDefined(createMulti(this.#getCore(), first));
    return queueCommandList(this.#withDefined(createMulti(this.#getCore(), options)), first);
  }

  /** A Lua script bound to this client: `run()` uses EVALSHA and falls back to EVAL on NOSCRIPT. */
  defineScript<K extends number | undefined = undefined>(definition: ScriptDefinition<K>): Script<K> {
    return createScript(this.#getCore(), definition);
  }

  /**
   * `WATCH keys`, then `fn(scope)` on one dedicated connection; `scope.multi()…exec()` rejects
   * with `WatchError` when a watched key changed (`retries` reruns `fn`).
   */
  watch<R>(
    keys: CommandArg | readonly CommandArg[],
    fn: (scope: WatchScope) => Promise<R> | R,
    options?: WatchOptions,
  ): Promise<R> {
    try {
      checkOptionsArgument('watch', options, WATCH_OPTION_KEYS);
      if (typeof fn !== 'function') {
        throw new InvalidArgumentError(
          'watch: the second argument is the function that runs the transaction (watch(keys, async (tx) => …))',
        );
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return runWatched(this.#getCore(), keys, fn, options);
  }

  /** Subscribes to channels: with a listener, resolves once confirmed; without, an async iterator. */
  get subscribe(): SubscribeFunction {
    return this.#pubsub().subscribe;
  }

  /** Subscribes to glob patterns (`PSUBSCRIBE`). */
  get psubscribe(): SubscribeFunction {
    return this.#pubsub().psubscribe;
  }

  /** Subscribes to shard channels (`SSUBSCRIBE`). */
  get ssubscribe(): SubscribeFunction {
    return this.#pubsub().ssubscribe;
  }

  /** Unsubscribes from channels (a listener, or all of them). */
  get unsubscribe(): UnsubscribeFunction {
    return this.#pubsub().unsubscribe;
  }

  /** Unsubscribes from patterns. */
  get punsubscribe(): UnsubscribeFunction {
    return this.#pubsub().punsubscribe;
  }

  /** Unsubscribes from shard channels. */
  get sunsubscribe(): UnsubscribeFunction {
    return this.#pubsub().sunsubscribe;
  }

  /** Every key (`SCAN`), as an async iterator; with a key prefix, only this client's keys, unprefixed. */
  scanIterator(options?: ScanIteratorOptions): AsyncGenerator<string | Buffer> {
    checkScanOptions(options, 'scanIterator', true);
    return scanIterator(this.#getCore(), options);
  }

  /**
   * ioredis's `scanStream()`: a Readable (object mode) whose chunks are arrays of keys, one per
   * `SCAN` step; with a key prefix, only this client's keys, unprefixed.
   */
  scanStream(options?: ScanIteratorOptions): Readable {
    checkScanOptions(options, 'scanStream', true);
    return scanStream(this.#getCore(), options);
  }

  /** ioredis's `hscanStream()`: chunks `[field, value, …]`, one per `HSCAN` step. */
  hscanStream(key: CommandArg, options?: ScanBaseOptions): Readable {
    checkScanOptions(options, 'hscanStream', false);
    return collectionStream(this.#getCore(), 'HSCAN', key, options);
  }

  /** ioredis's `sscanStream()`: chunks `[member, …]`, one per `SSCAN` step. */
  sscanStream(key: CommandArg, options?: ScanBaseOptions): Readable {
    checkScanOptions(options, 'sscanStream', false);
    return collectionStream(this.#getCore(), 'SSCAN', key, options);
  }

  /** ioredis's `zscanStream()`: chunks `[member, score, …]` (scores as text), one per `ZSCAN` step. */
  zscanStream(key: CommandArg, options?: ScanBaseOptions): Readable {
    checkScanOptions(options, 'zscanStream', false);
    return collectionStream(this.#getCore(), 'ZSCAN', key, options);
  }

  /** Every `[field, value]` of a hash (`HSCAN`). */
  hscanIterator(key: CommandArg, options?: ScanBaseOptions): AsyncGenerator<[unknown, unknown]> {
    checkScanOptions(options, 'hscanIterator', false);
    return hscanIterator(this.#getCore(), key, options) as AsyncGenerator<[unknown, unknown]>;
  }

  /** Every member of a set (`SSCAN`). */
  sscanIterator(key: CommandArg, options?: ScanBaseOptions): AsyncGenerator<string | Buffer> {
    checkScanOptions(options, 'sscanIterator', false);
    return sscanIterator(this.#getCore(), key, options);
  }

  /** Every `{ value, score }` of a sorted set (`ZSCAN`). */
  zscanIterator(key: CommandArg, options?: ScanBaseOptions): AsyncGenerator<ScoredMember<string | Buffer>> {
    checkScanOptions(options, 'zscanIterator', false);
    return zscanIterator(this.#getCore(), key, options);
  }

  #pubsub(): PubSub {
    const shared = this.#shared;
    // One per client, whatever view made it first: it must not inherit a view's signal.
    shared.pubsub ??= createPubSub(this.#makeCore(true), {
      onError: (err) => shared.events.emit('error', err),
      onMessage: (raw) => emitMessageEvents(shared.events, raw),
    });
    return shared.pubsub;
  }

  /** Options of this view, as `withOptions` would take them. */
  #overrides(): CallOverrides {
    const o: { -readonly [K in keyof CallOverrides]: CallOverrides[K] } = {};
    if (this.#signal !== undefined) o.signal = this.#signal;
    if (this.#timeout !== undefined) o.timeout = this.#timeout;
    if (this.#mode !== undefined) o.returnBuffers = this.#mode === 'buffer';
    return o;
  }

  /** The hot path of every command method once built: prefix, send, shape. */
  #runBuilt(cmd: Command, transform: Transform | undefined): Promise<unknown> {
    const shared = this.#shared;
    if (shared.prefix !== '' && cmd.keyIndexes !== undefined)
      cmd = prefixCommand(cmd, shared.prefix, shared.prefixBytes);
    return this.#send(cmd, transform);
  }

  #send(cmd: Command, transform: Transform | undefined): Promise<unknown> {
    if (!this.#plain) cmd = this.#applyView(cmd);
    const shared = this.#shared;
    const dispatch = shared.dispatch;
    const sent =
      cmd.blocking === true
        ? dispatch.dispatchBlocking(cmd, this.#signal)
        : dispatch.dispatch(cmd, this.#signal);
    if (transform === undefined) return sent;
    const context = (cmd.stringMode ?? shared.options.stringMode) === 'buffer' ? shared.buffer : shared.utf8;
    return sent.then((reply) => transform(reply, context));
  }

  #applyView(cmd: Command): Command {
    const copy: { -readonly [K in keyof Command]: Command[K] } = { ...cmd };
    // A command that fixes its own mode (DUMP's bytes, a graph query's frame) keeps it.
    if (this.#mode !== undefined && cmd.stringMode === undefined) copy.stringMode = this.#mode;
    if (this.#timeout !== undefined) copy.timeout = this.#timeout;
    return copy;
  }

  /**
   * ioredis's `defineCommand`: a method `name(...keysAndArgs)` (and `nameBuffer`) on this client,
   * its views made afterwards, its pipelines and transactions, running the Lua script with
   * `EVALSHA` (`EVAL` on `NOSCRIPT`). With `numberOfKeys`, that many leading arguments are keys;
   * without, the first argument says how many keys follow. Keys get the key prefix. TypeScript
   * learns the method by declaration merging (see the README).
   */
  defineCommand(name: string, definition: CommandDefinition): void {
    const code = defineScriptCode(name, definition, (method) => method in this);
    this.#shared.defined.set(name, code);
    this.#installDefined(name, code);
  }

  /** `name` and `nameBuffer` on this view; its core is made at the first call, the Lua hashed once. */
  #installDefined(name: string, code: ScriptCode): void {
    const run = (options: CallOptions, args: unknown[]): Promise<unknown> => {
      try {
        return runScriptOn(this.#getCore(), code, options, scriptArguments(code, args));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    installMethod(this, name, (...args: unknown[]) => run({}, args));
    installMethod(this, `${name}Buffer`, (...args: unknown[]) => run({ stringMode: 'buffer' }, args));
  }

  /** A new pipeline or transaction with a method per defined command (queueing its script). */
  #withDefined<Q extends Pipeline | Transaction>(queue: Q): Q {
    for (const [name, code] of this.#shared.defined) {
      installMethod(queue, name, (...args: unknown[]) =>
        queue.runScript(code, ...(scriptArguments(code, args) as ScriptArgs<number | undefined>)),
      );
    }
    return queue;
  }

  /** The seam the features (pipelines, transactions, pub/sub, scripts, scans) are built on. */
  #getCore(): ClientCore {
    this.#core ??= this.#makeCore();
    return this.#core;
  }

  /** The seam over this view's options, or (`plain`) over the client's own, for shared features. */
  #makeCore(plain = false): ClientCore {
    const shared = this.#shared;
    return makeClientCore({
      dispatch: shared.dispatch,
      stringMode: shared.options.stringMode,
      replayIdempotent: shared.options.replayIdempotent,
      prefix: shared.prefix,
      prefixBytes: shared.prefixBytes,
      mode: plain ? undefined : this.#mode,
      timeout: plain ? undefined : this.#timeout,
      signal: plain ? undefined : this.#signal,
    });
  }

  /** Never shows the password: status, transport, db and protocol only. */
  [inspect.custom](): string {
    const o = this.#shared.options;
    const prefix = o.keyPrefix === '' ? '' : `, keyPrefix: ${JSON.stringify(o.keyPrefix)}`;
    const transport = o.topology.kind === 'standalone' ? o.transport.label : topologyLabel(o.topology);
    return `Client { status: '${this.status}', transport: '${transport}', db: ${o.db}, protocol: ${this.protocol}${prefix} }`;
  }

  static {
    coreOf = (client) => client.#getCore();
    installContainerMethods(Client.prototype);
    installClientMethods<Client>(Client.prototype, (client, cmd, transform) =>
      client.#runBuilt(cmd, transform),
    );
  }
}

/**
 * `cluster`, `sentinel` or `router`; a router of one server (`StandaloneRouter`, what each client
 * of `nodes()` has) adds its address, so a node's client says which node it is.
 */
function topologyLabel(topology: ResolvedOptions['topology']): string {
  if (topology.kind !== 'router' || !(topology.router instanceof StandaloneRouter)) return topology.kind;
  const { host, port } = topology.router.address;
  return `router ${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Internal: the seam object of `client`, for the features built on it. Not exported from the package. */
export function clientCore(client: Client): ClientCore {
  return coreOf(client);
}
