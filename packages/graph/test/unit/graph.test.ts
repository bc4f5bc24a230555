import { type CommandArg, InvalidArgumentError, ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import {
  type CommandExecutor,
  Graph,
  GraphError,
  GraphNode,
  type GraphRecord,
  GraphServer,
  type SendOptions,
} from '../../src/index.js';
import { fixtures, respDecode, wireOf } from '../support/fixtures.js';

/**
 * A non-default CommandExecutor (the package's seam): it answers from recorded FalkorDB replies
 * (test/fixtures) and records what it was asked. Schema procedures answer from the recorded
 * schema, so refreshes can be counted.
 */
class RecordedExecutor implements CommandExecutor {
  readonly sent: { args: readonly CommandArg[]; options: SendOptions | undefined }[] = [];
  reply: unknown = respDecode(wireOf('node'));

  async sendCommand(args: readonly CommandArg[], options?: SendOptions): Promise<unknown> {
    this.sent.push({ args, options });
    await Promise.resolve();
    const query = String(args[2]);
    const table =
      query === 'CALL db.labels()'
        ? fixtures.schema.labels
        : query === 'CALL db.relationshipTypes()'
          ? fixtures.schema.relationshipTypes
          : query === 'CALL db.propertyKeys()'
            ? fixtures.schema.propertyKeys
            : undefined;
    if (table !== undefined) {
      return [[[1, 'name']], table.map((name) => [[2, name]]), ['Cached execution: 0']];
    }
    if (this.reply instanceof Error) throw this.reply;
    return this.reply;
  }

  schemaCalls(): number {
    return this.sent.filter((s) => String(s.args[2]).startsWith('CALL db.')).length;
  }
}

describe('Graph over a CommandExecutor', () => {
  it('sends the compact query with params, timeout and signal, and resolves names once', async () => {
    const executor = new RecordedExecutor();
    const graph = new Graph(executor, 'social');
    const signal = new AbortController().signal;
    const result = await graph.query('MATCH (n:Person {name: $name}) RETURN n', {
      params: { name: 'Ada' },
      timeout: 1500,
      signal,
    });
    expect(executor.sent[0]?.args).toEqual([
      'GRAPH.QUERY',
      'social',
      'CYPHER name="Ada" MATCH (n:Person {name: $name}) RETURN n',
      'TIMEOUT',
      1500,
      '--compact',
    ]);
    expect(executor.sent[0]?.options).toEqual({ stringMode: 'utf8', raw: true, signal });
    const node = (result.rows[0] as GraphRecord).n as GraphNode;
    expect(node).toBeInstanceOf(GraphNode);
    expect(node.labels).toEqual(['Person']);
    expect(node.properties.name).toBe('Ada');
    // The empty cache missed labels and property keys: one refresh fetched exactly those two.
    expect(executor.schemaCalls()).toBe(2);
    await graph.query('MATCH (n) RETURN n');
    expect(executor.schemaCalls()).toBe(2);
    expect(graph.schema.refreshCount).toBe(1);
  });

  it('refreshes once for concurrent queries that miss the same ids (single-flight)', async () => {
    const executor = new RecordedExecutor();
    const graph = new Graph(executor, 'social');
    await Promise.all([graph.query('q1'), graph.query('q2'), graph.query('q3')]);
    expect(graph.schema.refreshCount).toBe(1);
    expect(executor.schemaCalls()).toBe(2);
  });

  it('forgets the schema on delete', async () => {
    const executor = new RecordedExecutor();
    const graph = new Graph(executor, 'social');
    await graph.query('q');
    expect(graph.schema.labels.length).toBeGreaterThan(0);
    executor.reply = 'OK';
    await graph.delete();
    expect(graph.schema.labels).toEqual([]);
    expect(executor.sent.at(-1)?.args).toEqual(['GRAPH.DELETE', 'social']);
  });

  it('uses GRAPH.RO_QUERY and array rows when asked', async () => {
    const executor = new RecordedExecutor();
    const graph = new Graph(executor, 'g');
    const result = await graph.roQuery<unknown[]>('MATCH (n) RETURN n', { rows: 'arrays' });
    expect(executor.sent[0]?.args[0]).toBe('GRAPH.RO_QUERY');
    expect(result.rows[0]?.[0]).toBeInstanceOf(GraphNode);
  });

  it('turns server error replies into GraphError with the ReplyError as cause', async () => {
    const executor = new RecordedExecutor();
    const graph = new Graph(executor, 'g');
    const cause = new ReplyError('errMsg: Invalid input');
    executor.reply = cause;
    const err = await graph.query('RETURN').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).code).toBe('ERR_GRAPH');
    expect((err as GraphError).message).toBe('errMsg: Invalid input');
    expect((err as GraphError).cause).toBe(cause);
    // An error inside the reply array (a runtime failure after the header) is one too.
    executor.reply = [[[1, 'x']], [], new ReplyError('Query timed out')];
    await expect(graph.query('q')).rejects.toThrow(/Query timed out/);
    const server = new GraphServer(executor);
    executor.reply = new ReplyError('ERR unknown');
    await expect(server.list()).rejects.toBeInstanceOf(GraphError);
  });

  it('builds a pipeline-ready command whose decode resolves names', async () => {
    const executor = new RecordedExecutor();
    const graph = new Graph(executor, 'g');
    const command = graph.command('MATCH (n) RETURN n', { params: { x: 1 } }, true);
    expect(command.args).toEqual(['GRAPH.RO_QUERY', 'g', 'CYPHER x=1 MATCH (n) RETURN n', '--compact']);
    expect(command.readOnly).toBe(true);
    const result = await command.decode(respDecode(wireOf('node')));
    expect(((result.rows[0] as GraphRecord).n as GraphNode).labels).toEqual(['Person']);
  });

  it('rejects, sending nothing, a query whose options or params it cannot use', async () => {
    const executor = new RecordedExecutor();
    const graph = new Graph(executor, 'social');
    const typo = { parms: { name: 'Ann' } } as never;
    await expect(graph.query('MATCH (n {name: $name}) RETURN n', typo)).rejects.toThrow(
      new InvalidArgumentError('query: unknown option parms (known: params, timeout, rows, signal)'),
    );
    await expect(graph.roQuery('RETURN 1', { TIMEOUT: 5 } as never)).rejects.toThrow(
      'roQuery: unknown option TIMEOUT (the option is timeout)',
    );
    // A bad parameter rejects too (it used to throw from query() itself, past a .catch()).
    const badParam = graph.query('RETURN $x', { params: { x: Symbol('x') } as never });
    await expect(badParam).rejects.toThrow(InvalidArgumentError);
    expect(() => graph.command('RETURN 1', { rows: 'arrays', extra: 1 } as never)).toThrow(
      'query: unknown option extra',
    );
    // explain and profile take params and signal only; memoryUsage samples and signal.
    await expect(graph.explain('RETURN 1', { timeout: 5 } as never)).rejects.toThrow(
      'explain: unknown option timeout (known: params, signal)',
    );
    await expect(graph.profile('RETURN 1', { Params: {} } as never)).rejects.toThrow(
      'profile: unknown option Params (the option is params)',
    );
    await expect(graph.memoryUsage({ SAMPLES: 10 } as never)).rejects.toThrow(
      'memoryUsage: unknown option SAMPLES (the option is samples)',
    );
    expect(executor.sent).toEqual([]);
  });
});

