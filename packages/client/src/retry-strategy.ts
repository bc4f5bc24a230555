import type { RetryStrategy } from './client-options.js';

/** Options for {@link exponentialBackoff}. */
export interface BackoffOptions {
  /** Delay before the first attempt, in ms (before jitter). @default 50 */
  readonly base?: number;
  /** Largest delay, in ms. @default 2_000 */
  readonly cap?: number;
  /** Give up after this many attempts; `Infinity` = never. @default Infinity */
  readonly maxAttempts?: number;
}

/**
 * A jittered exponential backoff: attempt n waits between half and all of
 * `min(cap, base × 2^(n-1))` ms, so many clients cut off together do not all come back at the
 * same instant. The default `retryStrategy` is `exponentialBackoff()`.
 */
export function exponentialBackoff(options: BackoffOptions = {}): RetryStrategy {
  const base = options.base ?? 50;
  const cap = options.cap ?? 2_000;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  return (attempt) => {
    if (attempt > maxAttempts) return null;
    const ceiling = Math.min(cap, base * 2 ** Math.min(attempt - 1, 30));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  };
}
