import { InvalidArgumentError } from '@fusedis/resp';

const QUERY_OPTIONS = ['params', 'timeout', 'rows', 'signal'];

/**
 * Refuses query options it does not know, naming the one meant: a typo (`{ parms }`,
 * `{ timout }`) would otherwise send the query without its parameters or its timeout.
 */
export function checkQueryOptions(method: string, options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`${method}: options must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (QUERY_OPTIONS.includes(key)) continue;
    const meant = QUERY_OPTIONS.find((k) => k.toLowerCase() === key.toLowerCase());
    throw new InvalidArgumentError(
      `${method}: unknown option ${key} ${meant === undefined ? `(known: ${QUERY_OPTIONS.join(', ')})` : `(the option is ${meant})`}`,
    );
  }
}
