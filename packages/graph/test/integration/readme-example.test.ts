import { join } from 'node:path';
import { readmeExamples, runExample } from '@fusedis/test-harness/readme';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphPoint } from '../../src/index.js';
import { falkordbPort } from './falkordb.js';

// The README's example is code users copy: it must run against a real FalkorDB and print what its
// comments say.
const [example] = readmeExamples(join(import.meta.dirname, '../..'));

describe('README example', () => {
  afterEach(() => {
    delete process.env.FALKORDB_PORT;
  });

  it('runs and prints what its comments promise', async () => {
    expect(example, 'the README has a ```ts example').toBeDefined();
    process.env.FALKORDB_PORT = String(falkordbPort());
    const { printed, errors } = await runExample(example as string, import.meta.dirname, 'readme-example');
    expect(errors).toEqual([]);
    expect(printed[0]).toEqual([2, 1]);
    expect(printed[1]).toEqual([['Person'], 1815, 'KNOWS', 1833, ['Person', 'Inventor']]);
    expect(printed[2]).toEqual([
      [
        [1, 2.5, 'x'],
        new GraphPoint(51.5, -0.125),
        new Float32Array([1, 2]),
        new Date('1815-12-10T00:00:00Z'),
      ],
    ]);
    expect(printed[3]).toEqual([true, 'graph.RO_QUERY is to be executed only on read-only queries']);
    expect(printed[4]?.[0]).toContain('social');
  });
});
