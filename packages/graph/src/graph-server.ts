import type { CommandArg } from '@fusedis/resp';
import type { CommandExecutor } from './command-executor.js';
import { asGraphError } from './internal/as-graph-error.js';
import { pairsToRecord } from './internal/pairs.js';
import type { GraphRecord } from './values.js';

/** One library from `GRAPH.UDF LIST`. */
export interface UdfLibrary {
  readonly name: string;
  /** The functions it registered, callable as `library.function(…)` in Cypher. */
  readonly functions: string[];
  /** The library's source, with `withCode: true`. */
  readonly code?: string;
}

/**
 * The server-wide FalkorDB commands (no graph key): the list of graphs, configuration, `GRAPH.INFO`
 * and user-defined function libraries. Server error replies reject with `GraphError`.
 */
export class GraphServer {
  readonly #executor: CommandExecutor;

  constructor(executor: CommandExecutor) {
    this.#executor = executor;
  }

  /** Names of the graphs on this server (`GRAPH.LIST`). */
  async list(signal?: AbortSignal): Promise<string[]> {
    return ((await this.#send(['GRAPH.LIST'], signal)) as unknown[]).map(String);
  }

  /**
   * A configuration value (`GRAPH.CONFIG GET name`), or every one with `'*'`, by name. Numbers are
   * numbers; string settings stay strings.
   */
  async configGet(name: string, signal?: AbortSignal): Promise<GraphRecord<unknown>> {
    const reply = (await this.#send(['GRAPH.CONFIG', 'GET', name], signal)) as unknown[];
    // One setting: [name, value]; '*': [[name, value], …].
    const pairs = Array.isArray(reply[0]) ? (reply as unknown[][]) : [reply];
    const out = pairsToRecord([]);
    for (const pair of pairs) out[String(pair[0])] = pair[1];
    return out;
  }

  /** Sets a runtime configuration value (`GRAPH.CONFIG SET name value`). */
  async configSet(name: string, value: string | number, signal?: AbortSignal): Promise<void> {
    await this.#send(['GRAPH.CONFIG', 'SET', name, value], signal);
  }

  /** `GRAPH.INFO [section …]` as the server sends it (running and waiting queries, object pool). */
  info(sections: readonly string[] = [], signal?: AbortSignal): Promise<unknown> {
    return this.#send(['GRAPH.INFO', ...sections], signal);
  }

  /**
   * Loads a JavaScript UDF library (`GRAPH.UDF LOAD [REPLACE] name code`); the code registers its
   * functions with `falkor.register('fn', fn)`.
   */
  async udfLoad(
    library: string,
    code: string,
    options?: { readonly replace?: boolean; readonly signal?: AbortSignal },
  ): Promise<void> {
    const args: CommandArg[] = ['GRAPH.UDF', 'LOAD'];
    if (options?.replace === true) args.push('REPLACE');
    args.push(library, code);
    await this.#send(args, options?.signal);
  }

  /** The loaded UDF libraries (`GRAPH.UDF LIST [name] [WITHCODE]`). */
  async udfList(options?: {
    readonly library?: string;
    readonly withCode?: boolean;
    readonly signal?: AbortSignal;
  }): Promise<UdfLibrary[]> {
    const args: CommandArg[] = ['GRAPH.UDF', 'LIST'];
    if (options?.library !== undefined) args.push(options.library);
    if (options?.withCode === true) args.push('WITHCODE');
    const reply = (await this.#send(args, options?.signal)) as unknown[];
    return reply.map((entry) => {
      const r = pairsToRecord(entry);
      const functions = Array.isArray(r.functions) ? r.functions.map(String) : [];
      const lib: UdfLibrary = { name: String(r.library_name), functions };
      return r.library_code === undefined ? lib : { ...lib, code: String(r.library_code) };
    });
  }

  /** Unloads one UDF library (`GRAPH.UDF DELETE name`). */
  async udfDelete(library: string, signal?: AbortSignal): Promise<void> {
    await this.#send(['GRAPH.UDF', 'DELETE', library], signal);
  }

  /** Unloads every UDF library (`GRAPH.UDF FLUSH`). */
  async udfFlush(signal?: AbortSignal): Promise<void> {
    await this.#send(['GRAPH.UDF', 'FLUSH'], signal);
  }

  async #send(args: readonly CommandArg[], signal: AbortSignal | undefined): Promise<unknown> {
    try {
      return await this.#executor.sendCommand(
        args,
        signal === undefined ? { stringMode: 'utf8' } : { stringMode: 'utf8', signal },
      );
    } catch (err) {
      throw asGraphError(err);
    }
  }
}
