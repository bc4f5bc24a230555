import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { type ArgList, type FieldValues, pushFieldValues, withArgList } from './arguments.js';
import { toRecord } from './replies.js';
import {
  type ClientListEntry,
  type TrackingInfo,
  toClientInfo,
  toClientList,
  toTrackingInfo,
} from './server-replies.js';

/** A client type, as CLIENT LIST and CLIENT KILL filter on it. */
export type ClientType = 'NORMAL' | 'MASTER' | 'REPLICA' | 'PUBSUB';

/** CLIENT LIST filters. */
export interface ClientListOptions {
  /** Only clients of this type. */
  readonly TYPE?: ClientType;
  /** Only these client ids. */
  readonly ID?: CommandArg | readonly CommandArg[];
}

/** CLIENT KILL filters (all given ones must match). At least one is needed. */
export interface ClientKillFilters {
  readonly ID?: CommandArg;
  readonly TYPE?: ClientType | 'SLAVE';
  readonly USER?: CommandArg;
  /** `ip:port` of the client. */
  readonly ADDR?: CommandArg;
  /** `ip:port` of the server socket the client is connected to. */
  readonly LADDR?: CommandArg;
  /** `false` lets the command kill the calling connection too. @default true (the server's) */
  readonly SKIPME?: boolean;
  /** Only clients older than this many seconds. */
  readonly MAXAGE?: number;
}

/** CLIENT TRACKING options. */
export interface ClientTrackingOptions {
  /** Send invalidations to this client id (RESP2 tracking uses a second connection). */
  readonly REDIRECT?: CommandArg;
  /** With `BCAST`: only keys starting with these prefixes. */
  readonly PREFIX?: CommandArg | readonly CommandArg[];
  /** Broadcast mode: invalidations for every key (matching `PREFIX`), read or not. @default false */
  readonly BCAST?: boolean;
  /** Track only keys read right after `CLIENT CACHING YES`. @default false */
  readonly OPTIN?: boolean;
  /** Track every read except right after `CLIENT CACHING NO`. @default false */
  readonly OPTOUT?: boolean;
  /** No invalidations for keys this connection modified itself. @default false */
  readonly NOLOOP?: boolean;
}

const onOff = (on: boolean): 'ON' | 'OFF' => (on ? 'ON' : 'OFF');

/**
 * CONFIG and CLIENT. The CLIENT commands that set connection state (SETNAME, NO-EVICT, NO-TOUCH,
 * TRACKING, CACHING) act on the connection they run on: with auto-pipelining that is the client's
 * shared connection, and the state is lost when it reconnects.
 */
