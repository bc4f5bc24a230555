import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { deepCamelRecord } from './record-shapes.js';

/** One function of a library (FUNCTION LIST). */
export interface FunctionInfo {
  readonly name: string;
  readonly description: string | null;
  /** `no-writes`, `allow-oom`, `allow-stale`, `no-cluster`, `allow-cross-slot-keys`. */
  readonly flags: string[];
}

/** One library (FUNCTION LIST). */
export interface FunctionLibraryInfo {
  readonly libraryName: string;
  readonly engine: string;
  readonly functions: FunctionInfo[];
  /** The library's source, with `WITHCODE` only. */
  readonly libraryCode?: string;
}

/** FUNCTION LIST options. */
export interface FunctionListOptions {
  /** Only libraries whose name matches this glob pattern. @default all */
  readonly LIBRARYNAME?: CommandArg;
  /** Include each library's source. @default false */
  readonly WITHCODE?: boolean;
}

/** FUNCTION STATS. */
export interface FunctionStats {
  /** The function running now, or null. `durationMs` in milliseconds. */
  readonly runningScript: {
    readonly name: string;
    readonly command: string[];
    readonly durationMs: number;
  } | null;
  /** Per engine (`LUA`): how many libraries and functions are loaded. */
  readonly engines: Record<string, { readonly librariesCount: number; readonly functionsCount: number }>;
}

function isLibraryRecord(path: readonly string[]): boolean {
  // [] is the list of libraries, ['[]'] a library, ['[]', 'functions', '[]'] a function.
  return path.length === 1 || (path.length === 3 && path[1] === 'functions');
}

function isStatsRecord(path: readonly string[]): boolean {
  return path.length === 0 || path[0] === 'engines' || (path.length === 1 && path[0] === 'runningScript');
}

/** Redis Functions: libraries loaded on the server and persisted with the data set. */
export const scriptingFunctionCommands = {
  /** FUNCTION LOAD [REPLACE] code → the library's name. */
  functionLoad: defineCommand<[code: CommandArg, options?: { readonly REPLACE?: boolean }], string>({
    build: (code, options) => ({
      args: options?.REPLACE === true ? ['FUNCTION', 'LOAD', 'REPLACE', code] : ['FUNCTION', 'LOAD', code],
    }),
  }),
  /** FUNCTION DELETE library → 'OK'. */
  functionDelete: defineCommand<[library: CommandArg], 'OK'>({
    build: (library) => ({ args: ['FUNCTION', 'DELETE', library] }),
  }),
  /** FUNCTION FLUSH [ASYNC|SYNC] → 'OK'. Deletes every library of the server. */
  functionFlush: defineCommand<[mode?: 'ASYNC' | 'SYNC'], 'OK'>({
    build: (mode) => ({ args: mode === undefined ? ['FUNCTION', 'FLUSH'] : ['FUNCTION', 'FLUSH', mode] }),
  }),
  /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] → `{ libraryName, engine, functions, libraryCode? }[]`. */
  functionList: defineCommand<[options?: FunctionListOptions], FunctionLibraryInfo[]>({
    build: (options) => {
      const args: CommandArg[] = ['FUNCTION', 'LIST'];
      if (options?.LIBRARYNAME !== undefined) args.push('LIBRARYNAME', options.LIBRARYNAME);
      if (options?.WITHCODE === true) args.push('WITHCODE');
      return { args, idempotent: true };
    },
    transform: (reply) => deepCamelRecord(reply, isLibraryRecord) as FunctionLibraryInfo[],
  }),
  /**
   * FUNCTION DUMP → every library as one opaque binary payload for `functionRestore`. The
   * command asks for a Buffer reply whatever the client's string mode: the payload is not UTF-8.
   */
  functionDump: defineCommand<[], Buffer>({
    build: () => ({ args: ['FUNCTION', 'DUMP'], stringMode: 'buffer', idempotent: true }),
  }),
  /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] → 'OK'. @default policy APPEND (the server's) */
  functionRestore: defineCommand<[payload: CommandArg, policy?: 'FLUSH' | 'APPEND' | 'REPLACE'], 'OK'>({
    build: (payload, policy) => ({
      args:
        policy === undefined ? ['FUNCTION', 'RESTORE', payload] : ['FUNCTION', 'RESTORE', payload, policy],
    }),
  }),
  /** FUNCTION STATS → `{ runningScript, engines: { LUA: { librariesCount, functionsCount } } }`. */
  functionStats: defineCommand<[], FunctionStats>({
    build: () => ({ args: ['FUNCTION', 'STATS'], idempotent: true }),
    transform: (reply) => deepCamelRecord(reply, isStatsRecord) as FunctionStats,
  }),
  /** FUNCTION KILL → 'OK'; `NOTBUSY` error when no function runs. */
  functionKill: defineCommand<[], 'OK'>({
    build: () => ({ args: ['FUNCTION', 'KILL'] }),
  }),
};
