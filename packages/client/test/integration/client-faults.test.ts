import diagnostics from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultProxy, freePort, startFaultProxy } from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Client,
  ConnectionClosedError,
  createClient,
  QueueFullError,
  RespProtocolError,
  TimeoutError,
} from '../../src/index.js';
import { type FixedPortRedis, fixedPortRedis } from '../support/fixed-port-redis.js';
import { settleAll, track } from '../support/settle.js';

const server = inject('servers').standalone;
const opened: Client[] = [];

function open(options: Parameters<typeof createClient>[0]): Client {
  const client = createClient(options);
  opened.push(client);
  return client;
}

/** The rejection reasons, each checked to say whether its command was written. */
function rejections(results: PromiseSettledResult<unknown>[]): Error[] {
  const errors: Error[] = [];
  for (const r of results) if (r.status === 'rejected') errors.push(r.reason as Error);
  for (const err of errors) {
    expect(err instanceof ConnectionClosedError || err instanceof TimeoutError, String(err)).toBe(true);
    expect(typeof (err as ConnectionClosedError).written).toBe('boolean');
  }
  return errors;
}

let admin: Client;
beforeAll(() => {
  admin = createClient({ host: server.host, port: server.port });
});
afterAll(() => admin.quit());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.disconnect()));
});

