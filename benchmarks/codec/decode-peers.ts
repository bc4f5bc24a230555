/**
 * The decoders compared, each driven the way its own client drives it, behind one tiny interface:
 * a fresh decoder per iteration, chunks fed in order, each top-level reply handed to `onReply`.
 * Errors in the data are bugs in the benchmark, so every error path throws.
 */
import { createRequire } from 'node:module';
import RedisParser from 'redis-parser';
import { CHUNK_BYTES } from './cases.js';

const require = createRequire(import.meta.url);

/** The ids of the decode peers; `fusedis` is the baseline of every ratio. */
export type DecodePeerId =
  | 'fusedis'
  | 'native'
  | 'auto'
  | 'redis-parser'
  | 'ioredis'
  | 'ioredis-str'
  | 'node-redis'
  | 'frame-scan';

/** A decoder ready for one pass over a case. */
export interface Feeder {
  feed(chunk: Buffer): void;
}

/** One decoder under test. */
export interface DecodePeer {
  readonly id: DecodePeerId;
  /** Whether it reads RESP3 (redis-parser is RESP2 only: its RESP3 cells say n/a). */
  readonly resp3: boolean;
  /** False for the frame-scan reference: it hands out frame lengths, not values. */
  readonly buildsValues: boolean;
  /** A fresh decoder; `resp3` says the case is RESP3 (ioredis picks its type mapping by protocol). */
  create(onReply: (value: unknown) => void, resp3: boolean): Feeder;
}

function fail(err: unknown): never {
  throw err instanceof Error ? err : new Error(String(err));
}

/** The codec under test, loaded lazily so the peers still run while it does not load. */
export type Resp = typeof import('@fusedis/resp');

function fusedis(resp: Resp): DecodePeer {
  return {
    id: 'fusedis',
    resp3: true,
    buildsValues: true,
    create(onReply) {
      return resp.createJsDecoder({ reply: onReply, push: fail, error: fail }, { strings: 'utf8' });
    },
  };
}

/** @fusedis/native-codec, loaded lazily: without its addon the other peers still run. */
export type NativeCodec = typeof import('@fusedis/native-codec');

/** The native decoder, driven exactly like the JS one (same sink, same options). */
function native(codec: NativeCodec): DecodePeer {
  return {
    id: 'native',
    resp3: true,
    buildsValues: true,
    create(onReply) {
      return codec.createNativeDecoder({ reply: onReply, push: fail, error: fail }, { strings: 'utf8' });
    },
  };
}

/** native-codec's `auto` decoder (the client's default): JS for small replies, native for large ones. */
function auto(codec: NativeCodec): DecodePeer {
  return {
    id: 'auto',
    resp3: true,
    buildsValues: true,
    create(onReply) {
      return codec.createAutoDecoder({ reply: onReply, push: fail, error: fail }, { strings: 'utf8' });
    },
  };
}

/** The native codec, or undefined when it (or its addon) does not load. */
async function loadNative(): Promise<NativeCodec | undefined> {
  try {
    return (await import('@fusedis/native-codec')) as NativeCodec;
  } catch {
    return undefined;
  }
}

const redisParser: DecodePeer = {
  id: 'redis-parser',
  resp3: false,
  buildsValues: true,
  create(onReply) {
    // String mode: returnBuffers false, stringNumbers false (its defaults, as node_redis 3 used it).
    const parser = new RedisParser({ returnReply: onReply, returnError: fail, returnFatalError: fail });
    return { feed: (chunk) => parser.execute(chunk) };
  },
};

// ioredis 6 ships its decoder (a port of node-redis's) compiled with `#private` fields down-levelled.
type IoredisDecoderModule = typeof import('ioredis/built/resp/decoder.js');
type IoredisUtils = typeof import('ioredis/built/utils/index.js');
type IoredisTypeMapping = import('ioredis/built/resp/types.js').TypeMapping;
const ioredisDecoder = require('ioredis/built/resp/decoder.js') as IoredisDecoderModule;
const { convertBufferToString } = require('ioredis/built/utils/index.js') as IoredisUtils;
const IO = ioredisDecoder.RESP_TYPES;

/**
 * ioredis 6's DataHandler decodes strings to Buffers and converts them per command afterwards
 * (`replyEncoding: 'utf8'`, the default of every string command, through `convertBufferToString`).
 * These two mappings mirror its `legacyTypeMapping` (RESP2 connections) and `resp3TypeMapping`
 * (`replyMapping: 'resp3'`, which keeps maps as objects) from built/DataHandler.js, which are not exported.
 */
const IOREDIS_LEGACY: IoredisTypeMapping = {
  [IO.SIMPLE_STRING]: Buffer,
  [IO.BLOB_STRING]: Buffer,
  [IO.VERBATIM_STRING]: Buffer,
  [IO.BIG_NUMBER]: String,
  [IO.DOUBLE]: Buffer,
  [IO.BOOLEAN]: Number,
  [IO.MAP]: Array,
  [IO.SET]: Array,
};
const IOREDIS_RESP3: IoredisTypeMapping = {
  [IO.SIMPLE_STRING]: Buffer,
  [IO.BLOB_STRING]: Buffer,
  [IO.VERBATIM_STRING]: Buffer,
  [IO.BIG_NUMBER]: String,
  [IO.SET]: Array,
};
/** No mapping: strings come out as strings, maps as objects (node-redis's default shapes). */
const NO_MAPPING: IoredisTypeMapping = {};

