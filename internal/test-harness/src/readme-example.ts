import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';

/*
 * README examples are code users copy: tests run them as written (only a server address or an
 * import path rewritten) and check what they print. This is the one runner they share.
 */

/** The ```ts blocks of the README in `packageDir`, in order. */
export function readmeExamples(packageDir: string): string[] {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

/** What an example printed: each `console.log` call's arguments, and each `console.error` call's. */
export interface ExampleOutput {
  readonly printed: unknown[][];
  readonly errors: unknown[][];
}

/**
 * Writes `source` to `<testDir>/.generated/<name>.ts`, imports it (so its top-level awaits run to
 * the end) and returns what it printed. The console is restored afterwards, also when it throws.
 */
export async function runExample(source: string, testDir: string, name: string): Promise<ExampleOutput> {
  const folder = join(testDir, '.generated');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name}.ts`);
  writeFileSync(file, source);
  const printed: unknown[][] = [];
  const errors: unknown[][] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return { printed, errors };
}
