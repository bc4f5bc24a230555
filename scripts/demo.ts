/**
 * The demo, against throwaway servers it starts and stops itself:
 *   1. @fusedis/resp over a bare TCP socket (encode, decode, a 10,000-command pipeline);
 *   2. @fusedis/client (commands, auto-pipelining, pipelines, MULTI, pub/sub, scripts, scans);
 *   3. the JS and native decoders giving identical replies;
 *   4. FalkorDB through client.graph(name) (when the module is installed);
 *   5. a 3+3 Redis Cluster through createClient({ cluster });
 *   6. a Sentinel failover under compare-and-set load through createClient({ sentinel }).
 *
 *   pnpm demo   (tsx --conditions=@fusedis/source scripts/demo.ts)
 */
import { connect, type Socket } from 'node:net';
import { inspect } from 'node:util';
import {
  type CommandArg,
  createJsDecoder,
  encodeCommand,
  encodePipeline,
  type ReplyDecoder,
} from '@fusedis/resp';
import { findServers, type RedisServer, startRedis } from '@fusedis/test-harness';
import { demoClient } from './demo/demo-client.js';
import { demoCluster } from './demo/demo-cluster.js';
import { demoDecoders } from './demo/demo-decoders.js';
import { demoGraph } from './demo/demo-graph.js';
import { demoSentinel } from './demo/demo-sentinel.js';

/** A socket plus the JS decoder: each write waits for as many replies as commands it carried. */
class RawSession {
  readonly #socket: Socket;
  readonly #decoder: ReplyDecoder;
  #replies: unknown[] = [];
  #want = 0;
  #done: (() => void) | undefined;
  #fail: ((err: Error) => void) | undefined;
  #received: Buffer[] = [];

  constructor(socket: Socket) {
    this.#socket = socket;
    this.#decoder = createJsDecoder({
      reply: (value) => {
        this.#replies.push(value);
        if (this.#replies.length === this.#want) this.#done?.();
      },
      push: (value) => console.log(`  (push) ${inspect(value)}`),
      error: (err) => this.#fail?.(err),
    });
    socket.on('data', (chunk: Buffer) => {
      this.#received.push(chunk);
      this.#decoder.feed(chunk);
    });
    socket.on('error', (err) => this.#fail?.(err));
  }

  /** Writes `bytes` in one socket.write and resolves with the next `count` replies. */
  send(bytes: Buffer, count: number): Promise<unknown[]> {
    this.#replies = [];
    this.#want = count;
    this.#received = [];
    return new Promise((resolve, reject) => {
      this.#done = () => resolve(this.#replies);
      this.#fail = reject;
      this.#socket.write(bytes);
    });
  }