const ioredis: DecodePeer = {
  id: 'ioredis',
  resp3: true,
  buildsValues: true,
  create(onReply, resp3) {
    const mapping = resp3 ? IOREDIS_RESP3 : IOREDIS_LEGACY;
    const decoder = new ioredisDecoder.Decoder({
      getTypeMapping: () => mapping,
      onReply: (reply: unknown) => onReply(convertBufferToString(reply, 'utf8')),
      onErrorReply: fail,
      onPush: fail,
    });
    return { feed: (chunk) => decoder.write(chunk) };
  },
};

const ioredisStrings: DecodePeer = {
  id: 'ioredis-str',
  resp3: true,
  buildsValues: true,
  create(onReply) {
    const decoder = new ioredisDecoder.Decoder({
      getTypeMapping: () => NO_MAPPING,
      onReply,
      onErrorReply: fail,
      onPush: fail,
    });
    return { feed: (chunk) => decoder.write(chunk) };
  },
};

type NodeRedisDecoderModule = typeof import('@redis/client/dist/lib/RESP/decoder.js');
const nodeRedisDecoder = require('@redis/client/dist/lib/RESP/decoder.js') as NodeRedisDecoderModule;
/** RedisCommandsQueue hands the decoder the head command's typeMapping, `{}` when it has none (strings). */
const NODE_REDIS_DEFAULT_MAPPING = {};

const nodeRedis: DecodePeer = {
  id: 'node-redis',
  resp3: true,
  buildsValues: true,
  create(onReply) {
    const decoder = new nodeRedisDecoder.Decoder({
      getTypeMapping: () => NODE_REDIS_DEFAULT_MAPPING,
      onReply,
      onErrorReply: fail,
      onPush: fail,
    });
    return { feed: (chunk) => decoder.write(chunk) };
  },
};

type FrameScannerClass = typeof import('../../packages/resp/src/internal/frame-scanner.js').FrameScanner;

/**
 * The resumable scanner behind `frameLength`. `frameLength` is stateless, so calling it again on
 * every chunk of one big reply would rescan the reply from its start (quadratic); a streaming
 * consumer uses the resumable scanner, exactly as the JS decoder does. It is internal to
 * @fusedis/resp, so it is reached next to whichever entry point `@fusedis/resp` resolved to.
 */
async function loadFrameScanner(): Promise<FrameScannerClass> {
  const entry = import.meta.resolve('@fusedis/resp');
  const ext = entry.endsWith('.ts') ? 'ts' : 'js';
  const mod = (await import(new URL(`./internal/frame-scanner.${ext}`, entry).href)) as {
    FrameScanner: FrameScannerClass;
  };
  return mod.FrameScanner;
}

/**
 * The floor: walk the frames without building a value. A whole buffer is walked with
 * `frameLength`; chunks are gathered the way the JS decoder gathers them (one buffer that doubles)
 * while the resumable scanner walks only the new bytes. Each frame's length goes to `onReply`.
 */
function frameScan(resp: Resp, FrameScanner: FrameScannerClass): DecodePeer {
  const { DEFAULT_LIMITS, frameLength } = resp;
  return {
    id: 'frame-scan',
    resp3: true,
    buildsValues: false,
    create(onReply) {
      const scanner = new FrameScanner(DEFAULT_LIMITS);
      let pending: Buffer | undefined;
      let start = 0;
      let end = 0;
      const keep = (buf: Buffer, pos: number, stop: number): void => {
        const live = stop - pos;
        if (live === 0) {
          pending = undefined;
          return;
        }
        if (buf === pending) {
          start = pos;
          return;
        }
        pending = Buffer.allocUnsafe(Math.max(16 * CHUNK_BYTES, live * 2));
        buf.copy(pending, 0, pos, stop);
        start = 0;
        end = live;
      };
      return {
        feed(chunk) {
          if (pending === undefined) {
            let pos = 0;
            while (pos < chunk.length) {
              const length = frameLength(chunk, pos);
              if (length === -1) {
                scanner.begin();
                scanner.scan(chunk, pos, chunk.length);
                break;
              }
              onReply(length);
              pos += length;
            }
            keep(chunk, pos, chunk.length);
            return;
          }
          if (end + chunk.length > pending.length) {
            const grown = Buffer.allocUnsafe(Math.max(end - start + chunk.length, pending.length * 2));
            pending.copy(grown, 0, start, end);
            end -= start;
            start = 0;
            pending = grown;
          }
          chunk.copy(pending, end);
          end += chunk.length;
          let pos = start;
          for (;;) {
            const length = scanner.scan(pending, pos, end);
            if (length === -1) break;
            onReply(length);
            pos += length;
            scanner.begin();
            if (pos === end) break;
          }
          keep(pending, pos, end);
        },
      };
    },
  };
}

/** Every decode peer, in table order; fusedis and the frame scan only when `resp` loaded. */
export async function loadDecodePeers(resp: Resp | undefined): Promise<DecodePeer[]> {
  const peers = [redisParser, ioredis, ioredisStrings, nodeRedis];
  if (resp === undefined) return peers;
  const codec = await loadNative();
  return [
    fusedis(resp),
    ...(codec === undefined ? [] : [native(codec), auto(codec)]),
    ...peers,
    frameScan(resp, await loadFrameScanner()),
  ];
}
