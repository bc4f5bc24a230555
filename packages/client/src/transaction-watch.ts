import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Connection,
  ConnectionClosedError,
  sendCancellable,
  TimeoutError,
  type Unblock,
} from '@fusedis/pool';
import { type Command, type CommandArg, type ReplyError, RespProtocolError } from '@fusedis/resp';
import { isReadOnlyRefusal, isSlotRefusal, MasterDemotedError, transactionRefusal } from '@fusedis/router';
import { BUFFER_COMMANDS, type ClientBufferMethods } from './internal/buffer-methods.js';
import { type CallArgument, callArguments } from './internal/call-keys.js';
import type { ClientCore } from './internal/client-core.js';
import { RESERVED, type ReservedCommandName } from './internal/client-methods.js';
import {
  applyTransform,
  buildCommand,
  type ClientCommandMethods,
  type CommandInvoker,
  installCommandMethods,
} from './internal/command-methods.js';
import { type ContainerMethods, installContainerMethods } from './internal/container-methods.js';
import { describeScopeCall } from './internal/raw-call.js';
import { type MultiOptions, Transaction } from './multi.js';
import { isNoScript, type ScriptArgs, type ScriptCode } from './script.js';
import { WatchError } from './transaction-errors.js';

/** Options of `client.watch(keys, fn, options)`. */
export interface WatchOptions {
  /** Cancels the whole run (the callback's commands and the transaction): rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /**
   * How many more times `fn` runs when its transaction fails with {@link WatchError} (a watched
   * key changed). Each run starts afresh: `WATCH`, then `fn` again. @default 0
   * (Runs after a lost connection that the scope had only read on are not counted: see `runWatched`.)
   */
  readonly retries?: number;
}

/** Names a watch scope does not offer as plain commands (it has its own `watch`, `unwatch`, `multi`). */
type ScopeReserved = ReservedCommandName | 'call' | 'runScript';
const SCOPE_RESERVED: readonly ScopeReserved[] = [...RESERVED, 'call', 'runScript'];

/** Ends a scope (module-private: `runWatched` alone may). */
let endScope: (scope: WatchScope, clean: boolean) => Promise<void>;
/** The READONLY refusal the scope's node answered, if any: it has become a replica. */
let readOnlyRefusalOf: (scope: WatchScope) => ReplyError | undefined;
/** Whether anything the scope sent may have changed data (see `WatchScope#mayHaveWritten`). */
let mayHaveWritten: (scope: WatchScope) => boolean;

// The class merges with this interface, which gives it one awaitable method per command.
export interface WatchScope
  extends Omit<ClientCommandMethods, ScopeReserved>,
    ClientBufferMethods,
    ContainerMethods<Promise<unknown>> {}

/**
 * What `client.watch(keys, fn)` hands `fn`: the typed commands, run on the one dedicated
 * connection that holds the `WATCH`, and `multi()` for the transaction that `EXEC`s on it.
 * Usable only while `fn` runs; afterwards its commands reject with `ConnectionClosedError`.
 */
export class WatchScope {
  readonly #core: ClientCore;
  readonly #connection: Connection;
  readonly #signal: AbortSignal | undefined;
  /** `CLIENT UNBLOCK` on the connection's server, when the client's router offers it. */
  readonly #unblock: Unblock | undefined;
  #open = true;
  /** A `WATCH` is in force (cleared by `EXEC`, whatever its outcome, and by `UNWATCH`). */
  #watching = false;
  /** A READONLY the node answered: it was demoted to a replica while this scope used it. */
  #readOnly: ReplyError | undefined;
  /**
   * Something sent may have changed data: a command not marked read-only or idempotent, or a
   * transaction that reached the server (or may have). Until then, running the scope again after
   * its connection died repeats only what is safe to run twice.
   */
  #mayHaveWritten = false;

  constructor(
    core: ClientCore,
    connection: Connection,
    signal: AbortSignal | undefined,
    unblock: Unblock | undefined,
  ) {
    this.#core = core;
    this.#connection = connection;
    this.#signal = signal;
    this.#unblock = unblock;
  }

