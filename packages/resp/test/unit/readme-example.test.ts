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
    expect(printed[0]).toEqual(['*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$6\r\nhéllo\r\n', 27 + 30 + 24]); // GET, INCRBY, HGETALL
    expect(printed[1]).toEqual(['command 1 (ZADD), argument 2 is NaN, which Redis cannot read as a number']);
    const replies = printed[2]?.[0] as unknown[];
    expect(replies.slice(0, 3)).toEqual([
      'OK',
      ['foo', 42],
      Object.assign(Object.create(null), { field: 'value' }),
    ]);
    expect(Object.getPrototypeOf(replies[2])).toBeNull();
    expect(printed[3]).toEqual(['WRONGTYPE']);
    expect(printed[4]).toEqual([5, -1]);
  });
});
