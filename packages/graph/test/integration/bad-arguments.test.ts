import { FusedisError } from '@fusedis/resp';
import { callMisbehaviour } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph } from '../../src/index.js';
import type { SocketExecutor } from '../support/socket-executor.js';
import { openExecutor, uniqueGraphName } from './falkordb.js';

// "Bad input gets a clear error and loses nothing", for every promise-returning method of a
// Graph: called with values no method takes (what JavaScript callers pass by mistake), each call
// returns a promise that settles, with a value or a fusedis error (GraphError, InvalidArgumentError),
// never a TypeError from deep inside; and the graph then still answers.

type Methods = Record<string, (...args: unknown[]) => unknown>;

const METHODS = [
  'query',
  'roQuery',
  'explain',
  'profile',
  'copy',
  'memoryUsage',
  'createIndex',
  'dropIndex',
  'createConstraint',
  'dropConstraint',
] as const;

const JUNK: readonly (readonly [string, () => unknown])[] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 42],
  ['a symbol', () => Symbol('junk')],
  ['a function', () => () => 1],
  ['an object of junk', () => ({ junk: 1 })],
  ['an array of undefined', () => [undefined]],
  ['a boolean', () => true],
  ['a Date', () => new Date(0)],
];

let executor: SocketExecutor;
let graph: Graph;

beforeAll(async () => {
  executor = await openExecutor();
  graph = new Graph(executor, uniqueGraphName('bad-arguments'));
  await graph.query('CREATE (:X {v: 1})');
});

afterAll(async () => {
  await graph.delete().catch(() => {});
  await executor.close();
});

/** What went wrong with one call, or undefined when it behaved (typed: a fusedis error). */
function misbehaviour(call: () => unknown): Promise<string | undefined> {
  return callMisbehaviour(call, (err) => err instanceof FusedisError);
}

describe('every Graph method refuses junk arguments with a typed error', () => {
  it(`${METHODS.length} methods, ${JUNK.length} kinds of junk, in each position`, async () => {
    const found: string[] = [];
    for (const name of METHODS) {
      for (const [what, junk] of JUNK) {
        for (const args of [
          [junk()],
          ['RETURN 1', junk()],
          [junk(), junk()],
          ['RETURN 1', { params: junk() }],
        ]) {
          const wrong = await misbehaviour(() => (graph as unknown as Methods)[name]?.(...args));
          if (wrong !== undefined) found.push(`${name}(${args.length} args, ${what}): ${wrong}`);
        }
      }
    }
    expect(found).toEqual([]);
    expect((await graph.roQuery('MATCH (x:X) RETURN x.v AS v')).rows).toEqual([{ v: 1 }]);
  }, 60_000);
});