  static {
    installContainerMethods(WatchScope.prototype);
    const invoke: CommandInvoker<WatchScope> = function (this: WatchScope, _name, spec, args) {
      return this.#send(() => this.#core.prefix(buildCommand(spec, args))).then((reply) =>
        applyTransform(spec, reply, {
          protocol: this.#connection.protocol,
          stringMode: this.#core.stringMode,
        }),
      );
    };
    installCommandMethods(WatchScope.prototype, invoke, { skip: SCOPE_RESERVED });
    installCommandMethods(WatchScope.prototype, invoke, { table: BUFFER_COMMANDS });
    endScope = (scope, clean) => scope.#end(clean);
    readOnlyRefusalOf = (scope) => scope.#readOnly;
    mayHaveWritten = (scope) => scope.#mayHaveWritten;
  }

  /** Any command by name, reply left raw; keys are prefixed as `client.call()` does. */
  call(name: string, ...args: CallArgument[]): Promise<unknown> {
    return this.#send(() => this.#core.prefix(describeScopeCall(callArguments(name, args))));
  }

  /**
   * Runs a script on this scope's connection (`EVALSHA`, then `EVAL` on `NOSCRIPT`), e.g. a
   * read-only script whose result decides the transaction.
   */
  async runScript<K extends number | undefined>(
    script: ScriptCode<K>,
    ...args: ScriptArgs<K>
  ): Promise<unknown> {
    try {
      return await this.#send(() => this.#core.prefix(script.evalShaCommand(args)));
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return this.#send(() => this.#core.prefix(script.evalCommand(args)));
    }
  }

  /** Watches more keys (prefixed). */
  async watch(...keys: CommandArg[]): Promise<void> {
    await this.#send(() => watchCommand(this.#core, keys));
    this.#watching = true;
  }

  /** Forgets every watched key. */
  async unwatch(): Promise<void> {
    await this.#send(() => UNWATCH);
    this.#watching = false;
  }

  /**
   * A transaction that runs on this scope's connection: its `exec()` rejects with
   * {@link WatchError} when a watched key changed since `WATCH` — or, on a cluster, when its
   * slot moved to another node meanwhile (the node refused it: nothing ran; the next run of the
   * scope watches on the new node).
   */
  multi(options?: MultiOptions): Transaction {
    return new Transaction(
      this.#core,
      async (cmds, signal) => {
        if (!this.#open) throw scopeEnded();
        let replies: unknown[];
        try {
          replies = await this.#connection.sendMany(cmds, anySignal(this.#signal, signal));
        } catch (error) {
          // Only a batch that certainly never left ran nothing.
          if (!(error instanceof ConnectionClosedError && !error.written)) this.#mayHaveWritten = true;
          throw error;
        }
        this.#mayHaveWritten = true;
        this.#watching = false;
        this.#readOnly ??= replies.find(isReadOnlyRefusal);
        const refusal = transactionRefusal(replies);
        if (refusal !== undefined) slotMovedAsWatchError(refusal, this.#core);
        return replies;
      },
      options,
    );
  }

  /**
   * Ends the scope; resolves once the connection is clean (`UNWATCH` sent if needed). Not cut
   * short by the signal: `fn` has settled, and what it returns (an element a `BLPOP` popped as the
   * abort came) must reach the caller.
   */
  async #end(clean: boolean): Promise<void> {
    this.#open = false;
    if (clean && this.#watching && !this.#connection.closed) {
      await this.#connection.send(UNWATCH);
      this.#watching = false;
    }
  }

  #send(build: () => Command): Promise<unknown> {
    if (!this.#open) return Promise.reject(scopeEnded());
    let cmd: Command;
    try {
      cmd = build();
    } catch (err) {
      return Promise.reject(err);
    }
    if (cmd.readOnly !== true && cmd.idempotent !== true) this.#mayHaveWritten = true;
    return this.#sendOne(cmd).catch((error: unknown) => {
      if (isReadOnlyRefusal(error)) this.#readOnly ??= error;
      return this.#watching ? slotMovedAsWatchError(error, this.#core) : Promise.reject(error);
    });
  }

  /**
   * A blocking command waits with no deadline unless it has its own, as `client.blpop` does, and
   * cancelled it is unblocked on the server first: dropping the connection at once let a push
   * that got there first be popped for nobody.
   */
  #sendOne(cmd: Command): Promise<unknown> {
    if (cmd.blocking !== true || this.#unblock === undefined) return this.#connection.send(cmd, this.#signal);
    return sendCancellable(this.#connection, cmd, this.#signal, cmd.timeout ?? 0, this.#unblock);
  }
}

/**
 * While a WATCH is in force, a command answered MOVED/ASK (its key left this node, or is
 * leaving) breaks the scope as a changed key does: the transaction cannot run here, so the
 * scope ends with {@link WatchError} and `retries` runs it again on the key's new node — when
 * the client follows slots; a client of one node (`nodes()`) gets the MOVED itself.
 */
function slotMovedAsWatchError(error: unknown, core: ClientCore): never {
  if (core.followsSlots && isSlotRefusal(error))
    throw new WatchError(`a watched key's slot moved (${error.code}): run the scope again`, {
      cause: error,
    });
  throw error;
}

