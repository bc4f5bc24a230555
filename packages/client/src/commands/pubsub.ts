import type { Command, CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { type ArgList, KEY_AT_1, withArgList } from './arguments.js';
import { toRecord } from './replies.js';

function patternCommand(sub: 'CHANNELS' | 'SHARDCHANNELS', pattern: CommandArg | undefined): Command {
  return { args: pattern === undefined ? ['PUBSUB', sub] : ['PUBSUB', sub, pattern], idempotent: true };
}

/** `[channel, count, …]` as `{ channel: count }` (counts are integers on both protocols). */
function toCounts(reply: unknown): Record<string, number> {
  return toRecord<number>(reply);
}

/**
 * Publishing and introspection: https://redis.io/docs/latest/commands/?group=pubsub
 * SUBSCRIBE and friends change the connection's mode and belong to the client's pub/sub runtime.
 */
export const pubSubCommands = {
  /** PUBLISH channel message → how many clients received it (cluster-wide only on the node's own clients). */
  publish: defineCommand<[channel: CommandArg, message: CommandArg], number>({
    build: (channel, message) => ({ args: ['PUBLISH', channel, message] }),
  }),
  /**
   * SPUBLISH shardchannel message → how many clients received it. The shard channel is marked as
   * a key (position 1) so a cluster router sends it to the slot's node; a key prefix applies to it.
   */
  spublish: defineCommand<[shardChannel: CommandArg, message: CommandArg], number>({
    build: (shardChannel, message) => ({ args: ['SPUBLISH', shardChannel, message], keyIndexes: KEY_AT_1 }),
  }),
  /** PUBSUB CHANNELS [pattern] → active channels (with at least one subscriber). */
  pubsubChannels: defineCommand<[pattern?: CommandArg], string[]>({
    build: (pattern) => patternCommand('CHANNELS', pattern),
  }),
  /** PUBSUB NUMSUB channel … → `{ channel: subscribers }` (patterns not counted). */
  pubsubNumSub: defineCommand<ArgList, Record<string, number>>({
    build: (...channels) => ({ args: withArgList(['PUBSUB', 'NUMSUB'], channels), idempotent: true }),
    transform: toCounts,
  }),
  /** PUBSUB NUMPAT → the number of pattern subscriptions, across all clients. */
  pubsubNumPat: defineCommand<[], number>({
    build: () => ({ args: ['PUBSUB', 'NUMPAT'], idempotent: true }),
  }),
  /** PUBSUB SHARDCHANNELS [pattern] → active shard channels (of this node). */
  pubsubShardChannels: defineCommand<[pattern?: CommandArg], string[]>({
    build: (pattern) => patternCommand('SHARDCHANNELS', pattern),
  }),
  /** PUBSUB SHARDNUMSUB shardchannel … → `{ shardchannel: subscribers }`. */
  pubsubShardNumSub: defineCommand<ArgList, Record<string, number>>({
    build: (...channels) => ({ args: withArgList(['PUBSUB', 'SHARDNUMSUB'], channels), idempotent: true }),
    transform: toCounts,
  }),
};
