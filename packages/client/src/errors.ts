import { brandErrorClass, FusedisError } from '@fusedis/resp';

/**
 * `decoder: 'native'` (or `FUSEDIS_DECODER=native`) was asked for, but `@fusedis/native-codec`
 * could not be loaded on this machine. The load failure is `cause`. `decoder: 'auto'` never
 * throws this: it falls back to the JS decoder and says why in `client.decoderInfo`.
 */
export class NativeCodecUnavailableError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.NativeCodecUnavailableError');

  constructor(
    message = 'the native decoder (@fusedis/native-codec) is not available',
    options?: ErrorOptions,
  ) {
    super(message, 'ERR_NATIVE_CODEC_UNAVAILABLE', options);
  }
}
brandErrorClass(NativeCodecUnavailableError, 'NativeCodecUnavailableError');
