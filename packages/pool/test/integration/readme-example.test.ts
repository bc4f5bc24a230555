import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { standalone } from './helpers.js';

// The README's example is code users copy: it must run against a real server and print what its comments say.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];

describe('README example', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('runs and prints what its comments promise', async () => {
    expect(example, 'the README has a ```ts example').toBeDefined();
    const { host, port } = standalone();
    expect((example as string).match(/port: 6379/g)).toHaveLength(1);
    // Only the address changes: the test server listens on a free port.
    const source = (example as string)
      .replace("host: '127.0.0.1', port: 6379", `host: '${host}', port: ${port}`)
      .replaceAll(
        "'@fusedis/pool'",
        `'${pathToFileURL(join(import.meta.dirname, '../../src/index.ts')).href}'`,
      );
    const folder = join(import.meta.dirname, '.generated');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'readme-example.ts');
    writeFileSync(file, source);
    const printed: unknown[][] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await import(pathToFileURL(file).href);
    expect(errors).not.toHaveBeenCalled();
    expect(printed[0]).toEqual([3]);
    expect(printed[1]).toEqual(['OK', Buffer.from('hello')]);
    expect(printed[2]).toEqual([true, 5]);
    expect(printed[3]).toEqual([true, true]);
    expect(printed[4]).toEqual([['readme:jobs', 'job-1']]);
    expect(printed[5]).toEqual([0, true]);
  });
});
