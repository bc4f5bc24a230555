/**
 * The encode cases and encoders compared. Each encoder turns the same 100,000 `SET key value`
 * commands into what its client hands to `socket.write`. fusedis hands over bytes; ioredis and
 * node-redis hand over JS strings and let the socket encode them, so their main rows include the
 * `Buffer.from` that the socket would do (a fair fight needs the same output), and their `-str`
 * rows time the string building alone.
 */
import { createRequire } from 'node:module';
import type { EncodeCaseId } from './cases.js';
import type { Resp } from './decode-peers.js';

const require = createRequire(import.meta.url);

/** Commands per case. */
export const SET_COMMANDS = 100_000;

const setKey = (i: number): string => `key:${String(i).padStart(8, '0')}`; // 12 bytes
const setValue = (i: number): string => `value-${String(i).padStart(6, '0')}-abcdefg`; // 20 bytes

/** The commands as argument arrays. The name is lower-case because ioredis always writes it so. */
export function setCommands(): string[][] {
  const out = new Array<string[]>(SET_COMMANDS);
  for (let i = 0; i < SET_COMMANDS; i++) out[i] = ['set', setKey(i), setValue(i)];
  return out;
}

/** The exact wire bytes of all commands, built by hand, for the spot check. */
export function expectedWire(commands: readonly string[][]): Buffer {
  let text = '';
  for (const args of commands) {
    text += `*${args.length}\r\n`;
    for (const arg of args) text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  }
  return Buffer.from(text, 'utf8');
}

export type EncodePeerId = 'fusedis' | 'ioredis' | 'node-redis' | 'ioredis-str' | 'node-redis-str';

/** A prepared encoder: `run()` encodes every command once; `output()` gives its bytes for the check. */
export interface PreparedEncode {
  /** Encodes all commands; returns a byte or part count so nothing can be optimised away. */
  run(): number;
  /** The concatenated output of one `run`, as bytes (outside timing). */
  output(): Buffer;
}

export interface EncodePeer {
  readonly id: EncodePeerId;
  /** Builds the peer's own command objects (outside timing), then returns the timed encoder. */
  prepare(caseId: EncodeCaseId, commands: readonly string[][]): PreparedEncode;
}

function bytesOf(parts: readonly (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

function fusedis({ encodeCommand, encodePipeline }: Resp): EncodePeer {
  return {
    id: 'fusedis',
    prepare(caseId, commands) {
      let last: Buffer[] = [];
      if (caseId === 'e2') {
        return {
          run() {
            const buf = encodePipeline(commands);
            last = [buf];
            return buf.length;
          },
          output: () => Buffer.concat(last),
        };
      }
      return {
        run() {
          const out = new Array<Buffer>(commands.length);
          let bytes = 0;
          for (let i = 0; i < commands.length; i++) {
            const buf = encodeCommand(commands[i] as string[]);
            out[i] = buf;
            bytes += buf.length;
          }
          last = out;
          return bytes;
        },
        output: () => Buffer.concat(last),
      };
    },
  };
}

/**
 * The timed encoder of a client that builds one JS string per command: per command (e1), or all
 * commands' strings concatenated into one, as its pipeline does before a single write (e2). With
 * `toBytes`, each string is encoded to UTF-8 as `socket.write` would do (the main rows); without,
 * only the strings are built (the `-str` rows).
 */
function stringEncoder(
  caseId: EncodeCaseId,
  count: number,
  toBytes: boolean,
  text: (i: number) => string,
): PreparedEncode {
  let last: (string | Buffer)[] = [];
  if (caseId === 'e2') {
    return {
      run() {
        let data = '';
        for (let i = 0; i < count; i++) data += text(i);
        const out = toBytes ? Buffer.from(data, 'utf8') : data;
        last = [out];
        return out.length;
      },
      output: () => bytesOf(last),
    };
  }
  return {
    run() {
      const out = new Array<string | Buffer>(count);
      let size = 0;
      for (let i = 0; i < count; i++) {
        const part = toBytes ? Buffer.from(text(i), 'utf8') : text(i);
        out[i] = part;
        size += part.length;
      }
      last = out;
      return size;
    },
    output: () => bytesOf(last),
  };
}

type IoredisCommandModule = typeof import('ioredis/built/Command.js');
const { default: IoredisCommand } = require('ioredis/built/Command.js') as IoredisCommandModule;
type IoredisCommand = InstanceType<typeof IoredisCommand>;

/** What `toWritable` is given: ioredis ignores it unless it is a pipeline collector. */
const NO_SOCKET = {};

/** Commands as the client builds them; each holds a promise that is never settled (harmless here). */
function ioredisCommands(commands: readonly string[][]): IoredisCommand[] {
  return commands.map((args) => new IoredisCommand(args[0] as string, args.slice(1)));
}

/**
 * ioredis 6: `Command#toWritable` per command (Redis#sendCommand writes each one), and for a
 * pipeline the strings concatenated into one, as Pipeline#exec does before its single write.
 */
function ioredisPeer(toBytes: boolean): EncodePeer {
  return {
    id: toBytes ? 'ioredis' : 'ioredis-str',
    prepare(caseId, commands) {
      const cmds = ioredisCommands(commands);
      return stringEncoder(
        caseId,
        cmds.length,
        toBytes,
        (i) => (cmds[i] as IoredisCommand).toWritable(NO_SOCKET) as string,
      );
    },
  };
}

type NodeRedisEncoderModule = typeof import('@redis/client/dist/lib/RESP/encoder.js');
const { default: nodeRedisEncode } =
  require('@redis/client/dist/lib/RESP/encoder.js') as NodeRedisEncoderModule;

/**
 * @redis/client 6: `encodeCommand(args)` returns the parts to write; RedisSocket writes them between
 * cork() and uncork(). Every argument here is a string, so there is exactly one part per command.
 * Bytes: that part encoded per command or, for a pipeline, the parts joined and encoded once.
 */
function nodeRedisPeer(toBytes: boolean): EncodePeer {
  return {
    id: toBytes ? 'node-redis' : 'node-redis-str',
    prepare(caseId, commands) {
      return stringEncoder(
        caseId,
        commands.length,
        toBytes,
        (i) => nodeRedisEncode(commands[i] as string[])[0] as string,
      );
    },
  };
}

/** Every encode peer, in table order; fusedis only when `resp` loaded. */
export function encodePeers(resp: Resp | undefined): EncodePeer[] {
  const peers = [ioredisPeer(true), nodeRedisPeer(true), ioredisPeer(false), nodeRedisPeer(false)];
  return resp === undefined ? peers : [fusedis(resp), ...peers];
}
