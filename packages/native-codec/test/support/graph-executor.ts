import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { CommandExecutor, SendOptions } from '@fusedis/graph';
import { type CommandArg, createJsDecoder, encodeCommand, frameLength, ReplyError } from '@fusedis/resp';

/**
 * TEST SUPPORT ONLY: a graph `CommandExecutor` over one socket, one command at a time. It hands
 * back a reply's frame bytes when asked (`SendOptions.raw`, what makes `Graph` use its wire
 * decoder), the reply decoded by resp's JS decoder otherwise. `protocol: 3` sends `HELLO 3` first.
 */
export class GraphTestExecutor implements CommandExecutor {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiting: ((frame: Buffer) => void) | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#drain();
    });
  }

  static async open(port: number, protocol: 2 | 3 = 2): Promise<GraphTestExecutor> {
    const socket = connect({ port, host: '127.0.0.1' });
    await once(socket, 'connect');
    const executor = new GraphTestExecutor(socket);
    if (protocol === 3) await executor.sendCommand(['HELLO', '3']);
    return executor;
  }

  #drain(): void {
    const n = frameLength(this.#buffer);
    if (n < 0 || this.#waiting === undefined) return;
    const frame = Buffer.from(this.#buffer.subarray(0, n));
    this.#buffer = this.#buffer.subarray(n);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting(frame);
  }

  sendCommand(args: readonly CommandArg[], options?: SendOptions): Promise<unknown> {
    const run = this.#chain.then(async () => {
      const frame = await new Promise<Buffer>((resolve) => {
        this.#waiting = resolve;
        this.#socket.write(encodeCommand(args));
        this.#drain();
      });
      if (options?.raw === true) return frame;
      let reply: unknown;
      createJsDecoder({ reply: (v) => (reply = v), push: () => {}, error: (e) => (reply = e) }).feed(frame);
      if (reply instanceof ReplyError || reply instanceof Error) throw reply;
      return reply;
    });
    this.#chain = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    this.#socket.end();
    if (!this.#socket.closed) await once(this.#socket, 'close');
  }
}
