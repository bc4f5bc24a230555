import { type Command, type CommandArg, InvalidArgumentError } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { type ArgList, withArgList } from './arguments.js';
import { scriptingFunctionCommands } from './scripting-functions.js';

/** Lua script replies (integers, strings, nested arrays, RESP3 types with `redis.setresp(3)`): left as decoded. */
export type ScriptReply = unknown;

type ScriptArgs = [scriptOrName: CommandArg, keys?: readonly CommandArg[], args?: readonly CommandArg[]];

/**
 * `NAME script numkeys key … arg …` with the keys marked (positions 3 …), so a cluster router
 * routes on them and a key prefix applies to them (never to `args`).
 */
export function scriptCommand(
  name: string,
  script: CommandArg,
  keys: readonly CommandArg[] = [],
  args: readonly CommandArg[] = [],
  readOnly = false,
): Command {
  if (!Array.isArray(keys) || !Array.isArray(args)) throw notLists(name, keys, args);
  const wire: CommandArg[] = [name, script, keys.length];
  const keyIndexes = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    keyIndexes[i] = wire.length;
    wire.push(keys[i] as CommandArg);
  }
  for (const arg of args) wire.push(arg);
  return readOnly ? { args: wire, keyIndexes, readOnly: true } : { args: wire, keyIndexes };
}

/**
 * Keys and arguments not given as two arrays: most often ioredis's `eval(script, 1, key, arg)` or
 * node-redis's `eval(script, { keys, arguments })`, which would otherwise send a wrong command (or
 * fail deep inside the encoder with a TypeError).
 */
function notLists(name: string, keys: unknown, args: unknown): InvalidArgumentError {
  const [which, given] = Array.isArray(keys) ? ['args', args] : ['keys', keys];
  const method = name.toLowerCase().replace(/_ro$/, 'Ro');
  return new InvalidArgumentError(
    `${method}: ${which} must be an array, not ${given === null ? 'null' : typeof given}; ` +
      `ioredis's ${method}(script, numkeys, key…, arg…) and node-redis's ${method}(script, { keys, arguments }) ` +
      `are ${method}(script, [key…], [arg…]) here`,
  );
}

/** Scripting: https://redis.io/docs/latest/commands/?group=scripting */
export const scriptingCommands = {
  /** EVAL script numkeys key … arg … → the script's reply. */
  eval: defineCommand<ScriptArgs, ScriptReply>({
    build: (script, keys, args) => scriptCommand('EVAL', script, keys, args),
  }),
  /** EVALSHA sha1 numkeys key … arg … → the script's reply (`NOSCRIPT` error when not cached). */
  evalsha: defineCommand<ScriptArgs, ScriptReply>({
    build: (sha1, keys, args) => scriptCommand('EVALSHA', sha1, keys, args),
  }),
  /** EVAL_RO: a read-only script (may run on a replica; writes fail). */
  evalRo: defineCommand<ScriptArgs, ScriptReply>({
    build: (script, keys, args) => scriptCommand('EVAL_RO', script, keys, args, true),
  }),
  /** EVALSHA_RO: EVALSHA of a read-only script. */
  evalshaRo: defineCommand<ScriptArgs, ScriptReply>({
    build: (sha1, keys, args) => scriptCommand('EVALSHA_RO', sha1, keys, args, true),
  }),
  /** FCALL function numkeys key … arg … → the function's reply. */
  fcall: defineCommand<ScriptArgs, ScriptReply>({
    build: (fn, keys, args) => scriptCommand('FCALL', fn, keys, args),
  }),
  /** FCALL_RO: a function declared with the `no-writes` flag. */
  fcallRo: defineCommand<ScriptArgs, ScriptReply>({
    build: (fn, keys, args) => scriptCommand('FCALL_RO', fn, keys, args, true),
  }),
  /** SCRIPT LOAD script → its SHA1 digest. */
  scriptLoad: defineCommand<[script: CommandArg], string>({
    build: (script) => ({ args: ['SCRIPT', 'LOAD', script] }),
  }),
  /** SCRIPT EXISTS sha1 … → whether each script is cached. */
  scriptExists: defineCommand<ArgList, boolean[]>({
    build: (...sha1s) => ({ args: withArgList(['SCRIPT', 'EXISTS'], sha1s), idempotent: true }),
    transform: (reply) => (reply as unknown[]).map((v) => v === 1 || v === true),
  }),
  /** SCRIPT FLUSH [ASYNC|SYNC] → 'OK'. Empties the script cache of the server (every client). */
  scriptFlush: defineCommand<[mode?: 'ASYNC' | 'SYNC'], 'OK'>({
    build: (mode) => ({ args: mode === undefined ? ['SCRIPT', 'FLUSH'] : ['SCRIPT', 'FLUSH', mode] }),
  }),
  /** SCRIPT KILL → 'OK'; a `NOTBUSY` error when no script runs, `UNKILLABLE` when it already wrote. */
  scriptKill: defineCommand<[], 'OK'>({
    build: () => ({ args: ['SCRIPT', 'KILL'] }),
  }),
  ...scriptingFunctionCommands,
};
