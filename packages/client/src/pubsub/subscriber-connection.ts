import { type Connection, ConnectionClosedError } from '@fusedis/pool';
import type { Command } from '@fusedis/resp';
import type { ClientCore } from '../internal/client-core.js';

/** First reopen delay after the subscriber connection was lost, in ms (doubling, with jitter). */
const FIRST_DELAY = 50;
/** Longest reopen delay, in ms. */
const MAX_DELAY = 2000;

/**
 * The RESP2 subscriber connection: a connection of its own (RESP2 subscriber mode takes a
 * connection over), opened on first use. When it is lost while something is subscribed, it is
 * reopened with jittered exponential backoff and `onReopen` resubscribes everything.
 */
export class SubscriberConnection {
  readonly #core: ClientCore;
  readonly #onPush: (push: unknown[]) => void;
  readonly #onReopen: () => void;
  readonly #wanted: () => boolean;
  #connection: Promise<Connection> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #closed = false;

  /**
   * @param onPush receives every message and confirmation of the connection
   * @param onReopen called after a lost connection was reopened (resubscribe there)
   * @param wanted whether anything is still subscribed (no reopen otherwise)
   */
  constructor(
    core: ClientCore,
    onPush: (push: unknown[]) => void,
    onReopen: () => void,
    wanted: () => boolean,
  ) {
    this.#core = core;
    this.#onPush = onPush;
    this.#onReopen = onReopen;
    this.#wanted = wanted;
  }

  /** The current connection, opened first when needed. */
  async send(cmd: Command): Promise<unknown> {
    const connection = await this.#open();
    return connection.send(cmd);
  }

  /** Stops reopening and closes the connection (gracefully: pending confirmations settle first). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#connection;
    this.#connection = undefined;
    if (pending === undefined) return;
    try {
      await (await pending).close();
    } catch {
      // It never opened: nothing to close.
    }
  }

  #open(): Promise<Connection> {
    if (this.#closed)
      return Promise.reject(new ConnectionClosedError('the subscriber connection is closed', false));
    if (this.#connection !== undefined) return this.#connection;
    const opening = this.#core.openConnection(this.#onPush).then((connection) => {
      if (this.#closed) {
        connection.destroy();
        throw new ConnectionClosedError('the subscriber connection is closed', false);
      }
      connection.on('close', () => this.#lost(opening));
      return connection;
    });
    this.#connection = opening;
    // A failed open is forgotten, so the next send (or reopen) tries again.
    opening.catch(() => {
      if (this.#connection === opening) this.#connection = undefined;
    });
    return opening;
  }

  #lost(which: Promise<Connection>): void {
    if (this.#connection === which) this.#connection = undefined;
    if (this.#closed || !this.#wanted()) return;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    const ceiling = Math.min(MAX_DELAY, FIRST_DELAY * 2 ** this.#attempt++);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#closed || !this.#wanted()) return;
      this.#open().then(
        () => {
          this.#attempt = 0;
          this.#onReopen();
        },
        () => this.#schedule(),
      );
    }, delay);
  }
}
