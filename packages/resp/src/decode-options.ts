import type { DecodeOptions, DecodeOptionsInput } from './decoder-contract.js';
import { InvalidArgumentError } from './invalid-argument-error.js';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';

/** The defaults of every decode option. */
export const DEFAULT_DECODE_OPTIONS: DecodeOptions = Object.freeze({
  strings: 'utf8',
  maps: 'object',
  sets: 'array',
  integers: 'number',
  attributes: 'skip',
  limits: DEFAULT_LIMITS,
});

/** Fills in defaults for the options a caller left out (limits are merged field by field). */
export function resolveDecodeOptions(options?: DecodeOptionsInput): DecodeOptions {
  if (options === undefined) return DEFAULT_DECODE_OPTIONS;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('decode options must be an object');
  }
  return Object.freeze({
    ...DEFAULT_DECODE_OPTIONS,
    ...options,
    limits: resolveLimits(options.limits),
  });
}
