import type { Command, DecodeOptionsInput, DecoderFactory, StringMode } from '@fusedis/resp';
import type { Transport } from './transport.js';

/** Options for {@link Connection.open}. Durations are in milliseconds. */
export interface ConnectionOptions {
  /** How to reach the server: `tcp()`, `tls()`, `unix()` or `duplex()`. */
  readonly transport: Transport;
  /** Builds the reply decoder. @default createJsDecoder (from `@fusedis/resp`) */
  readonly decoder?: DecoderFactory;
  /** How replies become JS values (strings, maps, sets, integers, limits). @default resp's defaults */
  readonly decodeOptions?: DecodeOptionsInput;
  /**
   * String mode of pushes (pub/sub messages, invalidations), and of every reply while a RESP2
   * connection is in subscriber mode. @default decodeOptions.strings ('utf8')
   */
  readonly pushStringMode?: StringMode;
  /** RESP version asked with HELLO; falls back to 2 when the server refuses HELLO. @default 3 */
  readonly protocol?: 2 | 3;
  /** ACL user name. @default 'default' when a password is given */
  readonly username?: string;
  /** Password for AUTH. Never kept where messages, logs or `util.inspect` could show it. */
  readonly password?: string;
  /** Database selected after connecting (`SELECT`, skipped for 0). @default 0 */
  readonly db?: number;
  /** Name shown in `CLIENT LIST` (`HELLO … SETNAME` / `CLIENT SETNAME`); no spaces. */
  readonly clientName?: string;
  /** `CLIENT SETINFO LIB-NAME`; errors from servers older than 7.2 are ignored. */
  readonly libName?: string;
  /** `CLIENT SETINFO LIB-VER`; errors from servers older than 7.2 are ignored. */
  readonly libVersion?: string;
  /** Limit on transport connect + handshake, in ms → `TimeoutError` phase `connect`; 0 = none. @default 10_000 */
  readonly connectTimeout?: number;
  /**
   * Ends the handshake with a `PING`; while the server answers `LOADING` (it is reading its data
   * after a restart), `open()` waits and asks again (100 ms, doubling to 1 s) before it resolves,
   * so commands do not meet `LOADING` errors. That wait is not counted in `connectTimeout`: the
   * server is up; `signal` still ends it. @default true
   */
  readonly readyCheck?: boolean;
  /**
   * Limit on a written command's reply, in ms → `TimeoutError` phase `command`, `written: true`
   * (the late reply is discarded); `Command.timeout` overrides it; 0 = none. @default 30_000
   *
   * It also declares a dead link dead: when the command the next reply belongs to has a timeout
   * and no byte has arrived for `max(commandTimeout, that command's timeout)` since it was written
   * (or since the last byte, if later), the connection destroys itself. Commands whose deadline
   * has passed reject with `TimeoutError`, the others with `ConnectionClosedError` (`written`
   * per command). Any byte resets the clock; a command with `timeout: 0` at the head (a blocking
   * command) never makes the link look dead; `commandTimeout: 0` turns this off.
   */
  readonly commandTimeout?: number;
  /** Coalesce the `send()` calls of one tick into one buffer and one write. @default true */
  readonly autoPipeline?: boolean;
  /** Cap on commands awaiting replies; past it `send()` rejects `QueueFullError`; 0 = none. @default 0 */
  readonly maxInFlight?: number;
  /** Receives every push: pub/sub messages and confirmations, client-side caching invalidations. */
  readonly onPush?: (push: unknown[]) => void;
  /**
   * Asked, when an open connection dies, about each command still waiting for its reply (not
   * those already timed out or aborted): return a promise to settle that command's promise with
   * it (a replay elsewhere, e.g. after a reconnect), or `undefined` to reject it as usual.
   * Costs nothing until the connection dies. @see UnsettledHook
   */
  readonly onUnsettled?: UnsettledHook;
}

/**
 * Called once per unsettled command while the connection is being destroyed, oldest first
 * (written ones, then unwritten ones). `command` is what was sent: a `Command` from `send()`, or
 * the array given to `sendMany()` (the promise must then resolve with its array of replies).
 * `written`: its bytes reached the socket, so it may have run. `err`: what it would reject with
 * (a `ConnectionClosedError`; a written one, the `RespProtocolError` that poisoned the stream,
 * if one did). `signal`: the
 * one it was sent with. Return `undefined` to let it reject; a hook that throws counts as
 * `undefined` (the throw is re-raised as an uncaught error). Not called during `open()`.
 */
export type UnsettledHook = (
  command: Command | readonly Command[],
  written: boolean,
  err: Error,
  signal: AbortSignal | undefined,
) => Promise<unknown> | undefined;

/** Called once when the connection closes, with the error that closed it if any. */
export type CloseListener = (err?: Error) => void;
