/**
 * Demo part 2: @fusedis/client against the same server — typed commands, auto-pipelining, an
 * explicit pipeline with an error in the middle, a transaction, pub/sub, a script, a scan.
 */
import { inspect } from 'node:util';
import { createClient, ReplyError } from '@fusedis/client';

function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: 110, colors: process.stdout.isTTY });
}

export async function demoClient(url: string): Promise<void> {
  console.log('\n── part 2: @fusedis/client ──');
  const redis = createClient(url);
  try {
    await redis.connect();
    console.log(`connected to ${url}; decoder: ${show(redis.decoderInfo)}`);

    await redis.set('demo:client:greeting', 'héllo');
    console.log(`get → ${show(await redis.get('demo:client:greeting'))}`);
    // A field named __proto__ is data: fusedis returns it as a field of a null-prototype object.
    await redis.hset(
      'demo:client:user',
      Object.fromEntries([
        ['name', 'Ada'],
        ['lang', 'TypeScript'],
        ['__proto__', 'data, not a prototype'],
      ]),
    );
    console.log(`hgetall → ${show(await redis.hgetall('demo:client:user'))}`);

    const started = process.hrtime.bigint();
    const count = 20_000;
    const replies = await Promise.all(
      Array.from({ length: count }, (_, i) => redis.set(`demo:client:k${i % 100}`, i)),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(
      `${count.toLocaleString('en')} concurrent SETs (auto-pipelined: same-tick commands share one write): ${replies.length} replies in ${elapsed.toFixed(1)} ms`,
    );

    const results = await redis
      .pipeline()
      .set('demo:client:s', 'text')
      .lpush('demo:client:s', 'x') // WRONGTYPE: kept in place, the others are unaffected
      .get('demo:client:s')
      .exec();
    console.log('pipeline with an error in the middle → [error, result] per command:');
    for (const [err, value] of results) {
      console.log(`  ${err instanceof ReplyError ? `ReplyError ${err.code}` : 'ok'}  ${show(value)}`);
    }

    await redis.set('demo:client:stock', '3');
    console.log(
      `multi().decr().get().exec() → ${show(await redis.multi().decr('demo:client:stock').get('demo:client:stock').exec())}`,
    );

    const heard: string[] = [];
    await redis.subscribe('demo:client:news', (message) => heard.push(message));
    await redis.publish('demo:client:news', 'hello, subscriber');
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(`subscribe + publish → heard ${show(heard)} (and the same connection kept serving commands)`);
    await redis.unsubscribe('demo:client:news');

    const getOrZero = redis.defineScript({
      lua: "return redis.call('GET', KEYS[1]) or '0'",
      numberOfKeys: 1,
    });
    console.log(
      `defineScript (EVALSHA, EVAL on NOSCRIPT) → ${show(await getOrZero.run('demo:client:stock'))}`,
    );

    let keys = 0;
    for await (const _key of redis.scanIterator({ match: 'demo:client:*' })) keys++;
    console.log(`scanIterator({ match: 'demo:client:*' }) → ${keys} keys`);
  } finally {
    await redis.quit();
    console.log('quit: graceful, every pending reply delivered');
  }
}
