import type { ConnectionOptions, TlsOptions, Transport } from '@fusedis/pool';
import type { DecodeOptionsInput, DecoderFactory, ReplyError } from '@fusedis/resp';
import type { NodeAddress, Router } from '@fusedis/router';
import type { CommandDefinition } from './internal/defined-commands.js';

/** Which reply decoder a client uses. See `resolveDecoder`. */
export type DecoderChoice = 'auto' | 'js' | 'native' | DecoderFactory;

/**
 * How long to wait before reconnect attempt `attempt` (1, 2, …) after `err`, in milliseconds,
 * or `null` to give up: the client then ends, and every queued command rejects.
 */
export type RetryStrategy = (attempt: number, err: Error) => number | null;

/**
 * Asked about each error reply a command gets on a standalone client's shared connection:
 * `false` leaves it alone; `true` closes that connection gracefully and reconnects (the command
 * still rejects with the error); `'resend'` reconnects and sends the command again on the new
 * connection (ioredis's `2`), within the command's original timeout. E.g. `READONLY` after a
 * failover behind a DNS name that now points at the new master.
 */
export type ReconnectOnError = (err: ReplyError) => boolean | 'resend';

/** Options of the pool of dedicated connections (blocking commands, `watch()` scopes). */
export interface ClientPoolOptions {
  /** Most dedicated connections open at once. @default 10 */
  readonly max?: number;
  /** Connections kept open even when idle. @default 0 */
  readonly min?: number;
  /** An idle connection is closed after this many milliseconds. @default 30_000 */
  readonly idleTimeout?: number;
  /** How long a blocking command waits for a free connection, in ms → `TimeoutError` (phase `acquire`); 0 = no limit. @default 10_000 */
  readonly acquireTimeout?: number;
}

/**
 * Everything `createClient` accepts. Every field is optional; a `url` fills in the connection
 * fields and the other fields override it.
 */
export interface ClientOptions {
  /** `redis://user:pass@host:port/db?opts`, `rediss://…` (TLS), or `unix:///path?db=1`. */
  readonly url?: string;
  /** Server host name or IP address. @default '127.0.0.1' */
  readonly host?: string;
  /** Server TCP port. @default 6379 */
  readonly port?: number;
  /** A Unix socket path; when set, `host`/`port` are ignored. */
  readonly path?: string;
  /** ACL user name (Redis 6+). @default 'default' when only a password is given */
  readonly username?: string;
  /** Password for `AUTH`. Kept out of messages, events and `util.inspect`. */
  readonly password?: string;
  /** Database index selected on every (re)connect. @default 0 */
  readonly db?: number;
  /** TLS: `true`, or the `tls()` options (CA, client cert, servername…). Never falls back to plaintext. @default false */
  readonly tls?: boolean | Omit<TlsOptions, 'host' | 'port'>;
  /**
   * A transport you built (`duplex(…)`, a proxy, an SSH channel…); replaces host/port/path/tls.
   */
  readonly transport?: Transport;
  /** RESP version asked for with `HELLO`; a server without `HELLO` is spoken to in RESP2. @default 3 */
  readonly protocol?: 2 | 3;
  /** Opening a connection (transport + handshake) gives up after this many ms. @default 10_000 */
  readonly connectTimeout?: number;
  /**
   * A connection made while the server is loading its data (after a restart, `DEBUG RELOAD`)
   * waits until it is done before serving commands, asking with `PING` (100 ms, doubling to 1 s),
   * so commands wait in the offline queue (bounded by `commandTimeout`) instead of failing with
   * `LOADING` (ioredis's `enableReadyCheck`). Not counted in `connectTimeout`. @default true
   */
  readonly readyCheck?: boolean;
  /**
   * A command rejects with `TimeoutError` when its reply has not come after this many ms, written
   * or not; 0 = never. One timer per connection, so it costs next to nothing. @default 30_000
   */
  readonly commandTimeout?: number;
  /**
   * `true`: the first command (or `connect()`) opens the connection. `false`: `createClient`
   * starts connecting at once. @default true
   */
  readonly lazyConnect?: boolean;
  /** Commands issued in the same tick leave in one write. @default true */
  readonly autoPipelining?: boolean;
  /**
   * Commands marked idempotent (reads such as GET, HGETALL, and plain `SET k v`) that were already
   * written when the connection died are sent again after the reconnect instead of rejecting with
   * `ConnectionClosedError` (`written: true`). Costs nothing until a connection dies (the
   * connection hands its unanswered commands back). `false`: only never-written commands are
   * replayed (those always are); use it when even a repeated read is unwelcome (e.g. a server whose
   * reads have side effects through keyspace notifications or LFU counters). It also lets a
   * `watch()` scope whose connection closed before it wrote run again (its reads repeated).
   * @default true
   */
  readonly replayIdempotent?: boolean;
  /**
   * What to do when a command gets an error reply (standalone only: the cluster and sentinel
   * routers follow failovers themselves). @see ReconnectOnError @default none
   */
  readonly reconnectOnError?: ReconnectOnError;
  /** Reconnect delay policy. @default jittered exponential backoff, 50 ms doubling up to 2 s, never gives up */
  readonly retryStrategy?: RetryStrategy;
  /** Commands queued while disconnected, at most; past it a command rejects with `QueueFullError`. @default 100_000 */
  readonly maxOfflineCommands?: number;
  /** Bytes of arguments queued while disconnected, at most (`QueueFullError` past it). @default 67_108_864 (64 MiB) */
  readonly maxOfflineBytes?: number;
  /**
   * Commands awaiting replies on one connection, at most; past it a command rejects with
   * `QueueFullError` (never written). 0 = no cap. @default 0
   */
  readonly maxInFlight?: number;
  /** Prepended to every key (ioredis semantics: keys only, not patterns or channels). @default '' */
  readonly keyPrefix?: string;
  /**
   * ioredis's `scripts`: each entry is `defineCommand(name, definition)` at creation (and in
   * `duplicate()`s).
   */
  readonly scripts?: Readonly<Record<string, CommandDefinition>>;
  /** Strings in replies as `Buffer`s, for every command of this client. @default false */
  readonly returnBuffers?: boolean;
  /** `CLIENT SETNAME` on every (re)connect. */
  readonly clientName?: string;
  /** The reply decoder. @default 'auto' (native when installed, else JS; `FUSEDIS_DECODER` overrides) */
  readonly decoder?: DecoderChoice;
  /** How replies map to JS values (maps, sets, integers, limits); `strings` follows `returnBuffers`. */
  readonly decodeOptions?: Omit<DecodeOptionsInput, 'strings'>;
  /** The pool of dedicated connections for blocking commands and `watch()` scopes. */
  readonly pool?: ClientPoolOptions;
  /**
   * Talk to a Redis Cluster instead of one server (see the README's "Cluster and Sentinel").
   * Auth, TLS, protocol, decoder and timeouts above apply to every node. Excludes `sentinel`,
   * `router`, `path`, `transport` and `db` (cluster has database 0 only).
   */
  readonly cluster?: ClientClusterOptions;
  /** Talk to the master a group of Sentinels names, following failovers. Excludes `cluster`, `router`, `path`, `transport`. */
  readonly sentinel?: ClientSentinelOptions;
  /**
   * A router of your own (any `Router` of `@fusedis/router`), or a function that builds one from
   * the connection options the client resolved (auth, protocol, decoder, timeouts, and the
   * `onPush` that feeds `subscribe`). The client closes it on `quit()`/`disconnect()`.
   */
  readonly router?: Router | ((connection: RouterConnectionOptions) => Router);
}

