import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readmeExamples, runExample } from '@fusedis/test-harness/readme';
import { describe, expect, it } from 'vitest';
import { standalone } from './helpers.js';

// The README's example is code users copy: it must run against a real server and print what its comments say.
const [example] = readmeExamples(join(import.meta.dirname, '../..'));

describe('README example', () => {
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
    const { printed, errors } = await runExample(source, import.meta.dirname, 'readme-example');
    expect(errors).toEqual([]);
    expect(printed[0]).toEqual([3]);
    expect(printed[1]).toEqual(['OK', Buffer.from('hello')]);
    expect(printed[2]).toEqual([true, 5]);
    expect(printed[3]).toEqual([true, true]);
    expect(printed[4]).toEqual([['readme:jobs', 'job-1']]);
    expect(printed[5]).toEqual([0, true]);
    expect(printed[6]).toEqual(['tcp(): unknown option prot (did you mean port?)']);
  });
});
