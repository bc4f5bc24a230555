import { join } from 'node:path';
import { readmeExamples, runExample } from '@fusedis/test-harness/readme';
import { describe, expect, it } from 'vitest';

// The README's example is code users copy: it must run, and print what its comments say.
const [example] = readmeExamples(join(import.meta.dirname, '../..'));

describe('README example', () => {
  it('runs and prints what its comments promise', async () => {
    expect(example, 'the README has a ```ts example').toBeDefined();
    const { printed, errors } = await runExample(example as string, import.meta.dirname, 'readme-example');
    expect(errors).toEqual([]);
    const replies = printed[0]?.[0] as unknown[];
    expect(replies.slice(0, 3)).toEqual([
      'OK',
      ['foo', 42],
      Object.assign(Object.create(null), { field: 'value' }),
    ]);
    expect(Object.getPrototypeOf(replies[2])).toBeNull();
    expect(printed[1]).toEqual(['WRONGTYPE']);
    expect(printed[2]).toEqual(['native']);
    expect(printed[3]).toEqual([true]);
  });
});
