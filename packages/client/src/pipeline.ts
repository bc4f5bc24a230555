import { hasBlockingCommand, PART_COMMANDS } from '@fusedis/pool';
import type { Command, StringMode } from '@fusedis/resp';
import type { AnyCommandSpec, ReplyContext } from './command-spec.js';
import { asError } from './internal/as-error.js';
import { BUFFER_COMMANDS, type ChainBufferMethods } from './internal/buffer-methods.js';
import { type CallArgument, callArguments } from './internal/call-keys.js';
import type { CallOptions, ClientCore } from './internal/client-core.js';
import { applyTransform, CHAIN_RESERVED, type ChainCommandMethods } from './internal/command-methods.js';
import { CommandQueue, type QueueReader } from './internal/command-queue.js';
import { type ContainerMethods, installContainerMethods } from './internal/container-methods.js';
import { encodingError, installQueuedMethods, type QueuedHandlers } from './internal/queued-methods.js';
import { describeRawCall } from './internal/raw-call.js';
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

/** One `exec()` under way: what its parts' replies are settled into. */
interface ExecRun {
  readonly results: PipelineResult[];
  /** Per command: its spec (for the transform), or undefined for `call()`, scripts and failures. */
  readonly specs: (AnyCommandSpec | undefined)[];
  /** Scripts and argument errors by position (those found while building added). */
  special: Map<number, Special> | undefined;
  readonly known: Set<string>;
  /** Scripts that answered `NOSCRIPT`, to run again with `EVAL`. */
  retry: number[] | undefined;
  readonly stringMode: StringMode;
}

// The class merges with this interface, which gives it one chaining method per command.
export interface Pipeline
  extends ChainCommandMethods<Pipeline>,
    ChainBufferMethods<Pipeline>,
    ContainerMethods<Pipeline> {}

/**
 * An explicit pipeline: queue commands with the typed methods (`p.set('a', '1').get('a')`),
 * `call(name, …args)` or `runScript(script, …)`, then `exec()` sends them as one batch on the
 * shared connection (see `exec`) and resolves with one `[error, result]` per command, in order. A failing
 * command never costs the others their results. Not atomic: use `multi()` for that.
 *
 * `exec()` empties the queue, so a pipeline can be filled and sent again.
 */
