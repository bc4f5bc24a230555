import type { CommandArg } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import {
  type CommandExecutor,
  CompactWireDecoder,
  Graph,
  GraphNode,
  jsWireDecoder,
  type WireDecoder,
  type WireDecoderFactory,
} from '../../src/index.js';
import { fixtures, wireOf } from '../support/fixtures.js';

/** Answers every query with the recorded `node` reply's bytes, and schema procedures from the recorded schema. */
const executor: CommandExecutor = {
  async sendCommand(args: readonly CommandArg[]) {
    const query = String(args[2]);
    const table =
      query === 'CALL db.labels()'
        ? fixtures.schema.labels
        : query === 'CALL db.relationshipTypes()'
          ? fixtures.schema.relationshipTypes
          : query === 'CALL db.propertyKeys()'
            ? fixtures.schema.propertyKeys
            : undefined;
    if (table !== undefined) return [[[1, 'name']], table.map((name) => [[2, name]]), []];
    return wireOf('node');
  },
};

/** A non-default WireDecoderFactory: the built-in one, recording the tables it was given. */
function recording(): { factory: WireDecoderFactory; tables: (readonly string[])[][] } {
  const tables: (readonly string[])[][] = [];
  const factory: WireDecoderFactory = (labels, types, keys): WireDecoder => {
    tables.push([labels, types, keys]);
    return new CompactWireDecoder(labels, types, keys);
  };
  return { factory, tables };
}

describe('Graph option wireDecoder', () => {
  it('decodes frame-byte replies with the given factory, refreshing and retrying on missing ids', async () => {
    const { factory, tables } = recording();
    const graph = new Graph(executor, 'social', { wireDecoder: factory });
    const { rows } = await graph.query('MATCH (n:Person) RETURN n');
    // First pass against empty tables (ids missing), then again after the refresh of the two
    // tables that lacked ids (a node has no relationship type).
    expect(tables).toEqual([
      [[], [], []],
      [fixtures.schema.labels, [], fixtures.schema.propertyKeys],
    ]);
    expect(rows[0]?.n).toBeInstanceOf(GraphNode);
    expect((rows[0]?.n as GraphNode | undefined)?.properties.name).toBe('Ada');
  });

  it('keeps one decoder per schema snapshot for reply after reply, and makes a new one after a refresh', async () => {
    const { factory, tables } = recording();
    const graph = new Graph(executor, 'social', { wireDecoder: factory });
    const first = await graph.query('MATCH (n:Person) RETURN n');
    const again = await graph.query('MATCH (n:Person) RETURN n');
    const third = await graph.query('MATCH (n:Person) RETURN n');
    // Empty tables, then the refreshed ones; the second and third replies reuse the refreshed one.
    expect(tables).toHaveLength(2);
    expect(again.rows).toStrictEqual(first.rows);
    expect(third.rows).toStrictEqual(first.rows);
    graph.schema.clear();
    await graph.query('MATCH (n:Person) RETURN n');
    expect(tables).toHaveLength(4); // new (empty) tables after clear(), then refreshed ones again
  });

  it('a reused CompactWireDecoder resets missing for each frame', () => {
    const decoder = new CompactWireDecoder([], [], []);
    decoder.result(wireOf('node'), false);
    expect(decoder.missing).not.toBe(0);
    decoder.result(wireOf('scalars'), false);
    expect(decoder.missing).toBe(0);
  });

  it('defaults to the built-in CompactWireDecoder (jsWireDecoder)', async () => {
    const byDefault = await new Graph(executor, 'social').query('MATCH (n:Person) RETURN n');
    const explicit = await new Graph(executor, 'social', { wireDecoder: jsWireDecoder }).query(
      'MATCH (n:Person) RETURN n',
    );
    expect(explicit.rows).toStrictEqual(byDefault.rows);
    expect(jsWireDecoder([], [], [])).toBeInstanceOf(CompactWireDecoder);
  });

  it('leaves already-decoded replies to the JS CompactDecoder', async () => {
    const { factory, tables } = recording();
    const graph = new Graph(executor, 'social', { wireDecoder: factory });
    await graph.schema.refresh(7);
    const decoded = await graph.decodeReply([[[1, 'x']], [[[3, 1]]], []]);
    expect(decoded.rows).toEqual([
      Object.assign(Object.create(Object.getPrototypeOf(decoded.rows[0])), { x: 1 }),
    ]);
    expect(tables).toEqual([]);
  });
});
