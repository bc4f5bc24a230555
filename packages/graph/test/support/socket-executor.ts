import { connect, type Socket } from 'node:net';
import {
  type CommandArg,
  createJsDecoder,
  encodeCommand,
  encodePipeline,
  type ReplyDecoder,
  ReplyError,
  type StringMode,
} from '@fusedis/resp';
import type { CommandExecutor, SendOptions } from '../../src/index.js';
import { FrameSplitter } from './frame-splitter.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  readonly stringMode: StringMode;
  readonly raw: boolean;
  // Set when the caller aborted: the reply still arrives in its FIFO slot and is dropped.
  settled: boolean;
}

/**
 * TEST SUPPORT ONLY, not part of @fusedis/graph: the smallest {@link CommandExecutor} over one raw
 * TCP socket (`encodeCommand` out; replies cut into whole frames by {@link FrameSplitter}, then
 * decoded by `createJsDecoder`, or handed over as bytes when the command asked for `raw`; a FIFO
 * of pending commands), for the integration tests and the benchmark until `@fusedis/client` can
 * stand in. No reconnects, no timeouts. An abort rejects at once and drops the late reply.
 */
export class SocketExecutor implements CommandExecutor {
  readonly #socket: Socket;
  readonly #decoder: ReplyDecoder;
  readonly #splitter = new FrameSplitter();
  #decoded: unknown;
  readonly #pending: Pending[] = [];
  #head = 0;
  #closed: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.#decoder = createJsDecoder({
      reply: (value) => {
        this.#decoded = value;
      },
      push: () => {},
      error: (err) => this.#fail(err),
      stringMode: () => this.#pending[this.#head]?.stringMode ?? 'utf8',
    });
    const onFrame = (frame: Buffer) => this.#frame(frame);
    socket.on('data', (chunk: Buffer) => this.#splitter.feed(chunk, onFrame));
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('socket closed')));
  }

  /** Connects to `host:port`; resolves once the socket is open. */
  static open(port: number, host = '127.0.0.1'): Promise<SocketExecutor> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new SocketExecutor(socket));
      });
    });
  }

  sendCommand(args: readonly CommandArg[], options?: SendOptions): Promise<unknown> {
    return this.#enqueue(encodeCommand(args), 1, options)[0] as Promise<unknown>;
  }

  /** Writes several commands in one buffer; one promise per command, in order. */
  sendPipeline(commands: readonly (readonly CommandArg[])[], options?: SendOptions): Promise<unknown>[] {
    return this.#enqueue(encodePipeline(commands), commands.length, options);
  }

  /** Closes the socket; pending commands reject. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }

  #enqueue(bytes: Uint8Array, count: number, options: SendOptions | undefined): Promise<unknown>[] {
    const promises: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      promises.push(
        new Promise((resolve, reject) => {
          if (this.#closed !== undefined) return reject(this.#closed);
          const signal = options?.signal;
          if (signal?.aborted === true) return reject(signal.reason);
          const entry: Pending = {
            resolve,
            reject,
            stringMode: options?.stringMode ?? 'utf8',
            raw: options?.raw === true,
            settled: false,
          };
          if (signal !== undefined) {
            const onAbort = () => {
              if (entry.settled) return;
              entry.settled = true;
              reject(signal.reason);
            };
            signal.addEventListener('abort', onAbort, { once: true });
            entry.resolve = (v) => {
              signal.removeEventListener('abort', onAbort);
              resolve(v);
            };
            entry.reject = (e) => {
              signal.removeEventListener('abort', onAbort);
              reject(e);
            };
          }
          this.#pending.push(entry);
        }),
      );
    }
    if (this.#closed === undefined) this.#socket.write(bytes);
    return promises;
  }

  #frame(frame: Buffer): void {
    const entry = this.#pending[this.#head];
    // Error replies are decoded (to a ReplyError) even for raw commands.
    if (entry?.raw === true && frame[0] !== 0x2d && frame[0] !== 0x21) {
      this.#reply(frame);
      return;
    }
    this.#decoded = undefined;
    this.#decoder.feed(frame);
    if (this.#closed === undefined) this.#reply(this.#decoded);
  }

  #reply(value: unknown): void {
    const entry = this.#pending[this.#head];
    if (entry === undefined) return;
    this.#pending[this.#head++] = undefined as unknown as Pending;
    if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
      this.#pending.splice(0, this.#head);
      this.#head = 0;
    }
    if (entry.settled) return;
    entry.settled = true;
    if (value instanceof ReplyError) entry.reject(value);
    else entry.resolve(value);
  }

  #fail(err: Error): void {
    this.#closed ??= err;
    for (let i = this.#head; i < this.#pending.length; i++) {
      const entry = this.#pending[i];
      if (entry !== undefined && !entry.settled) {
        entry.settled = true;
        entry.reject(err);
      }
    }
    this.#pending.length = 0;
    this.#head = 0;
    this.#socket.destroy();
  }
}
