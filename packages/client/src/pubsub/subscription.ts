import { QueueFullError } from '@fusedis/pool';
import type { PubSubMessage } from './message.js';

/**
 * Subscriptions with a `next()` waiting. The client holds subscriptions weakly (one nobody keeps
 * is collected), but `await client.subscribe('ch').next()` keeps only the promise: this keeps
 * the subscription that will settle it.
 */
const awaited = new Set<Subscription<unknown>>();

interface Waiter<T> {
  resolve(result: IteratorResult<PubSubMessage<T>>): void;
  reject(err: unknown): void;
}

/**
 * What `subscribe(channels)` returns when given no listener: an async iterator of the messages
 * (`for await (const { channel, message } of client.subscribe('news'))`).
 *
 * Leaving the loop (`break`, `return`, an exception) calls `return()`, which unsubscribes the
 * channels this subscription alone was listening to. The iterator ends by itself when its
 * channels are unsubscribed elsewhere (`client.unsubscribe('news')`) or the client closes.
 *
 * Messages that arrive faster than the loop takes them wait in memory, in order; `buffered`
 * says how many. Past `maxBuffered` (an option of `subscribe`) the subscription gives up: it
 * unsubscribes, the loop gets the messages already buffered, then a `QueueFullError`.
 *
 * `await using sub = client.subscribe('news')` unsubscribes when the block ends.
 *
 * It is also awaitable, as ioredis's `subscribe` promise is: `await client.subscribe('news')`
 * waits for the server's confirmation (the same as awaiting `ready`), so a message published
 * by another client after it is heard.
 */
export class Subscription<T = string> implements AsyncIterableIterator<PubSubMessage<T>>, PromiseLike<void> {
  /**
   * Resolves once the server confirmed the subscription; rejects (and the iterator then throws)
   * when it refused it.
   */
  readonly ready: Promise<void>;
  readonly #unsubscribe: () => Promise<void>;
  readonly #maxBuffered: number;
  #queue: PubSubMessage<T>[] = [];
  #head = 0;
  #waiters: Waiter<T>[] = [];
  #done = false;
  #error: unknown;
  #returned: Promise<void> | undefined;

  /**
   * @internal Made by the client's pub/sub; `unsubscribe` undoes this subscription's registration;
   * `maxBuffered` 0 = no limit.
   */
  constructor(ready: Promise<void>, unsubscribe: () => Promise<void>, maxBuffered = 0) {
    this.#unsubscribe = unsubscribe;
    this.#maxBuffered = maxBuffered;
    this.ready = ready;
    // The failure reaches the user through `next()` as well: no unhandled rejection when only iterated.
    ready.catch((err: unknown) => this.end(err));
  }

  /**
   * `await client.subscribe('ch')` waits for the confirmation, as ioredis's does (resolving with
   * nothing rather than its count); rejects when the server refused. Keep the subscription
   * itself (`const sub = client.subscribe('ch')`) to iterate it.
   */
  // biome-ignore lint/suspicious/noThenProperty: awaitable on purpose, as ioredis's subscribe promise
  then<Fulfilled = void, Rejected = never>(
    // biome-ignore lint/suspicious/noConfusingVoidType: the signature of PromiseLike<void>, as `ready`'s
    onFulfilled?: ((value: void) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    return this.ready.then(onFulfilled, onRejected);
  }

  /** Messages received and not yet taken by `next()`. */
  get buffered(): number {
    return this.#queue.length - this.#head;
  }

  /** @internal A message arrived. */
  push(message: PubSubMessage<T>): void {
    if (this.#done) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      if (this.#waiters.length === 0) awaited.delete(this as Subscription<unknown>);
      waiter.resolve({ value: message, done: false });
    } else if (this.#maxBuffered === 0 || this.buffered < this.#maxBuffered) this.#queue.push(message);
    else this.#overflow();
  }

  /** Too far behind: stop listening, keep what is buffered, then throw. */
  #overflow(): void {
    const limit = this.#maxBuffered;
    this.end(
      new QueueFullError(`more than ${limit} messages waiting in a subscription: unsubscribed`, limit),
    );
    this.#returned ??= this.#unsubscribe().catch(() => {});
  }

  /** @internal No more messages will come: waiting `next()`s end (or throw `error`). */
  end(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    awaited.delete(this as Subscription<unknown>);
    // The error is thrown once: to the waiting next() calls, or else to the next one to come.
    this.#error = waiters.length === 0 ? error : undefined;
    for (const waiter of waiters) {
      if (error === undefined) waiter.resolve({ value: undefined, done: true });
      else waiter.reject(error);
    }
  }

  /** The next message; `done` once ended (messages already received are handed out first). */
  next(): Promise<IteratorResult<PubSubMessage<T>>> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head] as PubSubMessage<T>;
      this.#queue[this.#head++] = undefined as unknown as PubSubMessage<T>;
      // Compact now and then so a long-lived subscription does not keep a growing array.
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#done) {
      if (this.#error !== undefined) {
        const error = this.#error;
        this.#error = undefined; // thrown once; later calls just say done
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    awaited.add(this as Subscription<unknown>);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Unsubscribes (see the class notes) and ends the iterator; resolves once the server confirmed. */
  async return(): Promise<IteratorResult<PubSubMessage<T>>> {
    await this.unsubscribe();
    return { value: undefined, done: true };
  }

  /** Unsubscribes, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.unsubscribe();
  }

  /** Same as `return()`, for use outside a loop. Idempotent. */
  unsubscribe(): Promise<void> {
    this.#returned ??= (async () => {
      this.#queue = [];
      this.#head = 0;
      this.end();
      await this.#unsubscribe();
    })();
    return this.#returned;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
