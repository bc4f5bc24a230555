/**
 * Demo part 3: the JS and the native decoder side by side — same replies, value for value.
 */
import { isDeepStrictEqual } from 'node:util';
import { createClient } from '@fusedis/client';

export async function demoDecoders(url: string): Promise<void> {
  console.log('\n── part 3: decoder: js vs native ──');
  const js = createClient({ url, decoder: 'js' });
  const native = createClient({ url, decoder: 'auto' });
  try {
    await js.del('demo:dec:list', 'demo:dec:hash');
    await js.rpush('demo:dec:list', ...Array.from({ length: 10_000 }, (_, i) => `item-${i}-é`));
    await js.hset(
      'demo:dec:hash',
      Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`f${i}`, `${i}`])),
    );
    await native.connect();
    console.log(`js client: ${JSON.stringify(js.decoderInfo)}`);
    console.log(`auto client: ${JSON.stringify(native.decoderInfo)}`);
    for (const [label, run] of [
      ['LRANGE 10,000 items', (c: typeof js) => c.lrange('demo:dec:list', 0, -1)],
      ['HGETALL 1,000 fields', (c: typeof js) => c.hgetall('demo:dec:hash')],
      ['a RESP3 double from Lua', (c: typeof js) => c.call('EVAL', 'return {double=3.5}', 0)],
    ] as const) {
      const [a, b] = await Promise.all([run(js), run(native)]);
      console.log(`${label}: identical = ${isDeepStrictEqual(a, b)}`);
      if (!isDeepStrictEqual(a, b)) throw new Error(`${label}: the decoders disagree`);
    }
    await js.del('demo:dec:list', 'demo:dec:hash');
  } finally {
    await Promise.all([js.quit(), native.quit()]);
  }
}
