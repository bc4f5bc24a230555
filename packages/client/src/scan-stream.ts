import { Readable } from 'node:stream';
import type { CommandArg } from '@fusedis/resp';
import type { ClientCore } from './internal/client-core.js';
import {
  collectionBatches,
  type ScanBaseOptions,
  type ScanIteratorOptions,
  scanBatches,
} from './scan-iterator.js';

/**
 * ioredis's `scanStream()`: a Readable in object mode whose chunks are the keys of one `SCAN`
 * step each (an array, possibly empty), ending after the last step. With a key prefix, `match`
 * gets the prefix and the keys come without it, as with `scanIterator`. Destroying the stream
 * stops the scan; a failed step is its `error`.
 */
export function scanStream(core: ClientCore, options?: ScanIteratorOptions): Readable {
  return Readable.from(scanBatches(core, options), { objectMode: true });
}

/**
 * ioredis's `hscanStream()`, `sscanStream()`, `zscanStream()`: each chunk is one step's flat
 * array as the server sends it — `[field, value, …]`, `[member, …]`, `[member, score, …]`.
 */
export function collectionStream(
  core: ClientCore,
  command: 'HSCAN' | 'SSCAN' | 'ZSCAN',
  key: CommandArg,
  options?: ScanBaseOptions,
): Readable {
  return Readable.from(collectionBatches(core, command, key, options), { objectMode: true });
}
