import type { ConnectionOptions } from './connection-options.js';
import { InvalidOptionError } from './errors.js';

/**
 * The keys of `T`, every one of them, as a set: the compiler refuses a missing or an extra key,
 * so the set cannot fall behind the options type.
 */
export function keysOf<T>(keys: { readonly [K in keyof Required<T>]: true }): ReadonlySet<string> {
  return new Set(Object.keys(keys));
}

/**
 * Throws `InvalidOptionError` (`<where>: unknown option <name>`) for the first own key of
 * `options` not in `known`: a typo (`comandTimeout`) must not pass as the default. A key whose
 * value is `undefined` counts as given (a typo is a typo); symbol keys are not looked at.
 * `parent` names a nested object in the message: `ClusterRouter: unknown option pool.mx`.
 */
export function checkOptionKeys(
  options: object,
  known: ReadonlySet<string>,
  where: string,
  parent?: string,
): void {
  for (const key of Object.keys(options)) {
    if (known.has(key)) continue;
    const meant = closest(key, known);
    throw new InvalidOptionError(
      `${where}: unknown option ${parent === undefined ? '' : `${parent}.`}${key} ${meant === undefined ? `(known: ${[...known].join(', ')})` : `(did you mean ${meant}?)`}`,
    );
  }
}

/** Every key of {@link ConnectionOptions}, `transport` included. */
export const CONNECTION_OPTION_KEYS: ReadonlySet<string> = keysOf<ConnectionOptions>({
  transport: true,
  decoder: true,
  decodeOptions: true,
  pushStringMode: true,
  protocol: true,
  username: true,
  password: true,
  db: true,
  clientName: true,
  libName: true,
  libVersion: true,
  connectTimeout: true,
  readyCheck: true,
  commandTimeout: true,
  autoPipeline: true,
  maxInFlight: true,
  onPush: true,
  onUnsettled: true,
});

/** The known key nearest to `key` (case ignored): at most 2 edits, and fewer than its length. */
function closest(key: string, known: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bound = Math.min(3, key.length); // a candidate must be strictly nearer than this
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bound) {
      best = candidate;
      bound = d;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + cost);
    }
    row = next;
  }
  return row[b.length] as number;
}
