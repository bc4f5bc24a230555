import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultProxy, type RedisServer, startFaultProxy, startRedis } from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  type ClientOptions,
  ConnectionClosedError,
  createClient,
  TimeoutError,
} from '../../src/index.js';
import { settleAll, track } from '../support/settle.js';

// A server of our own: INFO commandstats must count only this file's commands.
let server: RedisServer;
let proxy: FaultProxy;
let admin: Client;
const opened: Client[] = [];

function open(options: ClientOptions): Client {
  const client = createClient({ host: proxy.host, port: proxy.port, retryStrategy: () => 10, ...options });
  opened.push(client);
  return client;
}

/** How many times the server ran `name` since the last CONFIG RESETSTAT. */
async function calls(name: string): Promise<number> {
  const info = (await admin.info('commandstats')) as string;
  const match = new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info);
  return match === null ? 0 : Number(match[1]);
}

beforeAll(async () => {
  server = await startRedis();
  proxy = await startFaultProxy({ host: server.host, port: server.port });
  admin = createClient({ host: server.host, port: server.port });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.disconnect()));
  proxy.setMode('pass');
});
afterAll(async () => {
  await admin.quit();
  await proxy.close();
  await server.stop();
});

describe('replay after a lost connection', () => {
  it('replays written idempotent GETs by default: each resolves, writes reject as written, none doubled', async () => {
    await admin.set('replay:value', 'kept');
    await admin.del('replay:list');
    const client = open({});
    await client.connect();
    await admin.call('CONFIG', 'RESETSTAT');
    proxy.setMode('swallow-replies'); // commands run, their replies never come back
    const reads: Promise<PromiseSettledResult<unknown>>[] = [];
    const writes: Promise<PromiseSettledResult<unknown>>[] = [];
    for (let i = 0; i < 1_000; i++) {
      reads.push(track(client.get('replay:value')));
      if (i % 2 === 0) writes.push(track(client.rpush('replay:list', String(i))));
    }
    // Reset only once the server has run them all (their replies swallowed).
    for (let i = 0; i < 200 && ((await calls('get')) < 1_000 || (await calls('rpush')) < 500); i++) {
      await sleep(25);
    }
    expect(await calls('get')).toBe(1_000);
    proxy.resetAll();
    proxy.setMode('pass');
    const readResults = await settleAll(reads, 15_000);
    expect(readResults.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(readResults.every((r) => r.status === 'fulfilled' && r.value === 'kept')).toBe(true);
    const writeResults = await settleAll(writes, 15_000);
    for (const r of writeResults) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(ConnectionClosedError);
      expect(reason).toMatchObject({ written: true });
    }
    // Each GET ran twice (the swallowed run and the replay); each RPUSH exactly once.
    expect(await calls('get')).toBe(2_000);
    expect(await calls('rpush')).toBe(500);
    const list = (await admin.lrange('replay:list', 0, -1)) as string[];
    expect(list).toHaveLength(500);
    expect(new Set(list).size).toBe(500);
    expect(client.offlineQueue.commands).toBe(0);
    await admin.del('replay:value', 'replay:list');
  });

  it('with replayIdempotent: false, written GETs reject with written: true; later ones run', async () => {
    await admin.set('replay:off', 'v');
    const client = open({ replayIdempotent: false });
    await client.connect();
    proxy.setMode('swallow-replies');
    const reads = Array.from({ length: 100 }, () => track(client.get('replay:off')));
    await sleep(50);
    proxy.resetAll();
    proxy.setMode('pass');
    const results = await settleAll(reads, 15_000);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        code: 'ERR_CONNECTION_CLOSED',
        written: true,
      });
    }
    expect(await client.get('replay:off')).toBe('v');
    await admin.del('replay:off');
  });

  it('declares a blackholed link dead after commandTimeout, reconnects, and replays what may be', async () => {
    await admin.set('replay:bh', 'there');
    const client = open({ commandTimeout: 400, connectTimeout: 100, retryStrategy: () => 20 });
    await client.connect();
    const errors: Error[] = [];
    client.on('error', (err) => errors.push(err));
    let closedAt = 0;
    client.on('close', () => {
      if (closedAt !== 0) return;
      closedAt = performance.now();
      // The link comes back shortly after the client gave up on the old one.
      setTimeout(() => proxy.setMode('pass'), 50);
    });
    proxy.setMode('blackhole');
    const started = performance.now();
    const first = Array.from({ length: 50 }, () => track(client.get('replay:bh')));
    await sleep(150);
    const second = Array.from({ length: 50 }, () => track(client.get('replay:bh')));
    const pushes = Array.from({ length: 10 }, (_, i) => track(client.rpush('replay:bh:list', String(i))));
    const [firstResults, secondResults, pushResults] = await Promise.all([
      settleAll(first, 15_000),
      settleAll(second, 15_000),
      settleAll(pushes, 15_000),
    ]);
    // Dead after 400 ms of silence with the first GETs at the head.
    expect(closedAt - started).toBeGreaterThanOrEqual(390);
    expect(closedAt - started).toBeLessThan(700);
    expect(errors[0]?.message).toMatch(/no byte from .* for 400 ms/);
    // The first GETs waited their whole timeout: TimeoutError, as without the detection.
    for (const r of firstResults) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(TimeoutError);
      expect(reason).toMatchObject({ phase: 'command', written: true });
    }
    // The later GETs were still within their timeout: replayed on the new connection.
    expect(secondResults.every((r) => r.status === 'fulfilled' && r.value === 'there')).toBe(true);
    // Written RPUSHes are not replayed.
    for (const r of pushResults) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        code: 'ERR_CONNECTION_CLOSED',
        written: true,
      });
    }
    expect(client.status).toBe('ready');
    expect(await client.get('replay:bh')).toBe('there');
    expect(client.offlineQueue.commands).toBe(0);
    await admin.del('replay:bh', 'replay:bh:list');
  });

  it('keeps a replayed command bound to its AbortSignal', async () => {
    const client = open({ retryStrategy: () => 200 });
    await client.connect();
    proxy.setMode('swallow-replies');
    const controller = new AbortController();
    const read = track(client.withOptions({ signal: controller.signal }).get('replay:abort'));
    await sleep(30);
    proxy.resetAll();
    await sleep(20); // replayed into the offline queue; the reconnect waits 200 ms
    expect(client.offlineQueue.commands).toBe(1);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    const [result] = await settleAll([read], 15_000);
    expect(result).toEqual({ status: 'rejected', reason });
    expect(client.offlineQueue.commands).toBe(0);
  });
});
