import { brandErrorClass, FusedisError } from '@fusedis/resp';

/**
 * A FalkorDB command failed on the server (a Cypher syntax error, a query timeout, a write sent
 * through `roQuery`, an unknown graph…) or its reply could not be read as a graph result.
 *
 * `code` is `ERR_GRAPH` for server errors, with the server's message as `message` and the
 * `ReplyError` as `cause`; `ERR_GRAPH_REPLY` when the reply does not have the expected shape;
 * `ERR_GRAPH_SCHEMA` when a label, relationship type or property key id stays unknown after a
 * schema refresh (the graph was deleted and re-created while the query ran).
 */
export class GraphError extends FusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.GraphError');

  constructor(
    message: string,
    code: 'ERR_GRAPH' | 'ERR_GRAPH_REPLY' | 'ERR_GRAPH_SCHEMA',
    options?: ErrorOptions,
  ) {
    super(message, code, options);
  }
}
brandErrorClass(GraphError, 'GraphError');
