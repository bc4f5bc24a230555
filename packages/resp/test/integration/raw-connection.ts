import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import {
  createJsDecoder,
  type DecodeOptionsInput,
  type ReplyDecoder,
  type ReplySink,
  type RespProtocolError,
  type StringMode,
} from '@fusedis/resp';
import type { ServerEndpoint } from '@fusedis/test-harness';
import { inject } from 'vitest';

/** Everything a decoder hands its sink, in the order it did. */
export type DecodedEvent =
  | { readonly kind: 'reply'; readonly value: unknown }
  | { readonly kind: 'push'; readonly value: unknown[] }
  | { readonly kind: 'attribute'; readonly value: unknown }
  | { readonly kind: 'error'; readonly value: RespProtocolError };

/** A sink that records every event, optionally choosing a string mode per top-level reply. */
export function recordingSink(events: DecodedEvent[], stringModes?: StringMode[]): ReplySink {
  const sink: ReplySink = {
    reply: (value) => events.push({ kind: 'reply', value }),
    push: (value) => events.push({ kind: 'push', value }),
    error: (value) => events.push({ kind: 'error', value }),
    attribute: (value) => events.push({ kind: 'attribute', value }),
  };
  if (stringModes !== undefined) sink.stringMode = () => stringModes.shift() ?? 'utf8';
  return sink;
}

/** Decodes `chunks` with a fresh JS decoder and returns what it emitted. */
export function decodeEvents(chunks: Iterable<Uint8Array>, options?: DecodeOptionsInput): DecodedEvent[] {
  const events: DecodedEvent[] = [];
  const decoder = createJsDecoder(recordingSink(events), options);
  for (const chunk of chunks) decoder.feed(chunk);
  return events;
}

/** `bytes` as one chunk per byte: the worst chunking TCP could deliver. */
export function byteByByte(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
  return chunks;
}

/** The standalone server the harness's global setup started for this project. */
export function standalone(): ServerEndpoint {
  return inject('servers').standalone;
}

/** Options for {@link RawConnection.open}. */
export interface RawConnectionOptions {
  /** Options for the connection's JS decoder. */
  readonly decode?: DecodeOptionsInput;
  /** When given, the sink answers `stringMode()` from this queue, one entry per top-level reply ('utf8' once empty). */
  readonly stringModes?: StringMode[];
}

/**
 * A plain TCP socket to the test server, with no client in between: tests write bytes from
 * `encodeCommand`/`encodePipeline` and read what `createJsDecoder` makes of the server's replies.
 * It keeps every received byte, so a test can decode the same bytes again in other chunkings.
 */
export class RawConnection {
  /** Every event the decoder emitted since open (or the last `clear()`). */
  readonly events: DecodedEvent[] = [];
  /** Number of `socket.write` calls made, so tests can prove a pipeline went out in one write. */
  writes = 0;
  readonly #socket: Socket;
  readonly #decoder: ReplyDecoder;
  #received: Buffer[] = [];
  #waiter: (() => void) | undefined;
  #closed: Error | undefined;

  private constructor(socket: Socket, options: RawConnectionOptions) {
    this.#socket = socket;
    this.#decoder = createJsDecoder(recordingSink(this.events, options.stringModes), options.decode);
    socket.on('data', (chunk: Buffer) => {
      this.#received.push(chunk);
      this.#decoder.feed(chunk);
      this.#waiter?.();
    });
    socket.on('error', (err) => {
      this.#closed ??= err;
      this.#waiter?.();
    });
    socket.on('close', () => {
      this.#closed ??= new Error('the server closed the connection');
      this.#waiter?.();
    });
  }

  /** Connects to the harness's standalone server. */
  static open(options: RawConnectionOptions = {}): Promise<RawConnection> {
    const { host, port } = standalone();
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket, options));
      });
    });
  }

  /** Writes `bytes` with exactly one `socket.write`. */
  write(bytes: Uint8Array): void {
    this.writes++;
    this.#socket.write(bytes);
  }

  /** Resolves once at least `count` events have been recorded in total; rejects if the socket closes first. */
  async waitForEvents(count: number, timeoutMs = 30_000): Promise<DecodedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (this.#closed !== undefined) throw this.#closed;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out with ${this.events.length} of ${count} events after ${this.receivedBytes()} bytes`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = undefined;
    }
    return this.events;
  }

  /**
   * Writes `bytes` (one write) and resolves with the values of the next `replies` replies.
   * Fails if anything else (a push, a protocol error) arrives in between, so tests see surprises.
   */
  async request(bytes: Uint8Array, replies = 1): Promise<unknown[]> {
    const start = this.events.length;
    this.write(bytes);
    const events = (await this.waitForEvents(start + replies)).slice(start);
    const unexpected = events.find((event) => event.kind !== 'reply');
    if (unexpected !== undefined) throw new Error(`expected only replies, got a ${unexpected.kind} event`);
    return events.map((event) => event.value);
  }

  /** Every byte received since open (or the last `clear()`), in one buffer. */
  received(): Buffer {
    return Buffer.concat(this.#received);
  }

  /** Total bytes received since open (or the last `clear()`). */
  receivedBytes(): number {
    return this.#received.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** Forgets recorded events and bytes (after a set-up command, before the one under test). */
  clear(): void {
    this.events.length = 0;
    this.#received = [];
  }

  /** Closes the socket and waits until it is closed. */
  close(): Promise<void> {
    if (this.#socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }
}

/** A key no other test uses: test files run in parallel against one shared server. */
export function uniqueKey(name: string): string {
  return `fusedis:resp-it:${name}:${randomUUID()}`;
}
