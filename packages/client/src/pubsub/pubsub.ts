import { ConnectionClosedError } from '@fusedis/pool';
import { type Command, InvalidArgumentError } from '@fusedis/resp';
import type { ClientCore } from '../internal/client-core.js';
import { checkOptionsArgument, keysOf } from '../internal/option-checks.js';
import {
  COMMAND_OF,
  type MessageListener,
  type PubSubKind,
  type PubSubMessage,
  parseMessage,
  payloadAs,
  type RawMessage,
} from './message.js';
import { SubscriberConnection } from './subscriber-connection.js';
import { Subscription } from './subscription.js';

/** Options of `subscribe`, `psubscribe` and `ssubscribe`. */
export interface SubscribeOptions {
  /**
   * Payloads as Buffers. Exact bytes need the connection to decode pushes as Buffers too (a
   * client with `returnBuffers: true`); otherwise the UTF-8 text is turned back into bytes.
   * @default false
   */
  readonly buffers?: boolean;
  /**
   * Iterators only: messages that may wait for the loop; past it the subscription ends with a
   * `QueueFullError` (after the buffered messages) and unsubscribes. 0 = no limit. @default 0
   */
  readonly maxBuffered?: number;
}

const SUBSCRIBE_OPTION_KEYS = keysOf<SubscribeOptions>({ buffers: true, maxBuffered: true });
const SUBSCRIBE_METHOD: Readonly<Record<PubSubKind, string>> = {
  channel: 'subscribe',
  pattern: 'psubscribe',
  shard: 'ssubscribe',
};

/** Channel or pattern names: one, or several. */
export type ChannelNames = string | readonly string[];

/**
 * `subscribe`, `psubscribe` or `ssubscribe`: with a listener, resolves once the server
 * confirmed; without one, returns a {@link Subscription} to iterate with `for await`.
 */
export interface SubscribeFunction {
  (
    names: ChannelNames,
    listener: MessageListener<string>,
    options?: SubscribeOptions & { buffers?: false },
  ): Promise<void>;
  (
    names: ChannelNames,
    listener: MessageListener<Buffer>,
    options: SubscribeOptions & { buffers: true },
  ): Promise<void>;
  (names: ChannelNames, options?: SubscribeOptions & { buffers?: false }): Subscription<string>;
  (names: ChannelNames, options: SubscribeOptions & { buffers: true }): Subscription<Buffer>;
  /** ioredis's variadic form, `subscribe('a', 'b')`: the same as `subscribe(['a', 'b'])`. */
  (first: string, ...more: [string, ...string[]]): Subscription<string>;
}

/**
 * `unsubscribe`, `punsubscribe` or `sunsubscribe`: removes `listener` from the names (or every
 * listener and iterator, when none is given; every name, when none is given). The server is
 * told only about names left with no listener at all. Resolves once it confirmed.
 */
export interface UnsubscribeFunction {
  (names?: ChannelNames, listener?: MessageListener<never>): Promise<void>;
  /** ioredis's variadic form, `unsubscribe('a', 'b')`. */
  (first: string, ...more: [string, ...string[]]): Promise<void>;
}

/** Options of {@link createPubSub}. */
export interface PubSubOptions {
  /** Receives failures nobody awaits (a resubscribe the server refused after a reconnect). */
  readonly onError?: (err: Error) => void;
  /** Sees every message on a subscribed name, before its listeners (the client's events). */
  readonly onMessage?: (raw: RawMessage) => void;
}

interface Listener {
  readonly fn: MessageListener<never> | undefined;
  deliver(raw: RawMessage): void;
  /** This listener lost one of its names (unsubscribed, or the client closed). */
  removed(): void;
}

interface Entry {
  readonly listeners: Set<Listener>;
  /** Settles when the server confirmed the name (shared with later listeners of the same name). */
  confirmed: Promise<unknown>;
}

/**
 * The client's pub/sub: listeners and iterators per channel, pattern and shard channel, one
 * server subscription per name however many listeners it has, resubscribed after reconnects.
 *
 * Where the subscriptions live: on RESP3, the client's shared connection (messages arrive as
 * pushes, and the connection keeps serving commands); on RESP2, a connection of their own,
 * opened on first subscribe and reopened when lost. Channels never get the key prefix (ioredis).
 */
