import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GraphPoint } from '../../src/index.js';
import { falkordbPort } from './falkordb.js';

// The README's example is code users copy: it must run against a real FalkorDB and print what its
// comments say.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];

describe('README example', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.FALKORDB_PORT;
  });

  it('runs and prints what its comments promise', async () => {
    expect(example, 'the README has a ```ts example').toBeDefined();
    const folder = join(import.meta.dirname, '.generated');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'readme-example.ts');
    writeFileSync(file, example as string);
    process.env.FALKORDB_PORT = String(falkordbPort());
    const printed: unknown[][] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    await import(pathToFileURL(file).href);
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
