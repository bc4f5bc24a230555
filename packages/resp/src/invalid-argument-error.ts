import { brandErrorClass, FusedisError } from './fusedis-error.js';

/** A command argument or option of the wrong type or value; thrown before anything is sent. */
export class InvalidArgumentError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.InvalidArgumentError');

  constructor(message: string, options?: ErrorOptions) {
    super(message, 'ERR_INVALID_ARGUMENT', options);
  }
}
brandErrorClass(InvalidArgumentError, 'InvalidArgumentError');
