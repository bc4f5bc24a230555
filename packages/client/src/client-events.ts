/** The events a client emits, and their arguments. */
export interface ClientEvents {
  /** A connection (transport + handshake) is up. Followed by `ready`. */
  connect: [];
  /** The client can serve commands (first connect and every reconnect); the offline queue flushes. */
  ready: [];
  /** A connection attempt or a live connection failed. Never thrown when nobody listens. */
  error: [err: Error];
  /** The shared connection closed (`err`: why, when it was not asked for). */
  close: [err?: Error];
  /** A reconnect attempt is scheduled in `delay` ms. */
  reconnecting: [info: { readonly attempt: number; readonly delay: number }];
  /** The client is closed for good: `quit()`, `disconnect()`, or `retryStrategy` gave up. */
  end: [];
  /** A message on a subscribed channel (ioredis's event; however the channel was subscribed). */
  message: [channel: string, message: string];
  /** `message`, every argument a Buffer. */
  messageBuffer: [channel: Buffer, message: Buffer];
  /** A message on a channel matching a subscribed pattern. */
  pmessage: [pattern: string, channel: string, message: string];
  /** `pmessage`, every argument a Buffer. */
  pmessageBuffer: [pattern: Buffer, channel: Buffer, message: Buffer];
  /** A message on a subscribed shard channel (`SSUBSCRIBE`). */
  smessage: [channel: string, message: string];
  /** `smessage`, every argument a Buffer. */
  smessageBuffer: [channel: Buffer, message: Buffer];
}

/** A listener of event `E`. */
export type ClientListener<E extends keyof ClientEvents> = (...args: ClientEvents[E]) => void;

type AnyListener = (...args: never[]) => void;

/**
 * A small typed emitter. Unlike Node's EventEmitter, an `error` with no listener is not thrown:
 * a library must not crash a process over a reconnect it will retry; commands still reject.
 */
export class ClientEmitter {
  readonly #listeners = new Map<keyof ClientEvents, AnyListener[]>();

  on<E extends keyof ClientEvents>(event: E, listener: ClientListener<E>): void {
    const list = this.#listeners.get(event);
    if (list === undefined) this.#listeners.set(event, [listener as AnyListener]);
    else list.push(listener as AnyListener);
  }

  once<E extends keyof ClientEvents>(event: E, listener: ClientListener<E>): void {
    const wrapper = (...args: ClientEvents[E]): void => {
      this.off(event, wrapper);
      listener(...args);
    };
    (wrapper as { listener?: unknown }).listener = listener;
    this.on(event, wrapper);
  }

  off<E extends keyof ClientEvents>(event: E, listener: ClientListener<E>): void {
    const list = this.#listeners.get(event);
    if (list === undefined) return;
    const at = list.findIndex((l) => l === listener || (l as { listener?: unknown }).listener === listener);
    if (at !== -1) list.splice(at, 1);
  }

  listenerCount(event: keyof ClientEvents): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  emit<E extends keyof ClientEvents>(event: E, ...args: ClientEvents[E]): void {
    const list = this.#listeners.get(event);
    if (list === undefined || list.length === 0) return;
    for (const listener of [...list]) {
      try {
        (listener as (...a: ClientEvents[E]) => void)(...args);
      } catch (err) {
        // A listener's bug surfaces as an uncaught error, without breaking the client's state.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
