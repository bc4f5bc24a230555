import { afterAll, describe, expect, inject, it } from 'vitest';
import { type Client, createClient, InvalidArgumentError } from '../../src/index.js';

/*
 * `call()` used to send anything, including commands that change the shared multiplexed
 * connection for every caller: after `call('MONITOR')` a GET resolved with a monitor line, after
 * `call('MULTI')` every caller's command was answered QUEUED, after `call('SELECT', 1)` every
 * caller read another database (until a reconnect quietly went back), and a `call('SUBSCRIBE')`
 * subscribed with no listener (its messages were dropped, and a reconnect forgot it). They are
 * refused now.
 */
const server = inject('servers').standalone;
const opened: Client[] = [];
afterAll(async () => {
  await Promise.all(opened.map((client) => client.quit().catch(() => {})));
});

function open(protocol: 2 | 3): Client {
  const client = createClient({ host: server.host, port: server.port, protocol });
  opened.push(client);
  return client;
}

const REFUSED: readonly (readonly [string, ...(string | number)[]])[] = [
  ['MONITOR'],
  ['MULTI'],
  ['EXEC'],
  ['DISCARD'],
  ['WATCH', 'refusal:k'],
  ['UNWATCH'],
  ['SELECT', 1],
  ['AUTH', 'default', 'secret'],
  ['HELLO', 2],
  ['RESET'],
  ['QUIT'],
  ['SYNC'],
  ['PSYNC', '?', -1],
  ['CLIENT', 'REPLY', 'OFF'],
  ['SUBSCRIBE', 'refusal:chan'],
  ['UNSUBSCRIBE'],
  ['PSUBSCRIBE', 'refusal:*'],
  ['PUNSUBSCRIBE'],
  ['SSUBSCRIBE', 'refusal:shard'],
  ['SUNSUBSCRIBE'],
];

describe.each([2, 3] as const)(
  'call() refuses what would break the shared connection or escape pub/sub (RESP%i)',
  (protocol) => {
    it('refuses each by name, sends nothing, and every caller keeps its own replies', async () => {
      const client = open(protocol);
      const key = `refusal:${protocol}`;
      await client.set(key, 'mine');
      for (const [name, ...args] of REFUSED) {
        const shown = name === 'CLIENT' ? 'CLIENT REPLY' : name;
        const call = client.call(name.toLowerCase(), ...args);
        const sent = client.sendCommand([name, ...args]);
        // Concurrent callers in the same tick: before, MONITOR or MULTI answered them.
        const read = client.get(key);
        for (const outcome of await Promise.allSettled([call, sent])) {
          const reason = outcome.status === 'rejected' ? (outcome.reason as Error) : undefined;
          expect(reason, name).toBeInstanceOf(InvalidArgumentError);
          expect(reason?.message).toMatch(`call('${shown}') is refused: `);
        }
        expect(await read).toBe('mine');
      }
      expect(await client.get(key)).toBe('mine'); // still database 0, still in step
      await client.del(key);
    });

    it('refuses them in a pipeline in place; the other commands run', async () => {
      const client = open(protocol);
      const key = `refusal:pipe:${protocol}`;
      const results = await client.pipeline().call('MULTI').set(key, 'v').call('EXEC').get(key).exec();
      expect(results[0]?.[0]).toBeInstanceOf(InvalidArgumentError);
      expect(results[2]?.[0]).toBeInstanceOf(InvalidArgumentError);
      expect(results[1]).toEqual([null, 'OK']);
      expect(results[3]).toEqual([null, 'v']); // not QUEUED
      await client.del(key);
    });

    it('reads a command named in bytes the same way: refused, or sent to a dedicated connection', async () => {
      const client = open(protocol);
      const key = `refusal:bytes:${protocol}`;
      await client.set(key, 'mine');
      await expect(client.sendCommand([Buffer.from('monitor')])).rejects.toThrow(
        "call('MONITOR') is refused: ",
      );
      const started = performance.now();
      const blocked = client.sendCommand([Buffer.from('BLPOP'), `${key}:none`, '1']);
      // Before, a BLPOP named in bytes held this GET on the shared connection for its whole second.
      expect(await client.withOptions({ timeout: 300 }).get(key)).toBe('mine');
      expect(performance.now() - started).toBeLessThan(300);
      expect(await blocked).toBeNull();
      await client.del(key);
    });

    it('still sends what only looks alike: CLIENT SETNAME, and WAIT', async () => {
      const client = open(protocol);
      expect(await client.call('CLIENT', 'SETNAME', `refusal-${protocol}`)).toBe('OK');
      expect(await client.call('WAIT', 0, 0)).toBe(0);
    });

    it('inside multi() and watch() too: what they change would outlast the transaction on its connection', async () => {
      const client = open(protocol);
      const list = `refusal:tx:${protocol}`;
      await client.del(list);
      await client.rpush(list, 'in-db-0');
      const tx = client.multi().call('SELECT', 1).set(`${list}:x`, '1').exec();
      await expect(tx).rejects.toThrow(
        "call('SELECT') is refused in a transaction: it would outlast the transaction",
      );
      const watched = client.watch([list], (scope) => scope.call('CLIENT', 'REPLY', 'OFF'));
      await expect(watched).rejects.toThrow("call('CLIENT REPLY') is refused in a transaction");
      await expect(client.multi().call('EXEC').exec()).rejects.toThrow(
        "the client sends the transaction's own MULTI, EXEC and WATCH",
      );
      // Before, the pooled connection stayed on database 1 and this BLPOP waited there in vain.
      expect(await client.blpop([list], 1)).toEqual({ key: list, element: 'in-db-0' });
      expect(await client.exists(`${list}:x`)).toBe(0);
    });
  },
);