  /** The raw reply bytes of the last `send`, as they arrived. */
  received(): { bytes: Buffer; chunks: number } {
    return { bytes: Buffer.concat(this.#received), chunks: this.#received.length };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.end(resolve));
  }
}

/** Wire bytes as readable text: CR and LF spelled out, non-printable bytes as \xNN, long runs cut. */
function showBytes(bytes: Uint8Array, max = 96): string {
  let text = '';
  for (const byte of bytes.subarray(0, max)) {
    if (byte === 0x0d) text += '\\r';
    else if (byte === 0x0a) text += '\\n';
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return bytes.length > max ? `${text}… (${bytes.length - max} more bytes)` : text;
}

function show(value: unknown): string {
  // Continuation lines of a multi-line value line up under the step's own indentation.
  return inspect(value, { depth: 4, breakLength: 100, colors: process.stdout.isTTY }).replaceAll(
    '\n',
    '\n  ',
  );
}

/** A command as people type it: plain words bare, anything with spaces or odd bytes quoted. */
function showCommand(args: readonly CommandArg[]): string {
  return args
    .map((arg) => (typeof arg === 'string' && /^[\w:.-]+$/.test(arg) ? arg : inspect(arg)))
    .join(' ');
}

async function step(session: RawSession, args: readonly CommandArg[], note = ''): Promise<unknown> {
  const bytes = encodeCommand(args);
  console.log(`\n→ ${showCommand(args)}${note}`);
  console.log(`  encodeCommand: ${bytes.length} bytes  ${showBytes(bytes)}`);
  const [reply] = await session.send(bytes, 1);
  const { bytes: wire } = session.received();
  console.log(`← ${wire.length} bytes  ${showBytes(wire)}`);
  console.log(`  decoded: ${show(reply)}`);
  return reply;
}

async function main(): Promise<void> {
  console.log('fusedis demo, part 1: @fusedis/resp against a real redis-server, through a bare TCP socket\n');

  const servers = await findServers({ log: (line) => console.log(`  … ${line}`) });
  console.log(`1. servers: ${servers.description}`);

  let server: RedisServer | undefined;
  let session: RawSession | undefined;
  try {
    server = await startRedis(servers.falkordbModule === undefined ? {} : { module: servers.falkordbModule });
    console.log(
      `2. started redis-server ${server.version} on ${server.host}:${server.port} (pid ${server.pid})`,
    );

    const { host, port } = server;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host, port, noDelay: true });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    session = new RawSession(socket);
    console.log('3. connected a plain net.Socket; replies are decoded by createJsDecoder');

    await step(
      session,
      ['SET', 'demo:greeting', 'héllo, wörld 👋'],
      '   (UTF-8: byte lengths, not string lengths)',
    );
    await step(session, ['GET', 'demo:greeting']);
    await step(session, ['HELLO', 3], '   (switch this connection to RESP3)');
    await step(session, ['HSET', 'demo:user', 'name', 'Ada', 'lang', 'TypeScript', 'born', 1815]);
    const user = await step(session, ['HGETALL', 'demo:user'], '   (a RESP3 map)');
    console.log(
      `  → a null-prototype object: Object.getPrototypeOf(user) === ${Object.getPrototypeOf(user)}`,
    );
    await step(session, ['DEBUG', 'PROTOCOL', 'bignum'], '   (a RESP3 big number)');

    await step(session, ['DEL', 'demo:counter'], '   (start the counter from zero)');
    const count = 10_000;
    const commands = Array.from({ length: count }, () => ['INCR', 'demo:counter'] as const);
    const started = process.hrtime.bigint();
    const pipeline = encodePipeline(commands);
    const encoded = process.hrtime.bigint();
    console.log(`\n→ pipeline: ${count.toLocaleString('en')} × INCR demo:counter`);
    console.log(
      `  encodePipeline: one buffer of ${pipeline.length.toLocaleString('en')} bytes in ${ms(encoded - started)} (first call, so including JIT warm-up), one socket.write`,
    );
    const sent = process.hrtime.bigint();
    const replies = await session.send(pipeline, count);
    const received = process.hrtime.bigint();
    const wire = session.received();
    const inOrder = replies.every((reply, i) => reply === i + 1);
    console.log(
      `← ${replies.length.toLocaleString('en')} replies, ${wire.bytes.length.toLocaleString('en')} bytes in ${wire.chunks} TCP chunks, round trip ${ms(received - sent)}`,
    );
    console.log(
      `  decoded: ${show(replies.slice(0, 3))} … ${show(replies.at(-1))}; all in order 1..${count}: ${inOrder}`,
    );
    if (!inOrder) throw new Error('pipeline replies came back out of order');
    await step(session, ['DEL', 'demo:greeting', 'demo:user', 'demo:counter']);
    await session.close();
    session = undefined;

    await demoClient(`redis://${host}:${port}`);
    await demoDecoders(`redis://${host}:${port}`);
    if (servers.falkordbModule !== undefined) await demoGraph(`redis://${host}:${port}`);
    else console.log('\n(part 4, FalkorDB, skipped: no FalkorDB module on this machine)');
    await demoCluster();
    await demoSentinel();
  } finally {
    await session?.close();
    if (server !== undefined) {
      await server.stop();
      console.log(`\n4. stopped redis-server (pid ${server.pid}) and removed its temp folder`);
    }
  }
  console.log('done.');
}

function ms(nanoseconds: bigint): string {
  return `${(Number(nanoseconds) / 1e6).toFixed(1)} ms`;
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
