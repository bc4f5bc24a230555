import type { Command, CommandArg, StringMode } from '@fusedis/resp';
import type { AnyCommandSpec, ReplyContext } from './command-spec.js';
import { asError } from './internal/as-error.js';
import { installBuiltMethods } from './internal/built-methods.js';
import type { CallOptions, ClientCore } from './internal/client-core.js';
import { applyTransform, CHAIN_RESERVED, type ChainCommandMethods } from './internal/command-methods.js';
import { stringModeOf } from './internal/string-mode.js';
import { isNoScript, type ScriptArgs, type ScriptCode } from './script.js';

/**
 * One command's outcome in `exec()`'s array (ioredis shape): `[null, result]` on success,
 * `[error, null]` on failure — a `ReplyError` from the server, or the `InvalidArgumentError`
 * its arguments raised while being built (that command was then not sent).
 */
export type PipelineResult = [error: Error | null, result: unknown];

/** Options of `client.pipeline()`. */
export interface PipelineOptions {
  /** Strings in every reply of this pipeline as Buffers. @default the client's `returnBuffers` */
  readonly returnBuffers?: boolean;
}

/** A queued command that is not a plain command: a script run, or a command that could not be built. */
interface Special {
  readonly error: Error | undefined;
  readonly script: ScriptCode | undefined;
  readonly scriptArgs: readonly unknown[] | undefined;
}

// The class merges with this interface, which gives it one chaining method per command.
export interface Pipeline extends ChainCommandMethods<Pipeline> {}

/**
 * An explicit pipeline: queue commands with the typed methods (`p.set('a', '1').get('a')`),
 * `call(name, …args)` or `runScript(script, …)`, then `exec()` sends them as one write on the
 * shared connection and resolves with one `[error, result]` per command, in order. A failing
 * command never costs the others their results. Not atomic: use `multi()` for that.
 *
 * `exec()` empties the queue, so a pipeline can be filled and sent again.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the command methods are installed in the static block
export class Pipeline {
  readonly #core: ClientCore;
  readonly #stringMode: StringMode | undefined;
  // Parallel arrays rather than an object per command: a 100,000-command pipeline is common.
  /** The commands to send, in order (commands that could not be built are absent). */
  #cmds: Command[] = [];
  /** Per queued command: its spec (for the transform), or undefined for `call()` and scripts. */
  #specs: (AnyCommandSpec | undefined)[] = [];
  /** Queued commands that are scripts or argument errors, by position. */
  #special: Map<number, Special> | undefined;

  /**
   * Keeps the hidden class alive (`@fusedis/resp` README, "Hidden classes kept alive"; never sent:
   * it has no client): a full GC between two batches deoptimized the chained methods and `exec`.
   */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: held, never read: it keeps the class's hidden class alive
  static readonly #kept: Pipeline = new Pipeline(undefined as unknown as ClientCore);

  constructor(core: ClientCore, options: PipelineOptions = {}) {
    this.#core = core;
    this.#stringMode = stringModeOf(options.returnBuffers);
  }

  static {
    installBuiltMethods<Pipeline, Pipeline>(
      Pipeline.prototype,
      {
        built(pipeline, cmd, spec) {
          pipeline.#cmds.push(pipeline.#wire(cmd, true));
          pipeline.#specs.push(spec);
          return pipeline;
        },
        failed(pipeline, err) {
          pipeline.#addSpecial({ error: asError(err), script: undefined, scriptArgs: undefined });
          return pipeline;
        },
      },
      CHAIN_RESERVED,
    );
  }

  /** Queues any command by name (`p.call('JSON.GET', 'doc')`); its reply is left raw. Keys are not prefixed. */
  call(name: string, ...args: CommandArg[]): this {
    this.#cmds.push(this.#wire({ args: [name, ...args] }, false));
    this.#specs.push(undefined);
    return this;
  }

  /**
   * Queues a script run as `EVALSHA`. The first time a client's pipeline runs a script, `exec()`
   * puts its `SCRIPT LOAD` in front of the batch (same write), so it runs in its place. If the
   * server still answers `NOSCRIPT` (flushed since, restarted), `exec()` re-runs just those
   * scripts with `EVAL` in one more write before it resolves: they then run after the
   * pipeline's other commands.
   */
  runScript<K extends number | undefined>(script: ScriptCode<K>, ...args: ScriptArgs<K>): this {
    let cmd: Command;
    try {
      cmd = script.evalShaCommand(args);
    } catch (err) {
      this.#addSpecial({ error: asError(err), script: undefined, scriptArgs: undefined });
      return this;
    }
    this.#addSpecial({ error: undefined, script: script as ScriptCode, scriptArgs: args });
    this.#cmds.push(this.#wire(cmd, true));
    return this;
  }

  /** Commands queued so far. */
  get length(): number {
    return this.#specs.length;
  }

  /**
   * Sends the queued commands as one write and resolves with one `[error, result]` per command,
   * in order, transforms applied. Rejects only when the batch as a whole failed (connection
   * closed, timeout, abort). An empty pipeline resolves with `[]` and sends nothing.
   */
  async exec(options?: CallOptions): Promise<PipelineResult[]> {
    const cmds = this.#cmds;
    const specs = this.#specs;
    const special = this.#special;
    this.#cmds = [];
    this.#specs = [];
    this.#special = undefined;
    const known = knownScripts(this.#core);
    const preload = special === undefined ? undefined : scriptsToLoad(special, known);
    const wire = preload === undefined ? cmds : [...preload.map((script) => script.loadCommand()), ...cmds];
    const replies = wire.length === 0 ? [] : await this.#core.sendMany(wire, options);
    const context: ReplyContext = {
      protocol: this.#core.protocol,
      stringMode: this.#stringMode ?? options?.stringMode ?? this.#core.stringMode,
    };
    let r = 0;
    if (preload !== undefined) {
      // A failed load (a syntax error) shows in place as the EVALSHA's NOSCRIPT, then the EVAL's error.
      for (const script of preload) if (!(replies[r++] instanceof Error)) known.add(script.sha1);
    }
    const count = specs.length;
    const results: PipelineResult[] = new Array(count);
    let retry: number[] | undefined;
    for (let i = 0; i < count; i++) {
      const extra = special?.get(i);
      if (extra?.error !== undefined) {
        results[i] = [extra.error, null];
        continue;
      }
      const reply = replies[r++];
      if (extra?.script !== undefined && isNoScript(reply)) {
        known.delete(extra.script.sha1);
        retry ??= [];
        retry.push(i);
      }
      results[i] = result(specs[i], reply, context);
    }
    if (retry !== undefined) {
      await this.#evalFallback(special as Map<number, Special>, retry, results, options, context);
    }
    return results;
  }

  /** Re-runs the `NOSCRIPT` scripts with `EVAL`, in one write, and puts their outcomes in place. */
  async #evalFallback(
    special: Map<number, Special>,
    indexes: readonly number[],
    results: PipelineResult[],
    options: CallOptions | undefined,
    context: ReplyContext,
  ): Promise<void> {
    const cmds = indexes.map((i) => {
      const entry = special.get(i) as Special;
      return this.#wire(
        (entry.script as ScriptCode).evalCommand(entry.scriptArgs as readonly unknown[]),
        true,
      );
    });
    const replies = await this.#core.sendMany(cmds, options);
    for (let j = 0; j < indexes.length; j++)
      results[indexes[j] as number] = result(undefined, replies[j], context);
  }

  #addSpecial(entry: Special): void {
    this.#special ??= new Map();
    this.#special.set(this.#specs.length, entry);
    this.#specs.push(undefined);
  }

  /** Prefixes the command's keys and applies the pipeline's string mode. */
  #wire(cmd: Command, prefix: boolean): Command {
    const wire = prefix ? this.#core.prefix(cmd) : cmd;
    return this.#stringMode === undefined ? wire : { ...wire, stringMode: this.#stringMode };
  }
}

