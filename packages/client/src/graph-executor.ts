import type { CommandExecutor } from '@fusedis/graph';
import type { Command, CommandArg, ReplyMode } from '@fusedis/resp';

const AT_1: readonly number[] = Object.freeze([1]);
const AT_2: readonly number[] = Object.freeze([2]);
const AT_1_2: readonly number[] = Object.freeze([1, 2]);

/** Where the graph name (the key) sits in a `GRAPH.*` command, so a cluster routes it to its shard. */
export function graphKeyIndexes(args: readonly CommandArg[]): readonly number[] | undefined {
  switch (String(args[0]).toUpperCase()) {
    case 'GRAPH.QUERY':
    case 'GRAPH.RO_QUERY':
    case 'GRAPH.DELETE':
    case 'GRAPH.EXPLAIN':
    case 'GRAPH.PROFILE':
    case 'GRAPH.SLOWLOG':
      return AT_1;
    case 'GRAPH.COPY':
      return AT_1_2;
    case 'GRAPH.MEMORY':
    case 'GRAPH.CONSTRAINT':
      return AT_2;
    default:
      return undefined;
  }
}

/**
 * The `CommandExecutor` `client.graph(name)` hands to `@fusedis/graph`: each command marked with
 * its key (cluster routing), in the string mode the graph asks for, with its signal. With
 * `raw` (compact queries) it asks for the reply's RESP bytes (`stringMode: 'frame'`), which the
 * graph decodes in one fused pass; an error reply still rejects with its `ReplyError`, so a
 * router follows `MOVED`/`ASK` as for any command.
 */
export function graphExecutor(
  send: (cmd: Command, signal: AbortSignal | undefined) => Promise<unknown>,
): CommandExecutor {
  return {
    sendCommand(args, options) {
      const keyIndexes = graphKeyIndexes(args);
      const stringMode: ReplyMode | undefined = options?.raw === true ? 'frame' : options?.stringMode;
      const cmd: Command =
        keyIndexes === undefined
          ? stringMode === undefined
            ? { args }
            : { args, stringMode }
          : stringMode === undefined
            ? { args, keyIndexes }
            : { args, keyIndexes, stringMode };
      return send(cmd, options?.signal);
    },
  };
}
