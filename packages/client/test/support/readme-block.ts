import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, vi } from 'vitest';

/** Runs the README's ```ts {tag} block with `replace` applied; checks every `console.log(…); // → x`. */
export async function runReadmeBlock(tag: string, replace: (code: string) => string): Promise<void> {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const code = new RegExp(`\`\`\`ts ${tag}\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  expect(code, `the README has a ${tag} example`).toBeDefined();
  const source = pathToFileURL(join(import.meta.dirname, '../../src/index.ts')).href;
  const folder = join(import.meta.dirname, '../integration/.generated');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `readme-${tag}.ts`);
  writeFileSync(file, replace(code as string).replaceAll("from '@fusedis/client'", `from '${source}'`));
  const expected = (code as string)
    .split('\n')
    .filter((line) => line.includes('console.log('))
    .map((line) => new Function(`return [${line.slice(line.indexOf('// → ') + 5)}];`)() as unknown[]);
  const printed: unknown[][] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    spy.mockRestore();
  }
  expect(printed).toEqual(expected);
}
