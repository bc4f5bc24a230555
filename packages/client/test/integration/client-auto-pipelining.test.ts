import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type Client, createClient, duplex } from '../../src/index.js';

const server = inject('servers').standalone;
const opened: Client[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.quit()));
});

/** A client over a TCP socket whose `write` calls are counted (a custom `duplex()` transport). */
function countingClient(autoPipelining: boolean): {
  client: Client;
  writes: () => number;
  reset: () => void;
} {
  let count = 0;
  const transport = duplex(
    () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: server.host, port: server.port });
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.off('error', reject);
          const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
          socket.write = ((...args: unknown[]) => {
            count++;
            return write(...args);
          }) as Socket['write'];
          resolve(socket);
        });
      }),
    'counted-tcp',
  );
  const client = createClient({ transport, autoPipelining });
  opened.push(client);
  return {
    client,
    writes: () => count,
    reset: () => {
      count = 0;
    },
  };
}

describe('auto-pipelining', () => {
  it('writes the commands of one tick in one socket.write when on (the default)', async () => {
    const { client, writes, reset } = countingClient(true);
    await client.connect();
    reset();
    const replies = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        i % 2 === 0 ? client.set(`ap:${i}`, String(i)) : client.get(`ap:${i - 1}`),
      ),
    );
    expect(writes()).toBe(1);
    expect(replies).toEqual(replies.map((_, i) => (i % 2 === 0 ? 'OK' : String(i - 1))));
    // Awaited one by one: one write each, with no extra event-loop turn in between.
    reset();
    for (let i = 0; i < 10; i++) expect(await client.get(`ap:${2 * i}`)).toBe(String(2 * i));
    expect(writes()).toBe(10);
  });

  it('writes each command on its own when off', async () => {
    const { client, writes, reset } = countingClient(false);
    await client.connect();
    reset();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => client.set(`ap:off:${i}`, 'v')));
    expect(replies).toEqual(Array(50).fill('OK'));
    expect(writes()).toBe(50);
  });
});