export class PubSub {
  readonly #core: ClientCore;
  readonly #onError: ((err: Error) => void) | undefined;
  readonly #onMessage: ((raw: RawMessage) => void) | undefined;
  readonly #registry: Record<PubSubKind, Map<string, Entry>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  #mode: 'shared' | 'dedicated' | undefined;
  #deciding: Promise<'shared' | 'dedicated'> | undefined;
  #dedicated: SubscriberConnection | undefined;
  #offPush: (() => void) | undefined;
  #offReady: (() => void) | undefined;
  #closed = false;

  constructor(core: ClientCore, options: PubSubOptions = {}) {
    this.#core = core;
    this.#onError = options.onError;
    this.#onMessage = options.onMessage;
  }

  /** Subscribes to channels (`SUBSCRIBE`). */
  readonly subscribe: SubscribeFunction = ((names: ChannelNames, ...rest: unknown[]) =>
    this.#subscribe('channel', names, rest)) as SubscribeFunction;
  /** Subscribes to glob patterns (`PSUBSCRIBE`); listeners get the matching channel and the pattern. */
  readonly psubscribe: SubscribeFunction = ((names: ChannelNames, ...rest: unknown[]) =>
    this.#subscribe('pattern', names, rest)) as SubscribeFunction;
  /** Subscribes to shard channels (`SSUBSCRIBE`, Redis 7+). */
  readonly ssubscribe: SubscribeFunction = ((names: ChannelNames, ...rest: unknown[]) =>
    this.#subscribe('shard', names, rest)) as SubscribeFunction;
  /** Unsubscribes from channels. */
  readonly unsubscribe: UnsubscribeFunction = ((names?: ChannelNames, ...rest: unknown[]) =>
    this.#unsubscribeCall('channel', names, rest)) as UnsubscribeFunction;
  /** Unsubscribes from patterns. */
  readonly punsubscribe: UnsubscribeFunction = ((names?: ChannelNames, ...rest: unknown[]) =>
    this.#unsubscribeCall('pattern', names, rest)) as UnsubscribeFunction;
  /** Unsubscribes from shard channels. */
  readonly sunsubscribe: UnsubscribeFunction = ((names?: ChannelNames, ...rest: unknown[]) =>
    this.#unsubscribeCall('shard', names, rest)) as UnsubscribeFunction;

  /** Names currently subscribed, per kind. */
  subscriptions(): { channels: string[]; patterns: string[]; shardChannels: string[] } {
    return {
      channels: [...this.#registry.channel.keys()],
      patterns: [...this.#registry.pattern.keys()],
      shardChannels: [...this.#registry.shard.keys()],
    };
  }

  /**
   * Forgets every subscription (iterators end, nothing is sent to the server) and closes the
   * RESP2 subscriber connection. For the client's `quit()`/`disconnect()`. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#offPush?.();
    this.#offReady?.();
    for (const map of Object.values(this.#registry)) {
      for (const entry of map.values()) for (const listener of entry.listeners) listener.removed();
      map.clear();
    }
    await this.#dedicated?.close();
  }

  #subscribe(kind: PubSubKind, first: ChannelNames, rest: unknown[]): Promise<void> | Subscription<unknown> {
    const names = typeof rest[0] === 'string' ? variadicNames(first, rest) : first;
    const a = names === first ? rest[0] : undefined;
    const b = names === first ? rest[1] : undefined;
    if (typeof a === 'function') {
      let list: string[];
      try {
        list = normalize(names);
      } catch (err) {
        return Promise.reject(err); // the promise-returning form never throws
      }
      const fn = a as MessageListener<string | Buffer>;
      try {
        checkOptionsArgument(SUBSCRIBE_METHOD[kind], b, SUBSCRIBE_OPTION_KEYS);
      } catch (err) {
        return Promise.reject(err);
      }
      const buffers = (b as SubscribeOptions | undefined)?.buffers === true;
      const listener: Listener = {
        fn: fn as MessageListener<never>,
        deliver: (raw) => fn(payloadAs(raw.payload, buffers), raw.channel, raw.pattern),
        removed: () => {},
      };
      return this.#register(kind, list, listener).then(() => {});
    }
    const list = normalize(names);
    if (a !== undefined && (typeof a !== 'object' || a === null)) {
      throw new InvalidArgumentError(`the second argument is a listener or options, not ${typeof a}`);
    }
    checkOptionsArgument(SUBSCRIBE_METHOD[kind], a, SUBSCRIBE_OPTION_KEYS);
    const buffers = (a as SubscribeOptions | undefined)?.buffers === true;
    const maxBuffered = (a as SubscribeOptions | undefined)?.maxBuffered ?? 0;
    if (!Number.isInteger(maxBuffered) || maxBuffered < 0) {
      throw new InvalidArgumentError(
        `maxBuffered must be a non-negative integer, not ${String(maxBuffered)}`,
      );
    }
    let remaining = list.length;
    // Weakly held: a Subscription nobody keeps (ioredis's `await client.subscribe('ch')`, heard
    // through the client's `message` events) is collected with what it buffered; its names stay
    // subscribed until `unsubscribe`, as in ioredis.
    let held: WeakRef<Subscription<unknown>> | undefined;
    const listener: Listener = {
      fn: undefined,
      deliver: (raw) => held?.deref()?.push(toMessage(raw, buffers)),
      removed: () => {
        if (--remaining === 0) held?.deref()?.end();
      },
    };
    const subscription = new Subscription(
      this.#register(kind, list, listener),
      () => this.#detach(kind, list, listener),
      maxBuffered,
    );
    held = new WeakRef(subscription);
    return subscription;
  }

  async #register(kind: PubSubKind, list: readonly string[], listener: Listener): Promise<void> {
    if (this.#closed) throw new ConnectionClosedError('the client is closed', false);
    const map = this.#registry[kind];
    const waits: Promise<unknown>[] = [];
    const fresh: Entry[] = [];
    const freshNames: string[] = [];
    for (const name of list) {
      const entry = map.get(name);
      if (entry !== undefined) {
        entry.listeners.add(listener);
        waits.push(entry.confirmed);
      } else {
        const created: Entry = { listeners: new Set([listener]), confirmed: Promise.resolve() };
        map.set(name, created);
        fresh.push(created);
        freshNames.push(name);
      }
    }
    if (fresh.length > 0) {
      const sent = this.#send({ args: [COMMAND_OF[kind].subscribe, ...freshNames], idempotent: true });
      for (const entry of fresh) entry.confirmed = sent;
      waits.push(sent);
    }
    try {
      await Promise.all(waits);
    } catch (err) {
      // A refused subscribe leaves nothing registered (and nothing to resubscribe later).
      this.#removeListener(kind, list, listener);
      throw err;
    }
  }

  /** Removes `listener` from `list`; tells the server about names left with no listener. */
  async #detach(kind: PubSubKind, list: readonly string[], listener: Listener): Promise<void> {
    const emptied = this.#removeListener(kind, list, listener);
    await this.#sendUnsubscribe(kind, emptied);
  }

  #unsubscribeCall(kind: PubSubKind, first: ChannelNames | undefined, rest: unknown[]): Promise<void> {
    if (typeof rest[0] !== 'string')
      return this.#unsubscribe(kind, first, rest[0] as MessageListener<never> | undefined);
    try {
      return this.#unsubscribe(kind, variadicNames(first, rest), undefined);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async #unsubscribe(
    kind: PubSubKind,
    names: ChannelNames | undefined,
    fn: MessageListener<never> | undefined,
  ) {
    const map = this.#registry[kind];
    const list = names === undefined ? [...map.keys()] : normalize(names);
    const emptied: string[] = [];
    for (const name of list) {
      const entry = map.get(name);
      if (entry === undefined) continue;
      for (const listener of entry.listeners) {
        if (fn !== undefined && listener.fn !== fn) continue;
        entry.listeners.delete(listener);
        listener.removed();
      }
      if (entry.listeners.size === 0) {
        map.delete(name);
        emptied.push(name);
      }
    }
    await this.#sendUnsubscribe(kind, emptied);
  }

  #removeListener(kind: PubSubKind, list: readonly string[], listener: Listener): string[] {
    const map = this.#registry[kind];
    const emptied: string[] = [];
    for (const name of list) {
      const entry = map.get(name);
      if (entry === undefined || !entry.listeners.delete(listener)) continue;
      if (entry.listeners.size === 0) {
        map.delete(name);
        emptied.push(name);
      }
    }
    return emptied;
  }

  async #sendUnsubscribe(kind: PubSubKind, names: readonly string[]): Promise<void> {
    if (names.length === 0 || this.#closed || this.#mode === undefined) return;
    try {
      await this.#send({ args: [COMMAND_OF[kind].unsubscribe, ...names], idempotent: true });
    } catch (err) {
      // The connection is gone, and with it the subscription; nothing will resubscribe it.
      if (!(err instanceof ConnectionClosedError)) throw err;
    }
  }

  async #send(cmd: Command): Promise<unknown> {
    const mode = this.#mode ?? (await this.#decide());
    if (mode === 'shared') return this.#core.send(cmd);
    return (this.#dedicated as SubscriberConnection).send(cmd);
  }

  /**
   * RESP3 or RESP2? Known once the shared connection is up (a `PING` brings it up when needed),
   * and decided once: pushes on the shared connection, or a connection of their own.
   */
  #decide(): Promise<'shared' | 'dedicated'> {
    this.#deciding ??= (async () => {
      if (this.#core.protocol === 3) await this.#core.send({ args: ['PING'] });
      if (this.#closed) throw new ConnectionClosedError('the client is closed', false);
      if (this.#core.protocol === 3) {
        this.#offPush = this.#core.onPush(this.#onPush);
        this.#offReady = this.#core.onReady(this.#resubscribe);
        this.#mode = 'shared';
      } else {
        this.#dedicated = new SubscriberConnection(this.#core, this.#onPush, this.#resubscribe, () =>
          this.#hasSubscriptions(),
        );
        this.#mode = 'dedicated';
      }
      return this.#mode;
    })();
    const deciding = this.#deciding;
    // A failed PING (server down) is not a decision: the next subscribe asks again.
    deciding.catch(() => {
      if (this.#deciding === deciding) this.#deciding = undefined;
    });
    return deciding;
  }

  readonly #onPush = (push: unknown[]): void => {
    const raw = parseMessage(push);
    if (raw === undefined) return;
    const entry = this.#registry[raw.kind].get(raw.name);
    if (entry === undefined) return;
    if (this.#onMessage !== undefined) deliverTo(this.#onMessage, raw);
    for (const listener of entry.listeners) deliverTo(listener.deliver, raw);
  };

  /** After a reconnect: every name again, one command per kind. */
  readonly #resubscribe = (): void => {
    if (this.#closed) return;
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      const names = [...this.#registry[kind].keys()];
      if (names.length === 0) continue;
      this.#send({ args: [COMMAND_OF[kind].subscribe, ...names], idempotent: true }).catch((err: unknown) => {
        // Lost again: the next reconnect resubscribes. Anything else is worth telling.
        if (!(err instanceof ConnectionClosedError))
          this.#onError?.(err instanceof Error ? err : new Error(String(err)));
      });
    }
  };

  #hasSubscriptions(): boolean {
    return this.#registry.channel.size + this.#registry.pattern.size + this.#registry.shard.size > 0;
  }
}

/** Hands `raw` to `deliver`; a listener's bug must not stop the others, nor be lost. */
function deliverTo(deliver: (raw: RawMessage) => void, raw: RawMessage): void {
  try {
    deliver(raw);
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}

function normalize(names: ChannelNames): string[] {
  if (typeof names !== 'string' && !Array.isArray(names)) {
    throw new InvalidArgumentError(
      `channel and pattern names are a string or an array of strings, not ${names === null ? 'null' : typeof names}`,
    );
  }
  const list = typeof names === 'string' ? [names] : [...new Set(names)];
  if (list.length === 0) throw new InvalidArgumentError('name at least one channel or pattern');
  for (const name of list) {
    if (typeof name !== 'string') throw new InvalidArgumentError('channel and pattern names are strings');
  }
  return list;
}

function toMessage(raw: RawMessage, buffers: boolean): PubSubMessage<unknown> {
  const message = payloadAs(raw.payload, buffers);
  return raw.pattern === undefined
    ? { channel: raw.channel, message }
    : { channel: raw.channel, message, pattern: raw.pattern };
}

/** Makes the client's {@link PubSub} over `core` (one per client). */
export function createPubSub(core: ClientCore, options?: PubSubOptions): PubSub {
  return new PubSub(core, options);
}

/**
 * ioredis's variadic names, `subscribe('a', 'b')`: every argument a name. A function or options
 * after them are refused: ioredis's trailing function is a completion callback, which here would
 * be taken for a message listener.
 */
function variadicNames(first: ChannelNames | undefined, rest: readonly unknown[]): string[] {
  if (typeof first !== 'string' || !rest.every((name) => typeof name === 'string')) {
    throw new InvalidArgumentError(
      "several names are all strings (ioredis style) or an array; a listener or options follow one name or an array, and ioredis's completion callback is not taken: await .ready instead",
    );
  }
  return [first, ...(rest as string[])];
}
