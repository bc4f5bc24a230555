import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { type ArgList, withArgList } from './arguments.js';
import { serverAclCommands } from './server-acl.js';
import { serverClientCommands } from './server-client.js';
import { serverIntrospectionCommands } from './server-introspection.js';
import { type RoleInfo, toRole } from './server-replies.js';
import { blockingTimeout } from './stream-args.js';

/** FLUSHDB / FLUSHALL / SCRIPT FLUSH mode. @default the server's `lazyfree-lazy-user-flush` */
export type FlushMode = 'ASYNC' | 'SYNC';

/**
 * Server and connection: https://redis.io/docs/latest/commands/?group=server
 * Commands that change the state of a multiplexed connection (SELECT, AUTH, HELLO, RESET, QUIT,
 * MONITOR, SUBSCRIBE, CLIENT REPLY) are not methods: the client's options and runtime own them.
 */
export const serverCommands = {
  /** PING [message] → 'PONG', or `message`. */
  ping: defineCommand<[message?: CommandArg], string>({
    build: (message) => ({ args: message === undefined ? ['PING'] : ['PING', message], idempotent: true }),
  }),
  /** ECHO message → `message`. */
  echo: defineCommand<[message: CommandArg], string>({
    build: (message) => ({ args: ['ECHO', message], idempotent: true }),
  }),
  /** INFO [section …] → the raw `# Section\r\nname:value` text (RESP3 verbatim string alike). */
  info: defineCommand<ArgList, string>({
    build: (...sections) => ({ args: withArgList(['INFO'], sections), idempotent: true }),
  }),
  /** DBSIZE → the number of keys in the selected database. */
  dbsize: defineCommand<[], number>({
    build: () => ({ args: ['DBSIZE'], idempotent: true }),
  }),
  /** FLUSHDB [ASYNC|SYNC] → 'OK'. Deletes every key of the selected database. */
  flushdb: defineCommand<[mode?: FlushMode], 'OK'>({
    build: (mode) => ({ args: mode === undefined ? ['FLUSHDB'] : ['FLUSHDB', mode] }),
  }),
  /** FLUSHALL [ASYNC|SYNC] → 'OK'. Deletes every key of every database. */
  flushall: defineCommand<[mode?: FlushMode], 'OK'>({
    build: (mode) => ({ args: mode === undefined ? ['FLUSHALL'] : ['FLUSHALL', mode] }),
  }),
  /** TIME → `[seconds, microseconds]` of the server's clock, as numbers. */
  time: defineCommand<[], [seconds: number, microseconds: number]>({
    build: () => ({ args: ['TIME'], idempotent: true }),
    transform: (reply) => {
      const [seconds, microseconds] = reply as [unknown, unknown];
      return [Number(String(seconds)), Number(String(microseconds))];
    },
  }),
  /** LASTSAVE → Unix time in seconds of the last successful save. */
  lastsave: defineCommand<[], number>({
    build: () => ({ args: ['LASTSAVE'], idempotent: true }),
  }),
  /** SAVE → 'OK' after a synchronous save (blocks the server: prefer BGSAVE). */
  save: defineCommand<[], 'OK'>({
    build: () => ({ args: ['SAVE'] }),
  }),
  /** BGSAVE [SCHEDULE] → `'Background saving started'` (or `'… scheduled'`). */
  bgsave: defineCommand<[options?: { readonly SCHEDULE?: boolean }], string>({
    build: (options) => ({ args: options?.SCHEDULE === true ? ['BGSAVE', 'SCHEDULE'] : ['BGSAVE'] }),
  }),
  /** BGREWRITEAOF → a status text (`'Background append only file rewriting started'`). */
  bgrewriteaof: defineCommand<[], string>({
    build: () => ({ args: ['BGREWRITEAOF'] }),
  }),
  /** SWAPDB index1 index2 → 'OK'. Every client of either database sees the other's data. */
  swapdb: defineCommand<[index1: number, index2: number], 'OK'>({
    build: (index1, index2) => ({ args: ['SWAPDB', index1, index2] }),
  }),
  /** ROLE → `{ role: 'master', replicationOffset, replicas }`, `{ role: 'replica', … }` or `{ role: 'sentinel', … }`. */
  role: defineCommand<[], RoleInfo>({
    build: () => ({ args: ['ROLE'], idempotent: true }),
    transform: toRole,
  }),
  /**
   * WAIT numreplicas timeout → how many replicas acknowledged this connection's writes (`timeout`
   * in ms, 0: forever). Sent on the connection the client's writes go to, not a pooled one: WAIT
   * counts the writes of the connection it runs on, and a pooled connection has made none, so it
   * answered at once with every replica, whatever had been replicated. Like any WAIT, it holds
   * that connection's later replies until it answers; its deadline is the wait plus a margin.
   */
  wait: defineCommand<[numReplicas: number, timeout: number], number>({
    build: (numReplicas, timeout) => ({
      args: ['WAIT', numReplicas, timeout],
      timeout: blockingTimeout(timeout),
    }),
  }),
  /**
   * WAITAOF numlocal numreplicas timeout → `[local, replicas]`: how many fsynced this connection's
   * writes to their AOF. On the writes' connection, as `wait` is.
   */
  waitaof: defineCommand<
    [numLocal: number, numReplicas: number, timeout: number],
    [local: number, replicas: number]
  >({
    build: (numLocal, numReplicas, timeout) => ({
      args: ['WAITAOF', numLocal, numReplicas, timeout],
      timeout: blockingTimeout(timeout),
    }),
  }),
  ...serverClientCommands,
  ...serverIntrospectionCommands,
  ...serverAclCommands,
};