export const serverClientCommands = {
  /** CONFIG GET parameter … → `{ name: value }` (glob patterns allowed). */
  configGet: defineCommand<ArgList, Record<string, string>>({
    build: (...parameters) => ({ args: withArgList(['CONFIG', 'GET'], parameters), idempotent: true }),
    transform: (reply) => toRecord<string>(reply),
  }),
  /** CONFIG SET parameter value … → 'OK' (all or nothing). Give an object, a Map or pairs. */
  configSet: defineCommand<[parameters: FieldValues], 'OK'>({
    build: (parameters) => {
      const args: CommandArg[] = ['CONFIG', 'SET'];
      pushFieldValues(args, parameters, 'CONFIG SET');
      return { args };
    },
  }),
  /** CONFIG RESETSTAT → 'OK': resets INFO's statistics, the slowlog is untouched. */
  configResetStat: defineCommand<[], 'OK'>({
    build: () => ({ args: ['CONFIG', 'RESETSTAT'] }),
  }),
  /** CONFIG REWRITE → 'OK'; an error when the server runs without a config file. */
  configRewrite: defineCommand<[], 'OK'>({
    build: () => ({ args: ['CONFIG', 'REWRITE'] }),
  }),
  /** CLIENT ID → this connection's id. */
  clientId: defineCommand<[], number>({
    build: () => ({ args: ['CLIENT', 'ID'], idempotent: true }),
  }),
  /** CLIENT GETNAME → this connection's name, or null. */
  clientGetName: defineCommand<[], string | null>({
    build: () => ({ args: ['CLIENT', 'GETNAME'], idempotent: true }),
  }),
  /** CLIENT SETNAME name → 'OK'. Prefer the client's `connectionName` option: it survives reconnects. */
  clientSetName: defineCommand<[name: CommandArg], 'OK'>({
    build: (name) => ({ args: ['CLIENT', 'SETNAME', name] }),
  }),
  /** CLIENT SETINFO LIB-NAME|LIB-VER value → 'OK'. */
  clientSetInfo: defineCommand<[attribute: 'LIB-NAME' | 'LIB-VER', value: CommandArg], 'OK'>({
    build: (attribute, value) => ({ args: ['CLIENT', 'SETINFO', attribute, value] }),
  }),
  /** CLIENT LIST [TYPE t] [ID id …] → one object per client, every field a string (`id`, `addr`, `name`…). */
  clientList: defineCommand<[options?: ClientListOptions], ClientListEntry[]>({
    build: (options) => {
      const args: CommandArg[] = ['CLIENT', 'LIST'];
      if (options?.TYPE !== undefined) args.push('TYPE', options.TYPE);
      if (options?.ID !== undefined)
        args.push('ID', ...(Array.isArray(options.ID) ? options.ID : [options.ID]));
      return { args, idempotent: true };
    },
    transform: toClientList,
  }),
  /** CLIENT INFO → this connection, as one CLIENT LIST object. */
  clientInfo: defineCommand<[], ClientListEntry>({
    build: () => ({ args: ['CLIENT', 'INFO'], idempotent: true }),
    transform: toClientInfo,
  }),
  /** CLIENT KILL filter … → how many clients were closed. (The old `CLIENT KILL addr` form is not offered.) */
  clientKill: defineCommand<[filters: ClientKillFilters], number>({
    build: (filters) => {
      const args: CommandArg[] = ['CLIENT', 'KILL'];
      if (filters.ID !== undefined) args.push('ID', filters.ID);
      if (filters.TYPE !== undefined) args.push('TYPE', filters.TYPE);
      if (filters.USER !== undefined) args.push('USER', filters.USER);
      if (filters.ADDR !== undefined) args.push('ADDR', filters.ADDR);
      if (filters.LADDR !== undefined) args.push('LADDR', filters.LADDR);
      if (filters.SKIPME !== undefined) args.push('SKIPME', filters.SKIPME ? 'YES' : 'NO');
      if (filters.MAXAGE !== undefined) args.push('MAXAGE', filters.MAXAGE);
      return { args };
    },
  }),
  /** CLIENT PAUSE timeout [WRITE|ALL] → 'OK'. `timeout` in milliseconds. @default mode ALL */
  clientPause: defineCommand<[timeout: number, mode?: 'WRITE' | 'ALL'], 'OK'>({
    build: (timeout, mode) => ({
      args: mode === undefined ? ['CLIENT', 'PAUSE', timeout] : ['CLIENT', 'PAUSE', timeout, mode],
    }),
  }),
  /** CLIENT UNPAUSE → 'OK'. */
  clientUnpause: defineCommand<[], 'OK'>({
    build: () => ({ args: ['CLIENT', 'UNPAUSE'] }),
  }),
  /** CLIENT UNBLOCK id [TIMEOUT|ERROR] → true when the client was blocked and is now unblocked. */
  clientUnblock: defineCommand<[clientId: CommandArg, mode?: 'TIMEOUT' | 'ERROR'], boolean>({
    build: (clientId, mode) => ({
      args: mode === undefined ? ['CLIENT', 'UNBLOCK', clientId] : ['CLIENT', 'UNBLOCK', clientId, mode],
    }),
    transform: (reply) => reply === 1,
  }),
  /** CLIENT NO-EVICT ON|OFF → 'OK': exempt this connection from client eviction. */
  clientNoEvict: defineCommand<[on: boolean], 'OK'>({
    build: (on) => ({ args: ['CLIENT', 'NO-EVICT', onOff(on)] }),
  }),
  /** CLIENT NO-TOUCH ON|OFF → 'OK': this connection's reads stop updating keys' LRU/LFU. */
  clientNoTouch: defineCommand<[on: boolean], 'OK'>({
    build: (on) => ({ args: ['CLIENT', 'NO-TOUCH', onOff(on)] }),
  }),
  /**
   * CLIENT TRACKING ON|OFF [options] → 'OK'. On RESP3 the invalidations arrive as pushes on this
   * connection; on RESP2 they need `REDIRECT` to a subscribed connection.
   */
  clientTracking: defineCommand<[on: boolean, options?: ClientTrackingOptions], 'OK'>({
    build: (on, options) => {
      const args: CommandArg[] = ['CLIENT', 'TRACKING', onOff(on)];
      if (options?.REDIRECT !== undefined) args.push('REDIRECT', options.REDIRECT);
      if (options?.PREFIX !== undefined)
        for (const prefix of Array.isArray(options.PREFIX) ? options.PREFIX : [options.PREFIX])
          args.push('PREFIX', prefix as CommandArg);
      if (options?.BCAST === true) args.push('BCAST');
      if (options?.OPTIN === true) args.push('OPTIN');
      if (options?.OPTOUT === true) args.push('OPTOUT');
      if (options?.NOLOOP === true) args.push('NOLOOP');
      return { args };
    },
  }),
  /** CLIENT TRACKINGINFO → `{ flags, redirect, prefixes }`. */
  clientTrackingInfo: defineCommand<[], TrackingInfo>({
    build: () => ({ args: ['CLIENT', 'TRACKINGINFO'], idempotent: true }),
    transform: toTrackingInfo,
  }),
  /** CLIENT GETREDIR → the client id tracking redirects to (0: none with RESP3 pushes, -1: tracking off). */
  clientGetRedir: defineCommand<[], number>({
    build: () => ({ args: ['CLIENT', 'GETREDIR'], idempotent: true }),
  }),
  /** CLIENT CACHING YES|NO → 'OK': with OPTIN/OPTOUT tracking, about the next command of this connection. */
  clientCaching: defineCommand<[yes: boolean], 'OK'>({
    build: (yes) => ({ args: ['CLIENT', 'CACHING', yes ? 'YES' : 'NO'] }),
  }),
};
