import { type LoadingRedis, startLoadingRedis } from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type ClientOptions, createClient } from '../../src/index.js';

// A server whose DEBUG RELOAD answers other clients LOADING for a second or two, as after a
// restart with a large dataset (see the harness's startLoadingRedis).
let loading: LoadingRedis;
let admin: Client;
const opened: Client[] = [];

function open(options: ClientOptions = {}): Client {
  const { host, port } = loading.server;
  const client = createClient({ host, port, ...options });
  opened.push(client);
  return client;
}

beforeAll(async () => {
  loading = await startLoadingRedis();
  const { host, port } = loading.server;
  admin = await createClient({ host, port, readyCheck: false }).connect();
});

afterEach(async () => {
  await loading.idle();
  await Promise.all(opened.splice(0).map((c) => c.disconnect()));
});

afterAll(async () => {
  await admin?.disconnect();
  await loading?.stop();
});

describe.each([2, 3] as const)('a server loading its data, over RESP%i', (protocol) => {
  it('a client that connects meanwhile waits for it (not counted in connectTimeout), then serves', async () => {
    const { done, finished } = await loading.reload();
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
    const { done, finished } = await loading.reload();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    expect(await admin.call('CLIENT', 'KILL', 'ID', id as number)).toBe(1);
    await closed;
    const gets = [client.get('key:1'), client.get('key:2'), client.get('key:3')];
    expect(finished()).toBe(false);
    expect(await Promise.all(gets)).toEqual(['value:1', 'value:2', 'value:3']);
    await done;
  });
});
