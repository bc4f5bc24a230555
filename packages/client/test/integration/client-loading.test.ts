import { setTimeout as sleep } from 'node:timers/promises';
import { type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type ClientOptions, createClient, ReplyError } from '../../src/index.js';

// `key-load-delay` (a setting of Redis's own test suite, in µs per key) makes `DEBUG RELOAD` read
// its 10,000 keys for a second or two here, and `loading-process-events-interval-bytes` lets the server
// answer other clients meanwhile: with `LOADING`, as after a restart with a large dataset.
const KEYS = 10_000;
let server: RedisServer;
let admin: Client;
const opened: Client[] = [];
/** The reload in progress: a test that failed midway must not start another over it. */
let reload: Promise<unknown> | undefined;

function open(options: ClientOptions = {}): Client {
  const client = createClient({ host: server.host, port: server.port, ...options });
  opened.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRedis({
    args: [
      '--enable-debug-command',
      'yes',
      '--key-load-delay',
      '50',
      '--loading-process-events-interval-bytes',
      '1024',
      '--save',
      '',
    ],
  });
  admin = createClient({ host: server.host, port: server.port, readyCheck: false });
  await admin.call('DEBUG', 'POPULATE', KEYS);
});

afterEach(async () => {
  await reload?.catch(() => {});
  await Promise.all(opened.splice(0).map((c) => c.disconnect()));
});

afterAll(async () => {
  await admin?.disconnect();
  await server?.stop();
});

/** Starts `DEBUG RELOAD` and returns once the server answers `LOADING`; `done` settles with the reload. */
async function reloading(): Promise<{ done: Promise<unknown>; finished: () => boolean }> {
  let over = false;
  const done = open({ readyCheck: false, commandTimeout: 0 })
    .call('DEBUG', 'RELOAD')
    .finally(() => {
      over = true;
    });
  reload = done;
  for (;;) {
    const reply = await admin.call('PING').catch((err: unknown) => err);
    if (reply instanceof ReplyError && reply.code === 'LOADING') break;
    if (over) throw new Error('the reload ended before the server was seen loading');
    await sleep(5);
  }
  return { done, finished: () => over };
}

describe.each([2, 3] as const)('a server loading its data, over RESP%i', (protocol) => {
  it('a client that connects meanwhile waits for it (not counted in connectTimeout), then serves', async () => {
    const { done, finished } = await reloading();
    const impatient = open({ protocol, readyCheck: false });
    await expect(impatient.get('key:7')).rejects.toMatchObject({ code: 'LOADING' });
    const client = open({ protocol, connectTimeout: 300 });
    expect(await client.get('key:7')).toBe('value:7');
    expect(finished()).toBe(true);
    await done;
  });

  it('a client that reconnects meanwhile keeps its commands queued until it is done', async () => {
    const client = open({ protocol, retryStrategy: () => 20 });
    const id = await client.call('CLIENT', 'ID');
    const { done, finished } = await reloading();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    expect(await admin.call('CLIENT', 'KILL', 'ID', id as number)).toBe(1);
    await closed;
    const gets = [client.get('key:1'), client.get('key:2'), client.get('key:3')];
    expect(finished()).toBe(false);
    expect(await Promise.all(gets)).toEqual(['value:1', 'value:2', 'value:3']);
    await done;
  });
});
