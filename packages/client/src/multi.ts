import { type Command, ReplyError, type StringMode } from '@fusedis/resp';
import type { AnyCommandSpec, ReplyContext } from './command-spec.js';
import { BUFFER_COMMANDS, type ChainBufferMethods } from './internal/buffer-methods.js';
import { type BuiltHandlers, installBuiltMethods } from './internal/built-methods.js';
import { type CallArgument, callArguments } from './internal/call-keys.js';
import type { CallOptions, ClientCore } from './internal/client-core.js';
import { applyTransform, CHAIN_RESERVED, type ChainCommandMethods } from './internal/command-methods.js';
import { type ContainerMethods, installContainerMethods } from './internal/container-methods.js';
import { describeTransactionCall } from './internal/raw-call.js';
import { stringModeOf } from './internal/string-mode.js';
import { textOfBuffers } from './internal/text-of-buffers.js';
import type { PipelineResult } from './pipeline.js';
import { isNoScript, type ScriptArgs, type ScriptCode } from './script.js';
import { ExecAbortError, type QueuedCommandError, WatchError } from './transaction-errors.js';

/**
 * Sends a transaction's whole wire batch (`SCRIPT LOAD`s, `MULTI`, commands, `EXEC`) as one
 * write on one connection and resolves with every reply, `ReplyError`s in place.
 */
export type TransactionExecutor = (cmds: readonly Command[], signal?: AbortSignal) => Promise<unknown[]>;

/** Options of `client.multi()`. */
export interface MultiOptions {
  /** Strings in the results as Buffers. @default the client's `returnBuffers` */
  readonly returnBuffers?: boolean;
}

/** A queued command: its wire form (prefixed) and how to shape its result. */
interface Entry {
  readonly cmd: Command;
  readonly spec: AnyCommandSpec | undefined;
  readonly script: ScriptCode | undefined;
}

const MULTI: Command = { args: ['MULTI'] };

// The class merges with this interface, which gives it one chaining method per command.
export interface Transaction
  extends ChainCommandMethods<Transaction>,
    ChainBufferMethods<Transaction>,
    ContainerMethods<Transaction> {}

/**
 * A `MULTI`/`EXEC` transaction: queue commands with the typed methods, `call()` or
 * `runScript()`, then `exec()` writes `MULTI`, the commands and `EXEC` at once on the shared
 * connection (of the keys' master, on a cluster): a batch is never split, so no other caller's
 * command lands inside it. The server runs them all, atomically, or none:
 * - a command the server refuses while queuing (unknown, wrong arity) aborts the whole
 *   transaction: `exec()` rejects with {@link ExecAbortError}, listing the refusals;
 * - a watched key that changed (see `client.watch`) makes `exec()` reject with {@link WatchError};
 * - a command that fails while running (`WRONGTYPE`…) does not stop the others: its error is in
 *   place in the results, like a pipeline's `[error, result]` pairs.
 *
 * Scripts (`runScript`) are loaded with `SCRIPT LOAD` in the same write, before `MULTI`, so
 * `EVALSHA` can never meet `NOSCRIPT` inside the transaction.
 */
export class Transaction {
  readonly #core: ClientCore;
  readonly #execute: TransactionExecutor;
  readonly #stringMode: StringMode | undefined;
  #entries: Entry[] = [];
  #buildError: Error | undefined;
  /** The scripts of queued `runScript()`s by SHA1, each loaded once before `MULTI`. */
  #scripts: Map<string, ScriptCode> | undefined;
  /** Whether a queued command wants its reply's bytes (DUMP, a `…Buffer` method). */
  #hasBuffers = false;

  constructor(core: ClientCore, execute: TransactionExecutor, options: MultiOptions = {}) {
    this.#core = core;
    this.#execute = execute;
    this.#stringMode = stringModeOf(options.returnBuffers);
  }

  static {
    installContainerMethods(Transaction.prototype);
    const handlers: BuiltHandlers<Transaction, Transaction> = {
      built(tx, cmd, spec) {
        tx.#push(() => tx.#core.prefix(cmd), spec, undefined);
        return tx;
      },
      failed(tx, err) {
        tx.#fail(err);
        return tx;
      },
    };
    installBuiltMethods(Transaction.prototype, handlers, CHAIN_RESERVED);
    installBuiltMethods(Transaction.prototype, handlers, [], BUFFER_COMMANDS);
  }

