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
      let last: (string | Buffer)[] = [];
      if (caseId === 'e2') {
        return {
          run() {
            let data = '';
            for (const cmd of cmds) data += cmd.toWritable(NO_SOCKET) as string;
            const out = toBytes ? Buffer.from(data, 'utf8') : data;
            last = [out];
            return out.length;
          },
          output: () => bytesOf(last),
        };
      }
      return {
        run() {
          const out = new Array<string | Buffer>(cmds.length);
          let size = 0;
          for (let i = 0; i < cmds.length; i++) {
            const text = (cmds[i] as IoredisCommand).toWritable(NO_SOCKET) as string;
            const part = toBytes ? Buffer.from(text, 'utf8') : text;
            out[i] = part;
            size += part.length;
          }
          last = out;
          return size;
        },
        output: () => bytesOf(last),
      };
    },
  };
}

type NodeRedisEncoderModule = typeof import('@redis/client/dist/lib/RESP/encoder.js');
const { default: nodeRedisEncode } =
  require('@redis/client/dist/lib/RESP/encoder.js') as NodeRedisEncoderModule;

/**
 * @redis/client 6: `encodeCommand(args)` returns the parts to write (all strings when every argument
 * is a string); RedisSocket writes them between cork() and uncork(). Bytes here: the parts joined
 * and encoded once, per command or, for a pipeline, once for all.
 */
function nodeRedisPeer(toBytes: boolean): EncodePeer {
  return {
    id: toBytes ? 'node-redis' : 'node-redis-str',
    prepare(caseId, commands) {
      let last: (string | Buffer)[] = [];
      if (caseId === 'e2') {
        return {
          run() {
            let data = '';
            for (const args of commands) {
              for (const part of nodeRedisEncode(args)) data += part as string;
            }
            const out = toBytes ? Buffer.from(data, 'utf8') : data;
            last = [out];
            return out.length;
          },
          output: () => bytesOf(last),
        };
      }
      return {
        run() {
          const out = new Array<string | Buffer>(commands.length);
          let size = 0;
          for (let i = 0; i < commands.length; i++) {
            // Every argument is a string, so encodeCommand returns exactly one part.
            const text = nodeRedisEncode(commands[i] as string[])[0] as string;
            const part = toBytes ? Buffer.from(text, 'utf8') : text;
            out[i] = part;
            size += part.length;
          }
          last = out;
          return size;
        },
        output: () => bytesOf(last),
      };
    },
  };
}

/** Every encode peer, in table order; fusedis only when `resp` loaded. */
export function encodePeers(resp: Resp | undefined): EncodePeer[] {
  const peers = [ioredisPeer(true), nodeRedisPeer(true), ioredisPeer(false), nodeRedisPeer(false)];
  return resp === undefined ? peers : [fusedis(resp), ...peers];
}