/**
 * `WATCH keys` → `fn(scope)` → whatever `fn` returns, all on one connection leased from the
 * client's pool (what `client.watch` does). `fn` reads through the scope and runs
 * `scope.multi()…exec()`; when a watched key changed, that `exec()` rejects with
 * {@link WatchError}, and `retries` reruns `fn`. The connection goes back to the pool clean
 * (`UNWATCH` when `fn` did not `EXEC`); a connection-level failure destroys it. A connection that
 * closed before the scope sent anything but reads and idempotent commands (no `EXEC` that may
 * have left) runs the scope again on a new one (`replayIdempotent`, the client's default).
 */
export async function runWatched<R>(
  core: ClientCore,
  keys: CommandArg | readonly CommandArg[],
  fn: (scope: WatchScope) => Promise<R> | R,
  options: WatchOptions = {},
): Promise<R> {
  const list: readonly CommandArg[] = Array.isArray(keys) ? keys : [keys as CommandArg];
  const signal = options.signal;
  const retries = options.retries ?? 0;
  for (let attempt = 0, waits = 0; ; attempt++) {
    let outcome: { ok: true; value: R } | { ok: false; error: unknown };
    /** `fn`'s rejection on a node that answered READONLY, while the router hears of it. */
    let refused: { ok: false; error: unknown } | undefined;
    /** The scope's connection closed before anything it sent could have changed data. */
    let lostUnwritten = false;
    try {
      outcome = await core.withDedicated(
        async (connection, unblock) => {
          const scope = new WatchScope(core, connection, signal, unblock);
          // The scope's own connection closed (not another client's), before it wrote.
          const lost = (error: unknown): boolean =>
            core.replayIdempotent &&
            error instanceof ConnectionClosedError &&
            connection.closed &&
            !mayHaveWritten(scope);
          try {
            // A failed WATCH leaves nothing watched: its error (a ReplyError) keeps the connection.
            if (list.length > 0) await scope.watch(...list);
          } catch (error) {
            lostUnwritten = lost(error);
            throw error;
          }
          let result: { ok: true; value: R } | { ok: false; error: unknown };
          try {
            result = { ok: true, value: await fn(scope) };
          } catch (error) {
            // The connection itself failed: rethrown here so the pool destroys it.
            if (isConnectionFault(error, signal)) {
              await endScope(scope, false);
              lostUnwritten = lost(error);
              throw error;
            }
            result = { ok: false, error };
          }
          await endScope(scope, true);
          // The node was demoted to a replica: its READONLY, thrown to the router, tells it so.
          const readOnly = readOnlyRefusalOf(scope);
          if (!result.ok && readOnly !== undefined) {
            refused = result;
            throw readOnly;
          }
          return result;
        },
        signal,
        watchCommand(core, list).args.slice(1),
      );
    } catch (error) {
      // Besides `refused`, only the opening WATCH's errors and connection faults get here (fn's
      // other errors are in `outcome`). A WATCH that met a slot on the move ran nothing, fn
      // included; a node that refused the scope as a replica ran none of what it refused, and a
      // sentinel router has dropped it (MasterDemotedError); a connection that closed before the
      // scope sent anything but reads (and commands marked idempotent) left nothing changed, as
      // when a failover's sentinel kills the old master's clients: the same run again, once the
      // router (or the reconnecting pool) has found where to go.
      const rerun =
        error instanceof MasterDemotedError ||
        (refused === undefined && ((core.followsSlots && isSlotRefusal(error)) || lostUnwritten));
      if (!rerun || waits >= WATCH_WAITS) {
        if (refused === undefined) throw error;
        outcome = refused; // a router that finds no other node: fn's own error, as it was
      } else {
        await sleep(Math.min(50 * 2 ** waits++, 1_000), undefined, { signal }).catch(() => {
          throw signal?.reason;
        });
        attempt--;
        continue;
      }
    }
    if (outcome.ok) return outcome.value;
    if (!(outcome.error instanceof WatchError) || attempt >= retries) throw outcome.error;
  }
}

/**
 * How many times a scope may run again because its opening `WATCH` met a moving slot, its node
 * turned out a replica or its connection closed before it wrote, before the error surfaces.
 */
const WATCH_WAITS = 10;

// WATCH and UNWATCH change no data: running them twice is harmless.
function watchCommand(core: ClientCore, keys: readonly CommandArg[]): Command {
  return core.prefix({ args: ['WATCH', ...keys], keyIndexes: keys.map((_, i) => i + 1), idempotent: true });
}
const UNWATCH: Command = { args: ['UNWATCH'], idempotent: true };

function isConnectionFault(error: unknown, signal: AbortSignal | undefined): boolean {
  return (
    error instanceof ConnectionClosedError ||
    error instanceof TimeoutError ||
    error instanceof RespProtocolError ||
    (signal?.aborted === true && error === signal.reason)
  );
}

function scopeEnded(): ConnectionClosedError {
  return new ConnectionClosedError('the watch scope has ended: its connection went back to the pool', false);
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  return AbortSignal.any([a, b]);
}