  /** Queues any command by name; its reply is left raw. Keys are prefixed as `client.call()` does. */
  call(name: string, ...args: CallArgument[]): this {
    this.#push(
      () => this.#core.prefix(describeTransactionCall(callArguments(name, args))),
      undefined,
      undefined,
    );
    return this;
  }

  /** Queues a script run (`EVALSHA`, preceded by its `SCRIPT LOAD` in the same write). */
  runScript<K extends number | undefined>(script: ScriptCode<K>, ...args: ScriptArgs<K>): this {
    this.#push(() => this.#core.prefix(script.evalShaCommand(args)), undefined, script as ScriptCode);
    return this;
  }

  /** Commands queued so far. */
  get length(): number {
    return this.#entries.length;
  }

  /** Drops the queued commands (nothing was sent: `MULTI` only leaves with `exec()`). */
  discard(): void {
    this.#entries = [];
    this.#buildError = undefined;
    this.#scripts = undefined;
    this.#hasBuffers = false;
  }

  /**
   * Runs the transaction; resolves with one `[error, result]` per command, transforms applied.
   * Rejects with the first argument error (nothing sent), {@link ExecAbortError},
   * {@link WatchError}, or a connection-level error. The queue is emptied either way.
   */
  async exec(options?: CallOptions): Promise<PipelineResult[]> {
    const entries = this.#entries;
    const buildError = this.#buildError;
    const scripts = this.#scripts;
    let mixed = this.#hasBuffers;
    this.discard();
    if (buildError !== undefined) throw buildError;

    const stringMode = this.#stringMode ?? options?.stringMode ?? this.#core.stringMode;
    // One EXEC reply carries every result: decoded with Buffers when a command needs its bytes
    // (DUMP, a `…Buffer` method) and the others' text made from them, as UTF-8 decoding would.
    mixed &&= stringMode !== 'buffer';
    const count = entries.length;
    const loads = scripts === undefined ? 0 : scripts.size;
    // Sized once; no Map, slice or context object unless a script, an error or a transform needs it.
    const wire = new Array<Command>(loads + count + 2);
    let at = 0;
    if (scripts !== undefined) for (const script of scripts.values()) wire[at++] = script.loadCommand();
    wire[at++] = MULTI;
    for (let i = 0; i < count; i++) wire[at++] = (entries[i] as Entry).cmd;
    wire[at] = { args: ['EXEC'], stringMode: mixed ? 'buffer' : stringMode };
    const timeout = options?.timeout;
    const timed = timeout === undefined ? wire : wire.map((cmd): Command => ({ ...cmd, timeout }));

    const replies = await this.#execute(timed, options?.signal);
    let loadErrors: Map<string, ReplyError> | undefined;
    at = 0;
    if (scripts !== undefined) {
      for (const script of scripts.values()) {
        const loaded = replies[at++];
        if (!(loaded instanceof ReplyError)) continue;
        loadErrors ??= new Map();
        loadErrors.set(script.sha1, loaded);
      }
    }
    const multiReply = replies[at++];
    if (multiReply instanceof ReplyError) throw multiReply;
    const execReply = replies[at + count];
    if (execReply === null) throw new WatchError();
    if (execReply instanceof ReplyError) {
      if (execReply.code !== 'EXECABORT') throw execReply;
      const refused: QueuedCommandError[] = [];
      for (let i = 0; i < count; i++) {
        const reply = replies[at + i];
        if (reply instanceof ReplyError) refused.push({ index: i, error: reply });
      }
      throw new ExecAbortError(execReply, refused);
    }
    const values = execReply as unknown[];
    let context: ReplyContext | undefined;
    let bufferContext: ReplyContext | undefined;
    const results: PipelineResult[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const entry = entries[i] as Entry;
      const bytes = entry.cmd.stringMode === 'buffer';
      let value = mixed && !bytes ? textOfBuffers(values[i]) : values[i];
      if (entry.script !== undefined && isNoScript(value))
        value = loadErrors?.get(entry.script.sha1) ?? value;
      if (value instanceof Error) results[i] = [value, null];
      else if (entry.spec === undefined) results[i] = [null, value];
      else {
        if (bytes) bufferContext ??= { protocol: this.#core.protocol, stringMode: 'buffer' };
        else context ??= { protocol: this.#core.protocol, stringMode };
        try {
          results[i] = [
            null,
            applyTransform(entry.spec, value, (bytes ? bufferContext : context) as ReplyContext),
          ];
        } catch (err) {
          results[i] = [err instanceof Error ? err : new Error(String(err)), null];
        }
      }
    }
    return results;
  }

  /** Builds now (argument errors are kept for `exec()` to reject with: a transaction is all or nothing). */
  #push(build: () => Command, spec: AnyCommandSpec | undefined, script: ScriptCode | undefined): void {
    let cmd: Command;
    try {
      cmd = build();
    } catch (err) {
      this.#fail(err);
      return;
    }
    this.#entries.push({ cmd, spec, script });
    if (script !== undefined) {
      this.#scripts ??= new Map();
      this.#scripts.set(script.sha1, script);
    }
    if (cmd.stringMode === 'buffer') this.#hasBuffers = true;
  }

  /** Remembers the first argument error: `exec()` rejects with it and sends nothing. */
  #fail(err: unknown): void {
    this.#buildError ??= err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Makes an empty {@link Transaction} over `core` (what `client.multi()` returns); `exec()` runs
 * it as the client's dispatcher sends transactions (`ClientCore#transaction`).
 */
export function createMulti(core: ClientCore, options?: MultiOptions): Transaction {
  return new Transaction(core, (cmds, signal) => core.transaction(cmds, signal), options);
}
