import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The README's graph example is code users copy: it must run and print what its comments say.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## FalkorDB graph decoder'));
const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];

describe('README graph example', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('runs and prints what its comments promise', async () => {
    expect(example, 'the graph section has a ```ts example').toBeDefined();
    const folder = join(import.meta.dirname, '.generated');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'graph-readme-example.ts');
    writeFileSync(file, example as string);
    const printed: unknown[][] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    await import(pathToFileURL(file).href);
    expect(printed).toEqual([[true, ['Person'], 'Ada'], [0]]);
  });
});
