import { createHash } from 'node:crypto';
import { type Command, type CommandArg, InvalidArgumentError, ReplyError } from '@fusedis/resp';
import type { CallOptions, ClientCore } from './internal/client-core.js';

/** What `defineScript` takes. */
export interface ScriptDefinition<K extends number | undefined = number | undefined> {
  /** The Lua source. */
  readonly lua: string;
  /**
   * How many of `run`'s arguments are keys (ioredis `defineCommand`): `run(k1, k2, a1)` with
   * `numberOfKeys: 2`. Absent: `run(keys, args)` takes two arrays. @default undefined
   */
  readonly numberOfKeys?: K;
  /**
   * The script only reads: runs with `EVALSHA_RO`/`EVAL_RO` (Redis 7+), so replicas may serve
   * it and the server refuses writes. @default false
   */
  readonly readOnly?: boolean;
}

/** `run`'s arguments: flat keys-then-args with a fixed `numberOfKeys`, else `(keys, args)`. */
export type ScriptArgs<K extends number | undefined> = number extends K
  ? CommandArg[] | [keys?: readonly CommandArg[], args?: readonly CommandArg[]]
  : K extends number
    ? CommandArg[]
    : [keys?: readonly CommandArg[], args?: readonly CommandArg[]];

/**
 * A Lua script as a value: its source, SHA1 and how its arguments split into keys and args.
 * It builds `EVALSHA` commands (and the `EVAL` fallback); pipelines and transactions take it
 * through `runScript(script, …)`. A script is not tied to a client: any client's pipeline can run it.
 */
export class ScriptCode<K extends number | undefined = number | undefined> {
  /** The Lua source. */
  readonly lua: string;
  /** Lowercase hex SHA1 of `lua`, as `SCRIPT LOAD` returns it. */
  readonly sha1: string;
  /** Keys among the flat arguments, or `undefined` for the `(keys, args)` form. */
  readonly numberOfKeys: K | undefined;
  /** Runs with the `_RO` variants. */
  readonly readOnly: boolean;

  constructor(definition: ScriptDefinition<K>) {
    if (typeof definition !== 'object' || definition === null) {
      throw new InvalidArgumentError('a script is defined by an object: { lua, numberOfKeys?, readOnly? }');
    }
    if (typeof definition.lua !== 'string' || definition.lua === '') {
      throw new InvalidArgumentError('a script needs its Lua source (lua)');
    }
    const n = definition.numberOfKeys;
    if (n !== undefined && (!Number.isInteger(n) || n < 0)) {
      throw new InvalidArgumentError(`numberOfKeys must be a non-negative integer, not ${String(n)}`);
    }
    this.lua = definition.lua;
    this.sha1 = createHash('sha1').update(definition.lua).digest('hex');
    this.numberOfKeys = n;
    this.readOnly = definition.readOnly === true;
  }

  /** `EVALSHA sha numkeys keys… args…` (keys marked for the prefix and routers), not yet prefixed. */
  evalShaCommand(args: readonly unknown[]): Command {
    return this.#command(this.readOnly ? 'EVALSHA_RO' : 'EVALSHA', this.sha1, args);
  }

  /** `EVAL lua numkeys keys… args…`: the fallback after `NOSCRIPT`, not yet prefixed. */
  evalCommand(args: readonly unknown[]): Command {
    return this.#command(this.readOnly ? 'EVAL_RO' : 'EVAL', this.lua, args);
  }

  /** `SCRIPT LOAD lua`. */
  loadCommand(): Command {
    return { args: ['SCRIPT', 'LOAD', this.lua] };
  }

  #command(name: string, body: string, args: readonly unknown[]): Command {
    let keys: readonly unknown[];
    let argv: readonly unknown[];
    if (this.numberOfKeys === undefined) {
      keys = (args[0] as readonly unknown[] | undefined) ?? [];
      argv = (args[1] as readonly unknown[] | undefined) ?? [];
      if (!Array.isArray(keys) || !Array.isArray(argv)) {
        throw new InvalidArgumentError('a script without numberOfKeys runs as run(keys[], args[])');
      }
    } else {
      if (args.length < this.numberOfKeys) {
        throw new InvalidArgumentError(
          `the script takes ${this.numberOfKeys} keys, got ${args.length} arguments`,
        );
      }
      keys = args.slice(0, this.numberOfKeys);
      argv = args.slice(this.numberOfKeys);
    }
    const wire: CommandArg[] = [name, body, keys.length];
    const keyIndexes: number[] = [];
    for (const key of keys) {
      keyIndexes.push(wire.length);
      wire.push(key as CommandArg);
    }
    for (const arg of argv) wire.push(arg as CommandArg);
    return keyIndexes.length === 0 ? { args: wire } : { args: wire, keyIndexes };
  }
}

/** The server does not have the script (never loaded, or `SCRIPT FLUSH`ed, or a restart). */
export function isNoScript(value: unknown): value is ReplyError {
  return value instanceof ReplyError && value.code === 'NOSCRIPT';
}

/**
 * A script bound to a client: `run` sends `EVALSHA` and, when the server answers `NOSCRIPT`,
 * sends `EVAL` once (which also caches it on the server), transparently.
 */
export class Script<K extends number | undefined = number | undefined> extends ScriptCode<K> {
  readonly #core: ClientCore;

  constructor(core: ClientCore, definition: ScriptDefinition<K>) {
    super(definition);
    this.#core = core;
  }

  /** Runs the script; resolves with its reply, rejects with the script's `ReplyError`. */
  run(...args: ScriptArgs<K>): Promise<unknown> {
    return this.runWith({}, ...args);
  }

  /** `run` with per-call options (signal, timeout, Buffer mode). */
  runWith(options: CallOptions, ...args: ScriptArgs<K>): Promise<unknown> {
    return runScriptOn(this.#core, this, options, args);
  }
}

/**
 * Runs `code` through `core`: `EVALSHA`, then `EVAL` once if the server answers `NOSCRIPT`. What
 * `Script.runWith` does, for callers that hold a core and a `ScriptCode` (defined commands) rather
 * than a bound `Script`.
 */
export async function runScriptOn(
  core: ClientCore,
  code: ScriptCode,
  options: CallOptions,
  args: readonly unknown[],
): Promise<unknown> {
  const withMode = (cmd: Command): Command =>
    options.stringMode === undefined
      ? core.prefix(cmd)
      : { ...core.prefix(cmd), stringMode: options.stringMode };
  try {
    return await core.send(withMode(code.evalShaCommand(args)), options);
  } catch (err) {
    if (!isNoScript(err)) throw err;
    return core.send(withMode(code.evalCommand(args)), options);
  }
}

/** Makes a {@link Script} bound to `core` (what `client.defineScript` returns). */
export function createScript<K extends number | undefined = undefined>(
  core: ClientCore,
  definition: ScriptDefinition<K>,
): Script<K> {
  return new Script(core, definition);
}
