import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The README's example is code users copy: it must run, and print what its comments say.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];

describe('README example', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('runs and prints what its comments promise', async () => {
    expect(example, 'the README has a ```ts example').toBeDefined();
    const folder = join(import.meta.dirname, '.generated');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'readme-example.ts');
    writeFileSync(file, example as string);
    const printed: unknown[][] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await import(pathToFileURL(file).href);
    expect(errors).not.toHaveBeenCalled();
    const replies = printed[0]?.[0] as unknown[];
    expect(replies.slice(0, 3)).toEqual([
      'OK',
      ['foo', 42],
      Object.assign(Object.create(null), { field: 'value' }),
    ]);
    expect(Object.getPrototypeOf(replies[2])).toBeNull();
    expect(printed[1]).toEqual(['WRONGTYPE']);
    expect(printed[2]).toEqual(['native']);
  });
});
