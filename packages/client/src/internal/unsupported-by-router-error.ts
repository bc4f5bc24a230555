import { brandErrorClass, FusedisError } from '@fusedis/resp';

/**
 * The client's router cannot do what was asked: e.g. `multi()`/`watch()` on a custom router
 * without `withDedicated`, or pub/sub over RESP2 on a cluster or sentinel client.
 */
export class UnsupportedByRouterError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.UnsupportedByRouterError');

  constructor(what: string, options?: ErrorOptions) {
    super(`${what} is not supported by this client's router`, 'ERR_UNSUPPORTED_BY_ROUTER', options);
  }
}
brandErrorClass(UnsupportedByRouterError, 'UnsupportedByRouterError');
