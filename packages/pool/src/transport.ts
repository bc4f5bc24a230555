import type { Duplex } from 'node:stream';
import { InvalidOptionError } from './errors.js';

/**
 * Opens byte streams to one server: the seam between a `Connection` and the network. The
 * built-in ones are `tcp()`, `tls()`, `unix()` and `duplex()` (any stream you make).
 */
export interface Transport {
  /** Where it connects, for messages and logs, e.g. `tcp://127.0.0.1:6379`. Never holds secrets. */
  readonly label: string;
  /**
   * Opens a new stream, ready to carry bytes (a TLS stream has finished its handshake).
   * Rejects with `signal.reason` when aborted, or a `ConnectionClosedError` (`written: false`,
   * the socket error as `cause`) when the server cannot be reached.
   */
  connect(signal?: AbortSignal): Promise<Duplex>;
}

/** Makes a stream for {@link duplex}; it may be asked to give up through `signal`. */
export type DuplexFactory = (signal?: AbortSignal) => Duplex | Promise<Duplex>;

/**
 * A transport over any stream you make: an in-process pair, a socket through a proxy, an SSH
 * channel. The stream must be ready to carry bytes when the factory returns it.
 *
 * @param factory Makes one stream per connection.
 * @param label Shown in messages. @default 'duplex'
 */
export function duplex(factory: DuplexFactory, label = 'duplex'): Transport {
  if (typeof factory !== 'function') throw new InvalidOptionError('duplex() needs a factory function');
  return {
    label,
    async connect(signal?: AbortSignal): Promise<Duplex> {
      signal?.throwIfAborted();
      const stream = await factory(signal);
      if (signal?.aborted) {
        stream.destroy();
        throw signal.reason;
      }
      return stream;
    },
  };
}
