import { connect, type Socket } from 'node:net';
import {
  type Command,
  type CommandArg,
  createJsDecoder,
  encodeCommand,
  type ReplyDecoder,
  ReplyError,
  type StringMode,
} from '@fusedis/resp';
import type { ServerEndpoint } from '@fusedis/test-harness';
import type { SpecArgs, SpecReply } from '../../src/command-spec.js';
import { COMMANDS, type Commands } from '../../src/commands/index.js';

/** Options for {@link openSpecRunner}. */
export interface SpecRunnerOptions {
  /** @default 3 */
  readonly protocol?: 2 | 3;
}

/**
 * Test support for the command tables: runs a spec's `build` → real server → `transform`, over a
 * bare socket with no client in between, so each command group can be tested end to end on its
 * own. The client's own integration tests run the same commands through `createClient`.
 */
export interface SpecRunner {
  /** Runs `COMMANDS[name]` with `args`, as the client would. A server error rejects as `ReplyError`. */
  run<K extends keyof Commands>(name: K, ...args: SpecArgs<Commands[K]>): Promise<SpecReply<Commands[K]>>;
  /** The same in buffer mode (strings in the reply as Buffers). */
  runBuffers<K extends keyof Commands>(
    name: K,
    ...args: SpecArgs<Commands[K]>
  ): Promise<SpecReply<Commands[K]>>;
  /** The command `run` would send, without sending it (for argument tests). */
  build<K extends keyof Commands>(name: K, ...args: SpecArgs<Commands[K]>): Command;
  /** Any raw command, reply untouched. */
  raw(...args: CommandArg[]): Promise<unknown>;
  readonly protocol: 2 | 3;
  close(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  mode: StringMode;
}

/** Opens a socket to `endpoint`, says `HELLO <protocol>`, and returns a {@link SpecRunner}. */
export async function openSpecRunner(
  endpoint: ServerEndpoint,
  options: SpecRunnerOptions = {},
): Promise<SpecRunner> {
  const protocol = options.protocol ?? 3;
  const socket: Socket = connect({ host: endpoint.host, port: endpoint.port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const pending: Pending[] = [];
  const decoder: ReplyDecoder = createJsDecoder({
    reply: (value) => {
      const next = pending.shift();
      if (next === undefined) return;
      if (value instanceof ReplyError) next.reject(value);
      else next.resolve(value);
    },
    push: () => {},
    error: (err) => {
      for (const p of pending.splice(0)) p.reject(err);
      socket.destroy(err);
    },
    stringMode: () => pending[0]?.mode ?? 'utf8',
  });
  socket.on('data', (chunk: Buffer) => decoder.feed(chunk));
  socket.on('close', () => {
    for (const p of pending.splice(0)) p.reject(new Error('socket closed'));
  });
  socket.on('error', () => {});

  const send = (cmd: Command, mode: StringMode): Promise<unknown> =>
    new Promise((resolve, reject) => {
      pending.push({ resolve, reject, mode });
      socket.write(encodeCommand(cmd.args));
    });

  const table = COMMANDS as Record<
    string,
    { build(...a: unknown[]): Command; transform?(r: unknown, c: unknown): unknown }
  >;
  const runIn = async (mode: StringMode, name: string, args: unknown[]): Promise<unknown> => {
    const spec = table[name];
    if (spec === undefined) throw new Error(`no command spec named ${name}`);
    const cmd = spec.build(...args);
    // Command specs ask for text or buffers, never for frames.
    const stringMode = (cmd.stringMode ?? mode) as StringMode;
    const reply = await send(cmd, stringMode);
    return spec.transform === undefined ? reply : spec.transform(reply, { protocol, stringMode });
  };

  await send({ args: ['HELLO', protocol] }, 'utf8');
  return {
    protocol,
    run: ((name: string, ...args: unknown[]) => runIn('utf8', name, args)) as SpecRunner['run'],
    runBuffers: ((name: string, ...args: unknown[]) =>
      runIn('buffer', name, args)) as SpecRunner['runBuffers'],
    build: ((name: string, ...args: unknown[]) => {
      const spec = table[name];
      if (spec === undefined) throw new Error(`no command spec named ${name}`);
      return spec.build(...args);
    }) as SpecRunner['build'],
    raw: (...args) => send({ args }, 'utf8'),
    close: async () => {
      socket.end();
      await new Promise<void>((resolve) => {
        if (socket.closed) resolve();
        else socket.once('close', () => resolve());
      });
    },
  };
}
