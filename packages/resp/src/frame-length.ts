import { FrameScanner } from './internal/frame-scanner.js';
import { InvalidArgumentError } from './invalid-argument-error.js';
import { type RespLimits, resolveLimits } from './limits.js';

/**
 * Byte length of the next whole reply in `buf` at `offset`, or -1 when the reply is not whole yet.
 * Bulk bodies are skipped, not read; no value is built. Throws `RespProtocolError` on a grammar or
 * limit violation (the same ones, with the same reasons, as the decoders).
 */
export function frameLength(buf: Uint8Array, offset = 0, limits?: Partial<RespLimits>): number {
  if (!ArrayBuffer.isView(buf)) throw new InvalidArgumentError('frameLength() takes a Uint8Array (a Buffer)');
  if (!Number.isInteger(offset) || offset < 0) {
    throw new InvalidArgumentError(
      `frameLength(): offset must be a non-negative integer, not ${String(offset)}`,
    );
  }
  const scanner = new FrameScanner(resolveLimits(limits));
  return scanner.scan(buf, offset, buf.length);
}
