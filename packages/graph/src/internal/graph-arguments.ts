import { InvalidArgumentError } from '@fusedis/resp';
import { checkQueryOptions } from './query-options.js';

const GRAPH_OPTIONS: readonly string[] = ['wireDecoder'];

/**
 * `new Graph(executor, name, options)`'s arguments, checked at once: a misspelt option
 * (`{ wireDecodr }`) would otherwise leave the default decoder in place without a word, and a
 * wrong executor or name would surface only at the first query, as some other error.
 */
export function checkGraphArguments(executor: unknown, name: unknown, options: unknown): void {
  const send = (executor as { sendCommand?: unknown } | null | undefined)?.sendCommand;
  if (typeof send !== 'function') {
    throw new InvalidArgumentError(
      'Graph: the executor must have a sendCommand(args, options) method (a fusedis client has one)',
    );
  }
  if (typeof name !== 'string') {
    throw new InvalidArgumentError(`Graph: the graph name must be a string, not ${typeof name}`);
  }
  checkQueryOptions('Graph', options, GRAPH_OPTIONS);
  const wireDecoder = (options as { wireDecoder?: unknown } | undefined)?.wireDecoder;
  if (wireDecoder !== undefined && typeof wireDecoder !== 'function') {
    throw new InvalidArgumentError(
      'Graph: wireDecoder must be a WireDecoderFactory ((labels, types, keys) => WireDecoder)',
    );
  }
}
