import { InvalidArgumentError } from '@fusedis/resp';

const QUERY_OPTIONS: readonly string[] = ['params', 'timeout', 'rows', 'signal'];

/**
 * Refuses query options it does not know, naming the one meant: a typo (`{ parms }`,
 * `{ timout }`) would otherwise send the query without its parameters or its timeout. `known`:
 * the options the method takes (`explain` takes `params` and `signal` only).
 */
export function checkQueryOptions(method: string, options: unknown, known = QUERY_OPTIONS): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`${method}: options must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const meant = known.find((k) => k.toLowerCase() === key.toLowerCase());
    throw new InvalidArgumentError(
      `${method}: unknown option ${key} ${meant === undefined ? `(known: ${known.join(', ')})` : `(the option is ${meant})`}`,
    );
  }
}
