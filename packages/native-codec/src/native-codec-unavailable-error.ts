import { brandErrorClass, FusedisError } from '@fusedis/resp';

/**
 * The native decoder could not be loaded: no local build and no platform package for this
 * machine, or the binary failed to load. `cause` holds each attempt's failure, chained.
 *
 * The brand (`Symbol.for('fusedis.error.NativeCodecUnavailableError')`) is the one
 * `@fusedis/client` uses for the same error, so `instanceof` works with either class.
 */
export class NativeCodecUnavailableError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.NativeCodecUnavailableError');

  constructor(message: string, options?: ErrorOptions) {
    super(message, 'ERR_NATIVE_CODEC_UNAVAILABLE', options);
  }
}
brandErrorClass(NativeCodecUnavailableError, 'NativeCodecUnavailableError');