/** Connection options the client hands to the routers it builds (and to a `router` function). */
export type RouterConnectionOptions = Omit<ConnectionOptions, 'transport'>;

/** A node: `'redis://host:port'` (`rediss://` turns TLS on), `'host:port'`, or `{ host, port }`. */
export type NodeSpec = string | NodeAddress;

/**
 * Where an address a server announces is reached from here: a function (returning `null` or
 * `undefined` keeps the address), or ioredis's table of `'host:port'` → `{ host, port }` (addresses
 * not listed are kept).
 */
export type NatMap =
  | ((address: NodeAddress) => NodeAddress | null | undefined)
  | Readonly<Record<string, NodeAddress>>;

/** `createClient({ cluster })`: how to find and use a Redis Cluster. Durations in milliseconds. */
export interface ClientClusterOptions {
  /**
   * Nodes to discover the cluster from (any one that answers is enough): a list, or one string
   * of comma-separated URLs (`'redis://a:7000,redis://b:7001'`). Credentials in the first seed
   * URL are used when the options give none.
   */
  readonly seeds: readonly NodeSpec[] | string;
  /** Where read-only commands go. @default 'master' */
  readonly readFrom?: 'master' | 'replica' | 'preferReplica';
  /** Maps an address the cluster announces to one this client can reach (NAT, containers). @default identity */
  readonly natMap?: NatMap;
  /** Redirections (MOVED/ASK) and retries per command before `RedirectionLimitError`. @default 16 */
  readonly maxRedirections?: number;
  /** Topology refresh period in ms; 0 = only after errors and redirections. @default 30_000 */
  readonly refreshInterval?: number;
}

/** `createClient({ sentinel })`: the Sentinels to ask and the master's name. */
export interface ClientSentinelOptions {
  /** Sentinel addresses (the first that answers is used). */
  readonly sentinels: readonly NodeSpec[] | string;
  /** The monitored master's name (`sentinel monitor <name> …`). */
  readonly masterName: string;
  /**
   * Maps an address the sentinels report — a data node's, or a sentinel's learned from them — to
   * one this client can reach (NAT, containers). @default identity
   */
  readonly natMap?: NatMap;
  /** ACL user for the Sentinels (never sent to data nodes). */
  readonly sentinelUsername?: string;
  /** Password for the Sentinels (never sent to data nodes; the client's `password` is never sent to Sentinels). */
  readonly sentinelPassword?: string;
  /** TLS to the Sentinels: `true`, or `tls()` options. @default false */
  readonly sentinelTls?: boolean | Omit<TlsOptions, 'host' | 'port'>;
  /** Where read-only commands go. @default 'master' */
  readonly readFrom?: 'master' | 'replica' | 'preferReplica';
  /**
   * Also asks and watches the sentinels the answering one knows (`SENTINEL SENTINELS`); `false`
   * when their reported addresses are not reachable from here. @default true
   */
  readonly updateSentinels?: boolean;
}

/** Options a view made by `client.withOptions()` applies to each of its calls. */
export interface CallOverrides {
  /** Cancels the calls: they reject with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Command timeout for these calls, in ms; 0 = none. @default the client's `commandTimeout` */
  readonly timeout?: number;
  /** Strings in replies as `Buffer`s (or, `false`, as strings on a `returnBuffers` client). */
  readonly returnBuffers?: boolean;
}
