import type { Command } from '@fusedis/resp';
import type { AnyCommandSpec, CommandTable, ReplyContext, SpecArgs, SpecReply } from '../command-spec.js';
import { COMMANDS, type Commands } from '../commands/index.js';
import type { StreamEntry, StreamGroupEntry, StreamReadResult } from '../commands/stream-replies.js';

/**
 * The commands that get an ioredis-style `…Buffer` twin (`getBuffer`, `hgetallBuffer`): those whose
 * every string in the reply is data from the server — values, members, fields, keys, stream ids —
 * so that the twin's type is the reply's with each `string` a `Buffer` ({@link Buffered}; a stream's
 * name in XREAD/XREADGROUP stays a string, as the plain reply documents it). Each is
 * checked against a real server (`commands-buffer-methods.test.ts`): no string is left in its
 * reply, and the bytes equal the text of the plain method's reply. Others (statuses, counts,
 * parsed text such as `INFO`) gain nothing from Buffers; `withOptions({ returnBuffers: true })`
 * still reaches every command.
 */
export const BUFFER_METHODS = [
  'get',
  'getdel',
  'getex',
  'getset',
  'getrange',
  'substr',
  'mget',
  'lcs',
  'hget',
  'hmget',
  'hgetall',
  'hkeys',
  'hvals',
  'hrandfield',
  'hrandfieldCount',
  'hrandfieldWithValues',
  'hgetdel',
  'hgetex',
  'lpop',
  'rpop',
  'lpopCount',
  'rpopCount',
  'lrange',
  'lindex',
  'lmove',
  'rpoplpush',
  'lmpop',
  'blpop',
  'brpop',
  'blmove',
  'brpoplpush',
  'blmpop',
  'smembers',
  'spop',
  'spopCount',
  'srandmember',
  'srandmemberCount',
  'sinter',
  'sunion',
  'sdiff',
  'zrange',
  'zrangeWithScores',
  'zrevrange',
  'zrevrangeWithScores',
  'zrangebyscore',
  'zrangebyscoreWithScores',
  'zrevrangebyscore',
  'zrevrangebyscoreWithScores',
  'zrangebylex',
  'zrevrangebylex',
  'zpopmin',
  'zpopmax',
  'bzpopmin',
  'bzpopmax',
  'zrandmember',
  'zrandmemberCount',
  'zrandmemberWithScores',
  'zmpop',
  'bzmpop',
  'zunion',
  'zunionWithScores',
  'zinter',
  'zinterWithScores',
  'zdiff',
  'zdiffWithScores',
  'xrange',
  'xrevrange',
  'xread',
  'xreadgroup',
  'keys',
  'randomkey',
  'sort',
  'sortRo',
  'eval',
  'evalsha',
  'evalRo',
  'evalshaRo',
  'fcall',
  'fcallRo',
] as const satisfies readonly (keyof Commands)[];

/** A command that has a `…Buffer` twin. */
export type BufferMethodName = (typeof BUFFER_METHODS)[number];

/** A reply type with every string a `Buffer` (object keys stay strings, as the decoder makes them). */
export type Buffered<T> = T extends string
  ? Buffer
  : T extends Uint8Array
    ? T
    : T extends object
      ? { [K in keyof T]: Buffered<T[K]> }
      : T;

/** Twins whose replies keep a string: a stream's name in XREAD/XREADGROUP (a map key in RESP3). */
interface BufferReplyExceptions {
  readonly xread: StreamReadResult<Buffered<StreamEntry>>[] | null;
  readonly xreadgroup: StreamReadResult<Buffered<StreamGroupEntry>>[] | null;
}

/** What a command's `…Buffer` twin resolves to. */
export type BufferReply<K extends BufferMethodName> = K extends keyof BufferReplyExceptions
  ? BufferReplyExceptions[K]
  : Buffered<SpecReply<Commands[K]>>;

/** The client's `…Buffer` methods: the plain method's arguments, its reply with Buffers for strings. */
export type ClientBufferMethods = {
  readonly [K in BufferMethodName as `${K}Buffer`]: (
    ...args: SpecArgs<Commands[K]>
  ) => Promise<BufferReply<K>>;
};

/** The `…Buffer` methods of a pipeline or transaction: queue the command, return the chain. */
export type ChainBufferMethods<Self> = {
  readonly [K in BufferMethodName as `${K}Buffer`]: (...args: SpecArgs<Commands[K]>) => Self;
};

const BUFFER_CONTEXTS: Readonly<Record<2 | 3, ReplyContext>> = {
  2: { protocol: 2, stringMode: 'buffer' },
  3: { protocol: 3, stringMode: 'buffer' },
};

/** A spec's twin: the same command, read with Buffers for strings and shaped as such. */
function bufferTwin(spec: AnyCommandSpec): AnyCommandSpec {
  const build = spec.build as (...args: unknown[]) => Command;
  const transform = spec.transform as ((reply: unknown, context: ReplyContext) => unknown) | undefined;
  return {
    build(...args: unknown[]): Command {
      return { ...build(...args), stringMode: 'buffer' };
    },
    ...(transform === undefined
      ? {}
      : {
          // A chain shapes every reply with its own context; this command's reply has Buffers.
          transform: (reply: unknown, context: ReplyContext) =>
            transform(reply, context.stringMode === 'buffer' ? context : BUFFER_CONTEXTS[context.protocol]),
        }),
  } as AnyCommandSpec;
}

/** `getBuffer`, `hgetallBuffer`…: the twin specs by method name, for the method installers. */
export const BUFFER_COMMANDS: CommandTable = Object.fromEntries(
  BUFFER_METHODS.map((name) => [`${name}Buffer`, bufferTwin(COMMANDS[name] as AnyCommandSpec)]),
);
