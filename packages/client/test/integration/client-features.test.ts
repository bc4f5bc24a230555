import { afterEach, describe, expect, inject, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';

// The features of other files, reached through the client's own methods (their own tests cover
// them in depth): this checks the wiring.
const server = inject('servers').standalone;
const opened: Client[] = [];
function open(protocol: 2 | 3, keyPrefix = ''): Client {
  const client = createClient({ host: server.host, port: server.port, protocol, keyPrefix });
  opened.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.quit()));
});

describe.each([2, 3] as const)('client features over RESP%i', (protocol) => {
  const base = `features:${protocol}`;

  it('pipeline() and multi() run through the client', async () => {
    const client = open(protocol);
    expect(await client.pipeline().set(`${base}:p`, '1').incr(`${base}:p`).exec()).toEqual([
      [null, 'OK'],
      [null, 2],
    ]);
    expect(await client.multi().incr(`${base}:p`).get(`${base}:p`).exec()).toEqual([
      [null, 3],
      [null, '3'],
    ]);
  });

  it('watch() runs a transaction on one dedicated connection', async () => {
    const client = open(protocol);
    await client.set(`${base}:w`, '10');
    const result = await client.watch(`${base}:w`, async (scope) => {
      const value = Number(await scope.get(`${base}:w`));
      return scope
        .multi()
        .set(`${base}:w`, String(value + 1))
        .exec();
    });
    expect(result).toEqual([[null, 'OK']]);
    expect(await client.get(`${base}:w`)).toBe('11');
    expect(client.poolStats().borrowed).toBe(0);
  });

  it('subscribe() delivers messages published by another client', async () => {
    const client = open(protocol);
    const publisher = open(protocol);
    const got: string[] = [];
    await client.subscribe(`${base}:ch`, (message) => {
      got.push(message);
    });
    await publisher.publish(`${base}:ch`, 'hello');
    await expect.poll(() => got).toEqual(['hello']);
    await client.unsubscribe(`${base}:ch`);
  });

  it('scan iterators and defineScript() work with the key prefix', async () => {
    const client = open(protocol, `${base}:pre:`);
    await client.set('one', '1');
    await client.set('two', '2');
    const keys: unknown[] = [];
    for await (const key of client.scanIterator({ match: '*' })) keys.push(key);
    expect(keys.sort()).toEqual(['one', 'two']);
    const script = client.defineScript({ lua: "return redis.call('GET', KEYS[1])", numberOfKeys: 1 });
    expect(await script.run('two')).toBe('2');
  });
});