export class Pipeline {
  readonly #core: ClientCore;
  readonly #stringMode: StringMode | undefined;
  /** The queued commands, in order (built at `exec()` when their arguments can wait). */
  #queue = new CommandQueue();
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
    installContainerMethods(Pipeline.prototype);
    const handlers: QueuedHandlers<Pipeline, Pipeline> = {
      later(pipeline, spec, args) {
        pipeline.#queue.later(spec, args);
        return pipeline;
      },
      now(pipeline, spec, args) {
        let cmd: Command;
        try {
          cmd = (spec.build as (...args: unknown[]) => Command).apply(
            undefined,
            args as unknown as unknown[],
          );
        } catch (err) {
          return pipeline.#fail(asError(err));
        }
        pipeline.#queueBuilt(pipeline.#wire(cmd, true), spec);
        return pipeline;
      },
    };
    installQueuedMethods(Pipeline.prototype, handlers, CHAIN_RESERVED);
    installQueuedMethods(Pipeline.prototype, handlers, [], BUFFER_COMMANDS);
  }

  /**
   * Queues any command by name (`p.call('JSON.GET', 'doc')`); its reply is left raw. Keys are
   * prefixed, and a blocking command (`p.call('BLPOP', k, 0)`) takes the pipeline to a dedicated
   * connection, as `client.call()` does.
   */
  call(name: string, ...args: CallArgument[]): this {
    let cmd: Command;
    try {
      cmd = describeRawCall(callArguments(name, args));
    } catch (err) {
      return this.#fail(asError(err));
    }
    this.#queueBuilt(this.#wire(cmd, true), undefined);
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
      return this.#fail(asError(err));
    }
    this.#addSpecial({ error: undefined, script: script as ScriptCode, scriptArgs: args });
    this.#queueBuilt(this.#wire(cmd, true), undefined);
    return this;
  }

  /** Commands queued so far. */
  get length(): number {
    return this.#queue.count;
  }

  /**
   * Sends the queued commands as one batch (a large one on a live connection in consecutive parts
   * of 1,024, written as they are built) and resolves with one `[error, result]` per command, in
   * order, transforms applied. Rejects only when the batch as a whole failed (connection
   * closed, timeout, abort). An empty pipeline resolves with `[]` and sends nothing.
   */
  async exec(options?: CallOptions): Promise<PipelineResult[]> {
    const queue = this.#queue;
    const count = queue.count;
    const queued = this.#special;
    this.#queue = new CommandQueue();
    this.#special = undefined;
    const core = this.#core;
    const known = knownScripts(core);
    const run: ExecRun = {
      results: new Array<PipelineResult>(count),
      specs: new Array<AnyCommandSpec | undefined>(count),
      special: queued,
      known,
      retry: undefined,
      stringMode: this.#stringMode ?? options?.stringMode ?? core.stringMode,
    };
    const reader = queue.read();
    const loads = queued === undefined ? undefined : scriptsToLoad(queued, known);
    if (count > PART_COMMANDS && core.batchMaySplit()) await this.#sendInParts(run, reader, loads, options);
    else {
      // One batch (small, or not sendable in parts): as before, one sendMany and one settling.
      const cmds = this.#take(run, reader, loads, Number.POSITIVE_INFINITY);
      const replies = cmds.length === 0 ? [] : await core.sendMany(cmds, options);
      this.#settle(run, replies, 0, count, loads);
    }
    const retry = run.retry;
    if (retry !== undefined) {
      retry.sort((a, b) => a - b);
      const context: ReplyContext = { protocol: core.protocol, stringMode: run.stringMode };
      await this.#evalFallback(run.special as Map<number, Special>, retry, run.results, options, context);
    }
    return run.results;
  }

  /**
   * Sends a large batch on a live standalone connection as consecutive parts of `PART_COMMANDS`
   * (the size the pool writes a batch in, so each part is one encode and one write),
   * each sent as soon as it is built: the server works on the first part while the rest is built
   * and encoded (where the whole batch used to be built, at queue time, before its first byte
   * could leave), and each part's results are put in place as soon as its replies are in, while
   * later parts are still in flight.
   */
  #sendInParts(
    run: ExecRun,
    reader: QueueReader,
    loads: ScriptCode[] | undefined,
    options: CallOptions | undefined,
  ): Promise<unknown> {
    const parts: Promise<void>[] = [];
    let from = 0;
    let first: ScriptCode[] | undefined = loads;
    // A part with a blocking command goes on a dedicated connection: it waits for every part before
    // it, and every part after it waits for it, so the pipeline still runs in order.
    let barrier: Promise<void> | undefined;
    for (;;) {
      const part = this.#take(run, reader, first, PART_COMMANDS);
      const to = reader.index + 1;
      if (part.length > 0) {
        const [partFrom, partLoads] = [from, first];
        const send = (): Promise<void> => this.#sendPart(run, part, partFrom, to, partLoads, options);
        if (hasBlockingCommand(part)) {
          barrier = Promise.all(parts).then(send);
          parts.push(barrier);
        } else parts.push(barrier === undefined ? send() : barrier.then(send));
      } else this.#settle(run, [], from, to, undefined); // only commands that failed to build
      if (part.length < PART_COMMANDS) break;
      from = to;
      first = undefined;
    }
    return Promise.all(parts);
  }

  /**
   * The next commands to send, up to `max` (the scripts in `loads` first): read from `reader` and
   * built, keys prefixed; the errors of those that could not be built join `run.special`.
   */
  #take(run: ExecRun, reader: QueueReader, loads: ScriptCode[] | undefined, max: number): Command[] {
    const cmds: Command[] = loads === undefined ? [] : loads.map((script) => script.loadCommand());
    while (cmds.length < max && reader.next()) {
      const i = reader.index;
      if (reader.error !== undefined) {
        run.special ??= new Map();
        run.special.set(i, { error: reader.error, script: undefined, scriptArgs: undefined });
      }
      const cmd = reader.cmd;
      if (cmd === undefined) continue;
      run.specs[i] = reader.spec;
      cmds.push(reader.late ? this.#wire(cmd, true) : cmd);
    }
    return cmds;
  }

  /** Sends one part, commands `[from, to)` (the scripts in `loads` loaded in front), and settles it. */
  #sendPart(
    run: ExecRun,
    part: Command[],
    from: number,
    to: number,
    loads: ScriptCode[] | undefined,
    options: CallOptions | undefined,
  ): Promise<void> {
    return this.#core.sendMany(part, options).then((replies) => this.#settle(run, replies, from, to, loads));
  }

  /** Puts commands `[from, to)`'s results in place from their part's replies (the loads' first). */
  #settle(run: ExecRun, replies: unknown[], from: number, to: number, loads: ScriptCode[] | undefined): void {
    const { results, specs, special, known } = run;
    // Read now, not when the pipeline was sent: a client that was not connected yet learns it then.
    const context: ReplyContext = { protocol: this.#core.protocol, stringMode: run.stringMode };
    let r = 0;
    if (loads !== undefined) {
      // A failed load (a syntax error) shows in place as the EVALSHA's NOSCRIPT, then the EVAL's error.
      for (const script of loads) if (!(replies[r++] instanceof Error)) known.add(script.sha1);
    }
    for (let i = from; i < to; i++) {
      const extra = special?.get(i);
      if (extra?.error !== undefined) {
        results[i] = [extra.error, null];
        continue;
      }
      const reply = replies[r++];
      if (extra?.script !== undefined && isNoScript(reply)) {
        known.delete(extra.script.sha1);
        run.retry ??= [];
        run.retry.push(i);
      }
      results[i] = result(specs[i], reply, context);
    }
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

  /** Puts the next command's special entry in place (its queue entry is pushed by the caller). */
  #addSpecial(entry: Special): void {
    this.#special ??= new Map();
    this.#special.set(this.#queue.count, entry);
  }

  /**
   * Queues a command built now (`spec` undefined for `call()` and scripts: no transform); one
   * holding an argument the encoder refuses takes its error in place instead of being sent (sent,
   * it would fail its whole batch, and with a large pipeline in parts, the others would have run).
   */
  #queueBuilt(cmd: Command, spec: AnyCommandSpec | undefined): void {
    const refused = encodingError(cmd.args);
    if (refused === undefined) this.#queue.built(cmd, spec);
    else this.#fail(refused);
  }

  /** Queues a command that could not be built: its error takes its place in `exec()`'s results. */
  #fail(error: Error): this {
    this.#addSpecial({ error, script: undefined, scriptArgs: undefined });
    this.#queue.failed();
    return this;
  }

  /**
   * Prefixes the command's keys and applies the pipeline's string mode, unless the command fixes
   * its own (DUMP's bytes, a `…Buffer` method), as a client view does.
   */
  #wire(cmd: Command, prefix: boolean): Command {
    const wire = prefix ? this.#core.prefix(cmd) : cmd;
    return this.#stringMode === undefined || wire.stringMode !== undefined
      ? wire
      : { ...wire, stringMode: this.#stringMode };
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