describe('client faults', () => {
  let restartable: FixedPortRedis | undefined;
  afterAll(() => restartable?.stop());

  it('settles every command across a server restart mid-load, and serves again afterwards', async () => {
    restartable = await fixedPortRedis(await freePort('127.0.0.1'));
    await restartable.start();
    const client = open({ port: restartable.port, retryStrategy: () => 20, commandTimeout: 5_000 });
    await client.connect();
    const events: string[] = [];
    const delays: unknown[] = [];
    client.on('reconnecting', (info) => {
      events.push('reconnecting');
      delays.push(info);
    });
    client.on('close', () => events.push('close'));
    client.on('ready', () => events.push('ready'));
    const all: Promise<PromiseSettledResult<unknown>>[] = [];
    for (let wave = 0; wave < 60; wave++) {
      for (let i = 0; i < 50; i++) all.push(track(client.incr('faults:restart')));
      if (wave === 20) await restartable.kill();
      if (wave === 35) await restartable.start();
      await sleep(5);
    }
    const results = await settleAll(all);
    const failed = rejections(results);
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(failed.length).toBeGreaterThan(0);
    expect(ok).toBeGreaterThan(0);
    // Commands issued while the server was down waited offline and ran after the restart.
    const duringOutage = results.slice(25 * 50, 26 * 50);
    expect(duringOutage.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(events.slice(0, 2)).toEqual(['close', 'reconnecting']);
    expect(delays[0]).toEqual({ attempt: 1, delay: 20 });
    expect(events.at(-1)).toBe('ready');
    expect(await client.call('PING')).toBe('PONG');
    expect(client.offlineQueue.commands).toBe(0);
  });

  it('holds blocking commands and transactions issued while the server is away until it is back', async () => {
    const away = await fixedPortRedis(await freePort('127.0.0.1'));
    try {
      await away.start();
      const client = open({ port: away.port, retryStrategy: () => 20, commandTimeout: 5_000 });
      const impatient = open({ port: away.port, retryStrategy: () => 20, commandTimeout: 150 });
      await Promise.all([client.connect(), impatient.connect()]);
      await away.kill();
      while (client.status !== 'reconnecting' || impatient.status !== 'reconnecting') await sleep(5);
      // Blocking commands on connections of their own, as ever; but they wait for the server, as
      // offline commands do. A transaction goes in the offline queue, as the shared connection's.
      const popped = client.blpop('faults:away', 0);
      const counted = client.multi().incr('faults:away:n').incr('faults:away:n').exec();
      const late = impatient
        .multi()
        .incr('faults:away:n')
        .exec()
        .catch((e: unknown) => e);
      // A client that never connected waits too (its first command starts the connecting).
      const lazy = open({ port: away.port, retryStrategy: () => 20 });
      const lazyPop = lazy.blpop('faults:away:lazy', 0);
      await sleep(300);
      // Past its client's commandTimeout the wait ends: nothing was sent.
      expect(await late).toMatchObject({ name: 'TimeoutError', phase: 'command', written: false });
      await away.start();
      expect(await counted).toEqual([
        [null, 1],
        [null, 2],
      ]);
      await client.rpush('faults:away', 'job');
      await client.rpush('faults:away:lazy', 'lazy job');
      expect(await popped).toEqual({ key: 'faults:away', element: 'job' });
      expect(await lazyPop).toEqual({ key: 'faults:away:lazy', element: 'lazy job' });
    } finally {
      await away.stop();
    }
  });

  describe('through a fault proxy', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy({ host: server.host, port: server.port });
    });
    afterAll(() => proxy.close());
    afterEach(() => proxy.setMode('pass'));

    it('never duplicates a write when replies are swallowed and the socket is reset during 20,000 RPUSH (GETs mixed in are replayed)', async () => {
      const key = 'faults:rpush';
      const probe = 'faults:rpush:probe';
      await admin.del(key);
      await admin.set(probe, 'probe');
      const client = open({ port: proxy.port, retryStrategy: () => 10, commandTimeout: 10_000 });
      await client.connect();
      let reconnected = false;
      client.on('ready', () => {
        reconnected = true;
      });
      const all: Promise<PromiseSettledResult<unknown>>[] = [];
      // Idempotent reads between the writes: [wave, settled after the reconnect, outcome].
      const reads: Promise<[number, boolean, PromiseSettledResult<unknown>]>[] = [];
      for (let wave = 0; wave < 200; wave++) {
        for (let i = 0; i < 100; i++) {
          all.push(track(client.rpush(key, String(wave * 100 + i))));
          if (i % 10 === 0) reads.push(track(client.get(probe)).then((r) => [wave, reconnected, r]));
        }
        if (wave === 60) proxy.setMode('swallow-replies');
        if (wave === 70) {
          proxy.resetAll();
          proxy.setMode('pass');
        }
        await sleep(1);
      }
      const results = await settleAll(all);
      const failed = rejections(results);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((e) => e instanceof ConnectionClosedError)).toBe(true);
      // Unwritten commands are replayed, so every RPUSH that failed may have run.
      expect(failed.every((e) => (e as ConnectionClosedError).written)).toBe(true);
      // Every GET resolves with the value: those whose replies were swallowed (written in waves
      // 60-70, answered only after the reconnect) were replayed on the new connection.
      const readResults = await Promise.all(reads);
      for (const [, , r] of readResults) expect(r).toEqual({ status: 'fulfilled', value: 'probe' });
      const replayed = readResults.filter(([wave, after]) => wave >= 60 && wave < 70 && after);
      expect(replayed.length).toBeGreaterThan(0);
      const list = (await admin.lrange(key, 0, -1)) as string[];
      await admin.del(key, probe);
      const counts = new Map<string, number>();
      for (const item of list) counts.set(item, (counts.get(item) ?? 0) + 1);
      const duplicates = [...counts.values()].filter((n) => n > 1).length;
      expect(duplicates).toBe(0);
      // Every acknowledged push is in the list exactly once.
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') expect(counts.get(String(i))).toBe(1);
      });
      // A command known not to have been written never ran.
      results.forEach((r, i) => {
        if (r.status === 'rejected' && (r.reason as ConnectionClosedError).written === false) {
          expect(counts.has(String(i))).toBe(false);
        }
      });
    });

    it('resends written idempotent reads after a reset with replayIdempotent (the default), and only those', async () => {
      await admin.set('faults:replay', 'kept');
      await admin.del('faults:replay:list');
      const client = open({ port: proxy.port, retryStrategy: () => 10, replayIdempotent: true });
      await client.connect();
      proxy.setMode('swallow-replies');
      const reads = Array.from({ length: 100 }, () => track(client.get('faults:replay')));
      const writes = Array.from({ length: 100 }, (_, i) =>
        track(client.rpush('faults:replay:list', String(i))),
      );
      await sleep(50);
      proxy.resetAll();
      proxy.setMode('pass');
      const readResults = await settleAll(reads);
      expect(readResults.every((r) => r.status === 'fulfilled' && r.value === 'kept')).toBe(true);
      const writeResults = await settleAll(writes);
      expect(writeResults.every((r) => r.status === 'rejected' && r.reason.written === true)).toBe(true);
      expect(await admin.llen('faults:replay:list')).toBe(100);
      await admin.del('faults:replay', 'faults:replay:list');
    });

    it('settles a pipeline sent in parts across a reset: writes rejected as written, never run twice; reads replayed', async () => {
      const key = 'faults:parts';
      await admin.del(key);
      await admin.set('faults:parts:probe', 'probe');
      const client = open({ port: proxy.port, retryStrategy: () => 10, commandTimeout: 10_000 });
      await client.connect();
      proxy.setMode('swallow-replies');
      const writes = client.pipeline();
      for (let i = 0; i < 5000; i++) writes.rpush(key, String(i)); // five parts of 1,024 or fewer
      const reads = client.pipeline();
      for (let i = 0; i < 3000; i++) reads.get('faults:parts:probe');
      const sizes: number[] = [];
      const onBatch = (message: unknown) => sizes.push((message as { size: number }).size);
      diagnostics.subscribe('fusedis:client:batch', onBatch);
      const [written, read] = [track(writes.exec()), track(reads.exec())];
      diagnostics.unsubscribe('fusedis:client:batch', onBatch);
      expect(sizes).toEqual([1024, 1024, 1024, 1024, 904, 1024, 1024, 952]); // in parts
      await sleep(50);
      proxy.resetAll();
      proxy.setMode('pass');
      const [writeOutcome, readOutcome] = await settleAll([written, read]);
      // RPUSH is not idempotent: written and unanswered, so refused as written, not sent again.
      expect(writeOutcome?.status).toBe('rejected');
      const reason = (writeOutcome as PromiseRejectedResult).reason as ConnectionClosedError;
      expect(reason).toBeInstanceOf(ConnectionClosedError);
      expect(reason.written).toBe(true);
      // GET is: every part is sent again on the new connection and the pipeline resolves.
      expect(readOutcome?.status).toBe('fulfilled');
      const results = (readOutcome as PromiseFulfilledResult<[Error | null, unknown][]>).value;
      expect(results).toHaveLength(3000);
      expect(results.every(([err, value]) => err === null && value === 'probe')).toBe(true);
      const list = (await admin.lrange(key, 0, -1)) as string[];
      expect(new Set(list).size).toBe(list.length); // none ran twice
      expect(await client.ping()).toBe('PONG');
      await admin.del(key, 'faults:parts:probe');
    });

    it('on a corrupt stream, rejects written commands with the RespProtocolError and sends unwritten ones again', async () => {
      await admin.set('faults:corrupt', 'kept');
      const client = open({ port: proxy.port, retryStrategy: () => 10 });
      const channel = `faults:corrupt:${process.pid}`;
      // A listener runs inside the decoder's feed: the GET it issues is still unwritten (waiting
      // for the tick's flush) when the garbage after the message breaks the stream.
      const fromListener: Promise<PromiseSettledResult<unknown>>[] = [];
      await client.subscribe(channel, () => fromListener.push(track(client.get('faults:corrupt'))));
      proxy.setMode('swallow-replies');
      const written = track(client.get('faults:corrupt'));
      await sleep(20);
      const message = `>3\r\n$7\r\nmessage\r\n$${channel.length}\r\n${channel}\r\n$2\r\nhi\r\n`;
      proxy.setMode('pass');
      proxy.injectToClients(Buffer.concat([Buffer.from(message), Buffer.from([0x01, 0x0d, 0x0a])]));
      const [writtenOutcome] = await settleAll([written]);
      // Written, its reply lost in a stream that broke: not sent again (it may be what broke it).
      expect(writtenOutcome?.status).toBe('rejected');
      expect((writtenOutcome as PromiseRejectedResult).reason).toBeInstanceOf(RespProtocolError);
      // Never written: it certainly did not run, so it goes out again after the reconnect.
      expect(fromListener).toHaveLength(1);
      expect(await settleAll(fromListener)).toEqual([{ status: 'fulfilled', value: 'kept' }]);
      expect(await client.ping()).toBe('PONG');
      await admin.del('faults:corrupt');
    });

    it('settles a GET on a blackholed link at the command timeout (not early, at most 300 ms late)', async () => {
      const client = open({ port: proxy.port, commandTimeout: 500 });
      await client.connect();
      proxy.setMode('blackhole');
      const started = performance.now();
      const err = await client.get('faults:blackhole').catch((e: unknown) => e);
      const took = performance.now() - started;
      expect(err).toBeInstanceOf(TimeoutError);
      expect(err).toMatchObject({ phase: 'command', written: true, timeout: 500 });
      // Not early; late only by event-loop lag (CI runs many suites on 2 cores), far from a
      // second timeout period, which a deadline checked only once per period would take.
      expect(took).toBeGreaterThanOrEqual(450);
      expect(took).toBeLessThan(800);
    });
  });

  it('never hands the late reply of a timed-out DEBUG SLEEP to another command (10,000 GETs)', async () => {
    const n = 10_000;
    // Database 5: 10,000 keys must not slow down or skew other files' SCANs of database 0.
    const writer = open({ host: server.host, port: server.port, db: 5 });
    await Promise.all(Array.from({ length: n }, (_, i) => writer.set(`faults:late:${i}`, `value-${i}`)));
    const client = open({ host: server.host, port: server.port, db: 5 });
    await client.connect();
    const err = await client
      .withOptions({ timeout: 100 })
      .call('DEBUG', 'SLEEP', '0.3')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    const gets = Array.from({ length: n }, (_, i) => track(client.get(`faults:late:${i}`)));
    const values = await settleAll(gets);
    let wrong = 0;
    values.forEach((r, i) => {
      if (r.status !== 'fulfilled' || r.value !== `value-${i}`) wrong++;
    });
    expect(wrong).toBe(0);
    await writer.del(Array.from({ length: n }, (_, i) => `faults:late:${i}`));
  });

  it('refuses commands past the offline queue caps with QueueFullError, and keeps memory bounded', async () => {
    const port = await freePort('127.0.0.1'); // nothing listens there
    const client = open({
      port,
      retryStrategy: () => 50,
      maxOfflineCommands: 1_000,
      maxOfflineBytes: 1024 * 1024,
      commandTimeout: 0,
    });
    const queued = Array.from({ length: 1_000 }, (_, i) => track(client.set(`k${i}`, 'v')));
    const refused = await Promise.allSettled(Array.from({ length: 10_000 }, () => client.get('x')));
    expect(refused.every((r) => r.status === 'rejected' && r.reason instanceof QueueFullError)).toBe(true);
    expect((refused[0] as PromiseRejectedResult).reason.message).toMatch(/maxOfflineCommands 1000/);
    expect(client.offlineQueue.commands).toBe(1_000);
    await client.disconnect();
    const results = await settleAll(queued);
    expect(
      results.every(
        (r) =>
          r.status === 'rejected' && r.reason instanceof ConnectionClosedError && r.reason.written === false,
      ),
    ).toBe(true);

    const small = open({ port, retryStrategy: () => 50, maxOfflineBytes: 10_000, commandTimeout: 0 });
    const big = await small.set('big', 'x'.repeat(20_000)).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(QueueFullError);
    expect((big as Error).message).toMatch(/maxOfflineBytes 10000/);
    expect(small.offlineQueue).toEqual({ commands: 0, bytes: 0 });
  });

  it('times out commands waiting offline for a server that does not come back', async () => {
    const port = await freePort('127.0.0.1');
    const client = open({ port, retryStrategy: () => 20, commandTimeout: 200 });
    const started = performance.now();
    const err = await client.get('x').catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ phase: 'command', written: false });
  });

  it('ends when retryStrategy gives up: queued commands reject as not written', async () => {
    const port = await freePort('127.0.0.1');
    let attempts = 0;
    const client = open({ port, retryStrategy: (n) => (n > 2 ? null : 10) });
    client.on('reconnecting', () => attempts++);
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const err = await client.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err).toMatchObject({ written: false });
    expect(attempts).toBe(2);
    expect(errors).toHaveLength(3);
    expect(client.status).toBe('end');
    await expect(client.get('y')).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
