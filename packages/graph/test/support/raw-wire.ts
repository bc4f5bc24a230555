import { connect, type Socket } from 'node:net';
import { type CommandArg, encodeCommand, frameLength } from '@fusedis/resp';

/**
 * TEST SUPPORT ONLY: sends one command at a time on a raw socket and resolves with the exact bytes
 * of its reply (whole, as `frameLength` delimits it), to record fixtures and benchmark inputs.
 */
export class RawWire {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: { resolve(b: Buffer): void; reject(e: Error): void } | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#check();
    });
    socket.on('close', () => this.#waiting?.reject(new Error('socket closed')));
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawWire> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawWire(socket));
      });
    });
  }

  /** The reply's bytes. One command at a time. */
  request(args: readonly CommandArg[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(encodeCommand(args));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }

  #check(): void {
    const n = frameLength(this.#buffer);
    if (n === -1 || this.#waiting === undefined) return;
    const reply = Buffer.from(this.#buffer.subarray(0, n));
    this.#buffer = this.#buffer.subarray(n);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting.resolve(reply);
  }
}
