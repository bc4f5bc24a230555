import type { StringMode } from '@fusedis/resp';

/** A `returnBuffers` option as the decoder's string mode; `undefined` keeps the default. */
export function stringModeOf(returnBuffers: boolean | undefined): StringMode | undefined {
  return returnBuffers === undefined ? undefined : returnBuffers ? 'buffer' : 'utf8';
}
