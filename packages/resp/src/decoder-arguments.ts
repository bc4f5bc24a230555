import type { ReplySink } from './decoder-contract.js';
import { InvalidArgumentError } from './invalid-argument-error.js';

/**
 * Refuses a sink without a `reply` function: a decoder made with one would fail at its first
 * reply, far from the mistake. For `DecoderFactory` implementations (the JS and native decoders
 * call it), so every decoder refuses the same way.
 */
export function checkReplySink(sink: unknown): asserts sink is ReplySink {
  if (typeof sink !== 'object' || sink === null || typeof (sink as ReplySink).reply !== 'function') {
    throw new InvalidArgumentError('a decoder needs a sink: { reply(value), push(value), error(err) }');
  }
}

/**
 * Refuses a chunk that is not bytes (a string, `undefined`): `feed` takes a `Uint8Array` (a
 * `Buffer`). Any typed-array view passes, from any realm; its bytes are what is read.
 */
export function checkChunk(chunk: unknown): asserts chunk is Uint8Array {
  if (!ArrayBuffer.isView(chunk)) {
    throw new InvalidArgumentError(
      `feed() takes a Uint8Array (a Buffer), not ${chunk === null ? 'null' : typeof chunk}`,
    );
  }
}
