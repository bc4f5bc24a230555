import type { CommandArg } from '@fusedis/resp';

/** Per-call options a {@link CommandExecutor} receives with each command. */
export interface SendOptions {
  /**
   * How strings in this command's reply are decoded. `@fusedis/graph` always asks for `'utf8'`,
   * so a client in buffer mode still hands graph replies over as strings.
   */
  readonly stringMode?: 'utf8' | 'buffer';
  /**
   * `@fusedis/graph` asks for the reply's RESP bytes (a `Uint8Array` holding exactly the one
   * frame) for `GRAPH.QUERY` / `GRAPH.RO_QUERY`, which it then decodes in one fused pass. An
   * executor that cannot do that ignores the flag and resolves with the decoded reply: both work,
   * the bytes are faster. With bytes, an error reply may be resolved as its bytes or rejected as a
   * `ReplyError`.
   */
  readonly raw?: boolean;
  /** Aborts the command: the executor rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * The one seam of `@fusedis/graph`: anything that sends one command and resolves with its decoded
 * reply (the default decode options of `@fusedis/resp`: RESP2 or RESP3, integers as numbers, maps
 * as objects). `@fusedis/client` is one; a raw socket with `encodeCommand` and `createJsDecoder`
 * is another. A server error reply rejects with `ReplyError` (from `@fusedis/resp`), which the
 * graph API turns into a `GraphError` with the `ReplyError` as its `cause`.
 */
export interface CommandExecutor {
  sendCommand(args: readonly CommandArg[], options?: SendOptions): Promise<unknown>;
}
