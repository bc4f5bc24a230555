import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { notOneOf } from './argument-shapes.js';
import { type ArgList, KEY_AT_2, withArgList } from './arguments.js';
import { camelRecord } from './record-shapes.js';
import { type CommandDoc, type CommandInfo, toCommandInfo, toDocs } from './server-command-docs.js';
import {
  type LatencyHistogram,
  type LatencyLatest,
  type LatencySample,
  type MemoryStats,
  type SlowlogEntry,
  toLatencyHistograms,
  toLatencyHistory,
  toLatencyLatest,
  toMemoryStats,
  toSlowlog,
} from './server-replies.js';

/** COMMAND LIST filter: commands of a module, of an ACL category, or matching a glob pattern. */
export type CommandListFilter =
  | { readonly MODULE: CommandArg }
  | { readonly ACLCAT: CommandArg }
  | { readonly PATTERN: CommandArg };

/** One loaded module (MODULE LIST). */
export interface ModuleInfo {
  readonly name: string;
  readonly ver: number;
  readonly path: string;
  readonly args: string[];
  readonly [field: string]: unknown;
}

/** COMMAND, MEMORY, SLOWLOG, LATENCY and MODULE LIST: what the server can tell about itself. */
export const serverIntrospectionCommands = {
  /** COMMAND COUNT → how many commands the server has. */
  commandCount: defineCommand<[], number>({
    build: () => ({ args: ['COMMAND', 'COUNT'], idempotent: true }),
  }),
  /** COMMAND DOCS [name …] → `{ name: { summary, since, group, complexity, arguments, … } }`. */
  commandDocs: defineCommand<ArgList, Record<string, CommandDoc>>({
    build: (...names) => ({
      args: withArgList(['COMMAND', 'DOCS'], names),
      idempotent: true,
    }),
    transform: toDocs,
  }),
  /** COMMAND INFO [name …] → one object per name (null for an unknown command). */
  commandInfo: defineCommand<ArgList, (CommandInfo | null)[]>({
    build: (...names) => ({
      args: withArgList(['COMMAND', 'INFO'], names),
      idempotent: true,
    }),
    transform: (reply) => (reply as unknown[]).map(toCommandInfo),
  }),
  /** COMMAND LIST [FILTERBY …] → command names. */
  commandList: defineCommand<[filter?: CommandListFilter], string[]>({
    build: (filter) => {
      const args: CommandArg[] = ['COMMAND', 'LIST'];
      if (filter === undefined) return { args, idempotent: true };
      const seen = (typeof filter === 'object' && filter !== null ? filter : {}) as Partial<
        Record<'MODULE' | 'ACLCAT' | 'PATTERN', CommandArg>
      >;
      if (seen.MODULE !== undefined) args.push('FILTERBY', 'MODULE', seen.MODULE);
      else if (seen.ACLCAT !== undefined) args.push('FILTERBY', 'ACLCAT', seen.ACLCAT);
      else if (seen.PATTERN !== undefined) args.push('FILTERBY', 'PATTERN', seen.PATTERN);
      else throw notOneOf('commandList: a filter', ['{ MODULE }', '{ ACLCAT }', '{ PATTERN }'], filter);
      return { args, idempotent: true };
    },
  }),
  /** COMMAND GETKEYS command arg … → the keys the server finds in that command. */
  commandGetKeys: defineCommand<ArgList, string[]>({
    build: (...command) => ({ args: withArgList(['COMMAND', 'GETKEYS'], command), idempotent: true }),
  }),
  /** COMMAND GETKEYSANDFLAGS command arg … → `{ key, flags }[]` (flags such as `RW`, `access`, `update`). */
  commandGetKeysAndFlags: defineCommand<ArgList, { key: string; flags: string[] }[]>({
    build: (...command) => ({ args: withArgList(['COMMAND', 'GETKEYSANDFLAGS'], command), idempotent: true }),
    transform: (reply) =>
      (reply as [string, unknown[]][]).map(([key, flags]) => ({ key, flags: flags.map(String) })),
  }),
  /** MEMORY USAGE key [SAMPLES n] → bytes used by the key and its value, or null when missing. */
  memoryUsage: defineCommand<[key: CommandArg, options?: { readonly SAMPLES?: number }], number | null>({
    build: (key, options) => ({
      args:
        options?.SAMPLES === undefined
          ? ['MEMORY', 'USAGE', key]
          : ['MEMORY', 'USAGE', key, 'SAMPLES', options.SAMPLES],
      keyIndexes: KEY_AT_2,
      readOnly: true,
      idempotent: true,
    }),
  }),
  /** MEMORY STATS → Redis's figures under its own names (`peak.allocated`, `dataset.percentage`, `db.0`…). */
  memoryStats: defineCommand<[], MemoryStats>({
    build: () => ({ args: ['MEMORY', 'STATS'], idempotent: true }),
    transform: toMemoryStats,
  }),
  /** MEMORY DOCTOR → a human-readable report. */
  memoryDoctor: defineCommand<[], string>({
    build: () => ({ args: ['MEMORY', 'DOCTOR'], idempotent: true }),
  }),
  /** MEMORY MALLOC-STATS → the allocator's own report (text). */
  memoryMallocStats: defineCommand<[], string>({
    build: () => ({ args: ['MEMORY', 'MALLOC-STATS'], idempotent: true }),
  }),
  /** MEMORY PURGE → 'OK': asks the allocator to release dirty pages. */
  memoryPurge: defineCommand<[], 'OK'>({
    build: () => ({ args: ['MEMORY', 'PURGE'] }),
  }),
  /** SLOWLOG GET [count] → `{ id, timestamp, duration (µs), args, clientAddress, clientName }[]`, newest first. */
  slowlogGet: defineCommand<[count?: number], SlowlogEntry[]>({
    build: (count) => ({
      args: count === undefined ? ['SLOWLOG', 'GET'] : ['SLOWLOG', 'GET', count],
      idempotent: true,
    }),
    transform: toSlowlog,
  }),
  /** SLOWLOG LEN → entries in the slow log. */
  slowlogLen: defineCommand<[], number>({
    build: () => ({ args: ['SLOWLOG', 'LEN'], idempotent: true }),
  }),
  /** SLOWLOG RESET → 'OK'. */
  slowlogReset: defineCommand<[], 'OK'>({
    build: () => ({ args: ['SLOWLOG', 'RESET'] }),
  }),
  /** LATENCY LATEST → `{ event, timestamp, latest, max }[]` (ms; needs `latency-monitor-threshold`). */
  latencyLatest: defineCommand<[], LatencyLatest[]>({
    build: () => ({ args: ['LATENCY', 'LATEST'], idempotent: true }),
    transform: toLatencyLatest,
  }),
  /** LATENCY HISTORY event → `{ timestamp, latency }[]` (seconds, ms). */
  latencyHistory: defineCommand<[event: CommandArg], LatencySample[]>({
    build: (event) => ({ args: ['LATENCY', 'HISTORY', event], idempotent: true }),
    transform: toLatencyHistory,
  }),
  /** LATENCY RESET [event …] → how many event series were reset. */
  latencyReset: defineCommand<ArgList, number>({
    build: (...events) => ({ args: withArgList(['LATENCY', 'RESET'], events) }),
  }),
  /** LATENCY DOCTOR → a human-readable analysis. */
  latencyDoctor: defineCommand<[], string>({
    build: () => ({ args: ['LATENCY', 'DOCTOR'], idempotent: true }),
  }),
  /** LATENCY GRAPH event → an ASCII-art graph of the event's latency. */
  latencyGraph: defineCommand<[event: CommandArg], string>({
    build: (event) => ({ args: ['LATENCY', 'GRAPH', event], idempotent: true }),
  }),
  /** LATENCY HISTOGRAM [command …] → `{ command: { calls, histogramUsec: { bucketUs: count } } }`. */
  latencyHistogram: defineCommand<ArgList, Record<string, LatencyHistogram>>({
    build: (...commands) => ({ args: withArgList(['LATENCY', 'HISTOGRAM'], commands), idempotent: true }),
    transform: toLatencyHistograms,
  }),
  /** MODULE LIST → `{ name, ver, path, args }[]`. (MODULE LOAD/UNLOAD: use `call`.) */
  moduleList: defineCommand<[], ModuleInfo[]>({
    build: () => ({ args: ['MODULE', 'LIST'], idempotent: true }),
    transform: (reply) => (reply as unknown[]).map((m) => camelRecord<ModuleInfo>(m)),
  }),
};
