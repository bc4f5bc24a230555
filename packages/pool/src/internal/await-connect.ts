import type { Socket } from 'node:net';
import { ConnectionClosedError } from '../errors.js';

/**
 * Resolves with `socket` once `readyEvent` fires (`connect`, or `secureConnect` for TLS); on an
 * error or close first, destroys it and rejects with a `ConnectionClosedError` (written: false);
 * on abort, destroys it and rejects with `signal.reason`. Every listener is removed either way.
 */
export function awaitConnect<S extends Socket>(
  socket: S,
  readyEvent: 'connect' | 'secureConnect',
  label: string,
  signal: AbortSignal | undefined,
): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    const cleanup = (): void => {
      socket.off(readyEvent, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onReady = (): void => {
      cleanup();
      resolve(socket);
    };
    const onError = (err: Error): void => {
      cleanup();
      socket.destroy();
      reject(
        new ConnectionClosedError(`could not connect to ${label}: ${err.message}`, false, { cause: err }),
      );
    };
    const onClose = (): void => {
      cleanup();
      reject(new ConnectionClosedError(`${label} closed while connecting`, false));
    };
    const onAbort = (): void => {
      cleanup();
      socket.destroy();
      reject(signal?.reason);
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
