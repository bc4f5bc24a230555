/**
 * The raw-socket ceiling: a bare `net` socket that writes buffers encoded before timing and only
 * counts replies (RESP2, no HELLO), resolving each write's promise once its replies have arrived.
 * Writes issued in the same tick leave as one (cork, uncork on the next tick), as an
 * auto-pipelining client's do: without that, 50 users (b7) would pay a syscall per command and
 * the "ceiling" would sit below the clients that coalesce.
 */
import { connect, type Socket } from 'node:net';
import { ReplyCounter } from './reply-counter.js';

interface Waiter {
  left: number;
  readonly resolve: () => void;
}

/** A waiter for exactly one reply: the promise's own resolve function, no object around it. */
type OneReply = () => void;

// `new Promise(capture)` hands its resolve function over here: no closure per command in `sendEach`.
let captured: OneReply = () => {};
function capture(resolve: OneReply): void {
  captured = resolve;
}

export class RawConnection {
  readonly #socket: Socket;
  readonly #counter: ReplyCounter;
  /** FIFO: each write's remaining reply count; replies complete the head first. */
  readonly #waiters: (Waiter | OneReply | undefined)[] = [];
  #head = 0;
  #corked = false;
  readonly #uncork = (): void => {
    this.#corked = false;
    this.#socket.uncork();
  };

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.#counter = new ReplyCounter(() => this.#reply());
    socket.on('data', (chunk: Buffer) => this.#counter.feed(chunk));
  }

  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => {}); // the process ends on the pending promise instead
        resolve(new RawConnection(socket));
      });
    });
  }

  /** Error replies counted so far (a seeding or check failure, never expected). */
  get errors(): number {
    return this.#counter.errors;
  }

  /** Writes `bytes` (holding `replies` commands) and resolves when that many replies arrived. */
  send(bytes: Buffer, replies = 1): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push({ left: replies, resolve });
      this.#write(bytes);
    });
  }

  /**
   * Writes `bytes` (holding `replies` commands) and returns one promise per command, each resolved
   * when its own reply has arrived (the `raw-promises` floor).
   */
  sendEach(bytes: Buffer, replies: number): Promise<void>[] {
    const promises = new Array<Promise<void>>(replies);
    for (let i = 0; i < replies; i++) {
      promises[i] = new Promise<void>(capture);
      this.#waiters.push(captured);
    }
    this.#write(bytes);
    return promises;
  }

  #write(bytes: Buffer): void {
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(this.#uncork);
    }
    this.#socket.write(bytes);
  }

  #reply(): void {
    const w = this.#waiters[this.#head];
    if (w === undefined) throw new Error('a reply arrived with nothing waiting for it');
    if (typeof w !== 'function' && --w.left > 0) return;
    this.#waiters[this.#head++] = undefined;
    if (this.#head === this.#waiters.length) {
      this.#waiters.length = 0;
      this.#head = 0;
    }
    if (typeof w === 'function') w();
    else w.resolve();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#socket.end(() => resolve());
      this.#socket.once('close', () => resolve());
    });
  }
}
