import type { TlsOptions, Transport } from '@fusedis/pool';
import type { DecodeOptionsInput, DecoderFactory } from '@fusedis/resp';

/** Which reply decoder a client uses. See `resolveDecoder`. */
export type DecoderChoice = 'auto' | 'js' | 'native' | DecoderFactory;

/**
 * How long to wait before reconnect attempt `attempt` (1, 2, …) after `err`, in milliseconds,
 * or `null` to give up: the client then ends, and every queued command rejects.
 */
export type RetryStrategy = (attempt: number, err: Error) => number | null;

/** Options of the pool of dedicated connections (blocking commands, WATCH/MULTI). */
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
   * Commands marked idempotent (reads such as GET, HGETALL) that were already written when the
   * connection died are sent again after the reconnect instead of rejecting with `written: true`.
   * Off by default: it costs one extra promise per idempotent command (about a quarter of the
   * throughput of 100,000 concurrent GETs). Never-written commands are always replayed. @default false
   */
  readonly replayIdempotent?: boolean;
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
  /** Strings in replies as `Buffer`s, for every command of this client. @default false */
  readonly returnBuffers?: boolean;
  /** `CLIENT SETNAME` on every (re)connect. */
  readonly clientName?: string;
  /** The reply decoder. @default 'auto' (native when installed, else JS; `FUSEDIS_DECODER` overrides) */
  readonly decoder?: DecoderChoice;
  /** How replies map to JS values (maps, sets, integers, limits); `strings` follows `returnBuffers`. */
  readonly decodeOptions?: Omit<DecodeOptionsInput, 'strings'>;
  /** The pool of dedicated connections for blocking commands and transactions. */
  readonly pool?: ClientPoolOptions;
  /** Reserved for cluster and sentinel routers (a later release); must be left unset. */
  readonly router?: never;
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
