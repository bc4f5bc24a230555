import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readmeExamples, runExample } from '@fusedis/test-harness/readme';
import { describe, expect, inject, it } from 'vitest';

// The README's examples are code users copy: each ```ts block runs as written (only the server
// address and the package import are pointed at this test's server and sources), and every
// `console.log(…); // → expected` prints what its comment says. They run in database 7, so
// their short key names cannot meet other test files' keys.
const blocks = readmeExamples(join(import.meta.dirname, '../..'));
const server = inject('servers').standalone;
const source = pathToFileURL(join(import.meta.dirname, '../../src/index.ts')).href;

function expectations(code: string): unknown[][] {
  return code
    .split('\n')
    .filter((line) => line.includes('console.log('))
    .map((line) => {
      const at = line.indexOf('// → ');
      if (at === -1) throw new Error(`a README console.log has no "// →" comment: ${line}`);
      return new Function(`return [${line.slice(at + 5)}];`)() as unknown[];
    });
}

describe('README examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((code, i) => [i, code] as const))(
    'block %i runs and prints what it says',
    async (i, code) => {
      const { printed } = await runExample(
        code
          .replaceAll('redis://127.0.0.1:6379', `redis://${server.host}:${server.port}/7`)
          .replaceAll("from '@fusedis/client'", `from '${source}'`),
        import.meta.dirname,
        `readme-${i}`,
      );
      expect(printed).toEqual(expectations(code));
    },
  );
});
