import type { CommandArg } from './command-arg.js';
import type { ReplyMode } from './decoder-contract.js';

/**
 * One command as it travels from the client through a router to a connection: its wire
 * arguments (name first) plus what routers, key prefixes and retries need to know about it.
 * Plain data, built once per call; the optional fields are absent on the common path.
 */
export interface Command {
  /** The wire arguments, command name first: `['SET', 'k', 'v']`. */
  readonly args: readonly CommandArg[];
  /**
   * Positions in `args` that hold keys, for cluster routing and key prefixes. Absent: the command
   * has no keys (or they are unknown, and a router sends it to any node). Often a shared constant.
   */
  readonly keyIndexes?: readonly number[];
  /**
   * Strings in this command's reply as `Buffer`s (per-command buffer mode), or `'frame'`: the
   * reply as one `Buffer` of its RESP bytes, an error reply still a `ReplyError` (see `ReplyMode`).
   */
  readonly stringMode?: ReplyMode;
  /** The command only reads: a router may send it to a replica. */
  readonly readOnly?: boolean;
  /** Safe to run twice: it may be replayed after a reconnect even when it was already written. */
  readonly idempotent?: boolean;
  /** The command blocks the connection (BLPOP, XREAD BLOCK, WAIT…): it runs on a pooled connection. */
  readonly blocking?: boolean;
  /** A per-command timeout in milliseconds, overriding the connection's `commandTimeout`; 0 = none. */
  readonly timeout?: number;
}