describe('new Graph() checks its arguments', () => {
  const executor = new RecordedExecutor();
  const refusal = (build: () => Graph): string => {
    try {
      build();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidArgumentError);
      return (err as Error).message;
    }
    throw new Error('expected InvalidArgumentError, the graph was built');
  };

  it('refuses a misspelt option, naming the one meant, rather than keep the default decoder', () => {
    expect(refusal(() => new Graph(executor, 'g', { wireDecodr: () => undefined } as never))).toBe(
      'Graph: unknown option wireDecodr (known: wireDecoder)',
    );
    expect(refusal(() => new Graph(executor, 'g', { WireDecoder: () => undefined } as never))).toBe(
      'Graph: unknown option WireDecoder (the option is wireDecoder)',
    );
  });

  it('refuses options that are not an object, a wireDecoder that is not a function, a name that is not a string and an executor without sendCommand', () => {
    expect(refusal(() => new Graph(executor, 'g', 'js' as never))).toBe('Graph: options must be an object');
    expect(refusal(() => new Graph(executor, 'g', { wireDecoder: 'native' } as never))).toMatch(
      /^Graph: wireDecoder must be a WireDecoderFactory/,
    );
    expect(refusal(() => new Graph(executor, 42 as never))).toBe(
      'Graph: the graph name must be a string, not number',
    );
    expect(refusal(() => new Graph({} as never, 'g'))).toMatch(
      /^Graph: the executor must have a sendCommand/,
    );
    expect(refusal(() => new Graph(undefined as never, 'g'))).toMatch(/^Graph: the executor must have/);
  });

  it('builds with no options, undefined options or a given wireDecoder', () => {
    expect(new Graph(executor, 'g').name).toBe('g');
    expect(new Graph(executor, 'g', undefined).name).toBe('g');
    expect(new Graph(executor, 'g', { wireDecoder: undefined as never }).name).toBe('g');
  });
});
