import type { DecodeOptionsInput, DecoderFactory, StringMode } from '@fusedis/resp';
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
   * Limit on a written command's reply, in ms → `TimeoutError` phase `command`, `written: true`
   * (the late reply is discarded); `Command.timeout` overrides it; 0 = none. @default 30_000
   */
  readonly commandTimeout?: number;
  /** Coalesce the `send()` calls of one tick into one buffer and one write. @default true */
  readonly autoPipeline?: boolean;
  /** Cap on commands awaiting replies; past it `send()` rejects `QueueFullError`; 0 = none. @default 0 */
  readonly maxInFlight?: number;
  /** Receives every push: pub/sub messages and confirmations, client-side caching invalidations. */
  readonly onPush?: (push: unknown[]) => void;
}

/** Called once when the connection closes, with the error that closed it if any. */
export type CloseListener = (err?: Error) => void;