/**
 * Scripts each client (core) has loaded, as far as its pipelines know: a pipeline sends
 * `SCRIPT LOAD` in front of its commands only for scripts not in here, so scripts run in their
 * place. Forgotten on `NOSCRIPT` (a `SCRIPT FLUSH`, a restart, a failover).
 */
const LOADED = new WeakMap<ClientCore, Set<string>>();

function knownScripts(core: ClientCore): Set<string> {
  let known = LOADED.get(core);
  if (known === undefined) {
    known = new Set();
    LOADED.set(core, known);
  }
  return known;
}

/** The distinct scripts of a pipeline that the client has not loaded yet, or undefined. */
function scriptsToLoad(special: Map<number, Special>, known: Set<string>): ScriptCode[] | undefined {
  let load: Map<string, ScriptCode> | undefined;
  for (const entry of special.values()) {
    const script = entry.script;
    if (script === undefined || known.has(script.sha1)) continue;
    load ??= new Map();
    load.set(script.sha1, script);
  }
  return load === undefined ? undefined : [...load.values()];
}

/** One command's `[error, result]`, its transform applied (a throwing transform is its error). */
function result(spec: AnyCommandSpec | undefined, reply: unknown, context: ReplyContext): PipelineResult {
  if (reply instanceof Error) return [reply, null];
  if (spec === undefined) return [null, reply];
  try {
    return [null, applyTransform(spec, reply, context)];
  } catch (err) {
    return [asError(err), null];
  }
}

/** Makes an empty {@link Pipeline} over `core` (what `client.pipeline()` returns). */
export function createPipeline(core: ClientCore, options?: PipelineOptions): Pipeline {
  return new Pipeline(core, options);
}
