import type { Command, StringMode } from '@fusedis/resp';

/** What a reply transform knows about the call it shapes. */
export interface ReplyContext {
  /** The protocol the connection speaks: RESP2 replies are flat where RESP3 ones are maps. */
  readonly protocol: 2 | 3;
  /** `'buffer'` when the call asked for Buffers: transforms keep Buffers where strings would be. */
  readonly stringMode: StringMode;
}

/**
 * One Redis command as typed data: how a call's arguments become a wire `Command` (keys marked),
 * and how the raw reply becomes what the user gets. The client, its pipelines and transactions
 * all get one method per spec from the same table.
 */
export interface CommandSpec<TArgs extends readonly unknown[], TReply> {
  /** Builds the wire command from the method's arguments; throws `InvalidArgumentError` on bad input. */
  build(...args: TArgs): Command;
  /** Shapes the raw reply (absent: the raw reply is the result, typed as `TReply`). */
  transform?(reply: unknown, context: ReplyContext): TReply;
}

/** Any command spec, for tables of them. Method syntax keeps the parameters bivariant. */
export interface AnyCommandSpec {
  build(...args: never[]): Command;
  transform?(reply: never, context: ReplyContext): unknown;
}

/** A table of command specs keyed by method name (lowercase Redis names: `get`, `hgetall`). */
export type CommandTable = Readonly<Record<string, AnyCommandSpec>>;

/** The arguments a spec's method takes. */
export type SpecArgs<S> = S extends CommandSpec<infer A, unknown> ? A : never;

/** What a spec's method resolves to. */
export type SpecReply<S> = S extends CommandSpec<readonly unknown[], infer R> ? R : never;

/**
 * Declares a spec with its argument and reply types inferred: write the `build` parameters and
 * the `transform` return type once, get a typed client method.
 */
export function defineCommand<TArgs extends readonly unknown[], TReply = unknown>(
  spec: CommandSpec<TArgs, TReply>,
): CommandSpec<TArgs, TReply> {
  return spec;
}
