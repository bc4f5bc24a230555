import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { StandaloneRouter } from '@fusedis/router';
import { startRedis } from '@fusedis/test-harness';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import {
  type Client,
  ConnectionClosedError,
  createClient,
  InvalidArgumentError,
  InvalidOptionError,
  NativeCodecUnavailableError,
  QueueFullError,
  ReplyError,
  TimeoutError,
  UnsupportedByRouterError,
} from '../../src/index.js';

const server = inject('servers').standalone;
const url = `redis://${server.host}:${server.port}`;
const opened: Client[] = [];

function open(options: Parameters<typeof createClient>[0] = url): Client {
  const client = createClient(options);
  opened.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.disconnect()));
});

describe.each([2, 3] as const)('client over RESP%i', (protocol) => {
  it('connects lazily on the first command, then reads back what it wrote', async () => {
    const client = open({ host: server.host, port: server.port, protocol });
    expect(client.status).toBe('wait');
    const key = `client:${protocol}:lazy`;
    const set = client.set(key, 'héllo');
    expect(client.status).toBe('connecting');
    expect(await set).toBe('OK');
    expect(client.status).toBe('ready');
    expect(client.protocol).toBe(protocol);
    expect(await client.get(key)).toBe('héllo');
    expect(await client.get(`${key}:missing`)).toBeNull();
  });

  it('shapes replies with the spec transform for the negotiated protocol', async () => {
    const client = open({ host: server.host, port: server.port, protocol });
    const key = `client:${protocol}:hash`;
    await client.del(key);
    await client.hset(key, 'a', '1', 'b', '2');
    const all = await client.hgetall(key);
    expect({ ...all }).toEqual({ a: '1', b: '2' });
  });

  it('returns Buffers per call through withOptions and per client through returnBuffers', async () => {
    const client = open({ host: server.host, port: server.port, protocol });
    const key = `client:${protocol}:buffers`;
    await client.set(key, 'bytes');
    expect(await client.withOptions({ returnBuffers: true }).get(key)).toEqual(Buffer.from('bytes'));
    expect(await client.get(key)).toBe('bytes');
    const buffers = open({ host: server.host, port: server.port, protocol, returnBuffers: true });
    expect(await buffers.get(key)).toEqual(Buffer.from('bytes'));
    expect(await buffers.withOptions({ returnBuffers: false }).get(key)).toBe('bytes');
    // A command that fixes its own mode keeps it in any view: DUMP's bytes stay bytes.
    const dumped = await client.withOptions({ returnBuffers: false }).dump(key);
    expect(Buffer.isBuffer(dumped)).toBe(true);
    await client.del(key);
    await client.restore(key, 0, dumped as Buffer);
    expect(await client.get(key)).toBe('bytes');
  });
});

describe('client', () => {
  it('connect() and ready resolve once the handshake is done; events come in order', async () => {
    const client = open(url);
    const events: string[] = [];
    client.on('connect', () => events.push('connect')).on('ready', () => events.push('ready'));
    client.on('end', () => events.push('end'));
    expect([client.isOpen, client.isReady]).toEqual([false, false]);
    const connecting = client.connect();
    expect([client.isOpen, client.isReady]).toEqual([true, false]);
    expect(await connecting).toBe(client); // node-redis: const client = await createClient().connect()
    expect(await client.ready).toBe(client);
    expect(client.status).toBe('ready');
    expect([client.isOpen, client.isReady]).toEqual([true, true]);
    await client.quit();
    expect(events).toEqual(['connect', 'ready', 'end']);
    expect(client.status).toBe('end');
    expect([client.isOpen, client.isReady]).toEqual([false, false]);
  });

  it('quit() lets commands already sent finish; later commands reject as not written', async () => {
    const client = open(url);
    const replies = Array.from({ length: 100 }, (_, i) => client.set(`client:quit:${i}`, String(i)));
    const quitting = client.quit();
    await expect(client.get('client:quit:0')).rejects.toMatchObject({ written: false });
    await quitting;
    expect(await Promise.all(replies)).toEqual(Array(100).fill('OK'));
  });

  it('disconnect() rejects what is pending with ConnectionClosedError', async () => {
    const client = open(url);
    await client.connect();
    const pending = client.call('DEBUG', 'SLEEP', '0.2');
    const unwritten = client.get('client:never-written');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late = client.get('client:never-written');
    await client.disconnect();
    // Issued in the same tick as disconnect(): never written, safe to retry.
    await expect(late).rejects.toMatchObject({ written: false });
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as ConnectionClosedError).written).toBe(true);
    await expect(unwritten).rejects.toMatchObject({ written: true });
  });

  it('disconnect() during a graceful quit() cuts it short', async () => {
    const client = open(url);
    await client.connect();
    const sleeping = client.call('DEBUG', 'SLEEP', '0.5');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const quitting = client.quit();
    const started = performance.now();
    await client.disconnect();
    await quitting;
    // Well before the DEBUG SLEEP would answer (~480 ms from here), which a quit() waits for.
    expect(performance.now() - started).toBeLessThan(400);
    await expect(sleeping).rejects.toMatchObject({ written: true });
    expect(client.status).toBe('end');
  });

  it('call() sends any command and surfaces server errors as ReplyError', async () => {
    const client = open(url);
    expect(await client.call('ECHO', 'hi')).toBe('hi');
    await client.set('client:call:str', 'x');
    const err = await client.call('LPUSH', 'client:call:str', 'y').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect((err as ReplyError).code).toBe('WRONGTYPE');
    expect(await client.call('PING')).toBe('PONG');
  });

  it("refuses an option its command does not know, and ioredis's flat tokens, sending nothing (either would store no expiry)", async () => {
    const client = open(url);
    const key = 'client:options:typo';
    await client.del(key);
    const typo = { ex: 10 } as never;
    await expect(client.set(key, 'v', typo)).rejects.toThrow(
      new InvalidArgumentError('set: unknown option ex (the option is EX)'),
    );
    const [inPipeline] = await client.pipeline().set(key, 'v', typo).exec();
    expect(inPipeline?.[0]).toBeInstanceOf(InvalidArgumentError);
    await expect(client.multi().set(key, 'v', typo).exec()).rejects.toThrow(InvalidArgumentError);
    // ioredis's flat tokens would be read as no options: refused as well, nothing sent.
    const tokens = ['EX', 10] as unknown as [];
    await expect(client.set(key, 'v', ...tokens)).rejects.toThrow(/^set: argument 3 must be an object/);
    const [tokensInPipeline] = await client
      .pipeline()
      .set(key, 'v', ...tokens)
      .exec();
    expect(tokensInPipeline?.[0]).toBeInstanceOf(InvalidArgumentError);
    expect(await client.exists(key)).toBe(0);
    expect(await client.set(key, 'v', { EX: 10 })).toBe('OK');
    expect(await client.ttl(key)).toBeGreaterThan(0);
  });

  it('refuses a bad argument of a command issued before the connection opens with InvalidArgumentError, for that command alone', async () => {
    for (const autoPipelining of [true, false]) {
      const client = open({ url, autoPipelining }); // not connected yet: the calls wait in the offline queue
      const key = `client:offline:bad:${autoPipelining}`;
      const settled = await Promise.allSettled([
        client.set(key, '1'),
        client.set(key, undefined as never),
        client.incr(key),
      ]);
      expect(settled[0]).toEqual({ status: 'fulfilled', value: 'OK' });
      expect(settled[1]).toMatchObject({ status: 'rejected', reason: expect.any(InvalidArgumentError) });
      // Named by the command, not by its place in the batch the queue flushed ("command 1, …").
      expect((settled[1] as PromiseRejectedResult).reason.message).toBe(
        'SET: argument 2 is undefined; expected a string, number, bigint or Uint8Array',
      );
      expect(settled[2]).toEqual({ status: 'fulfilled', value: 2 });
    }
  });

  it('refuses a key that is not one (null from JavaScript) with InvalidArgumentError under a key prefix too', async () => {
    const client = open({ url, keyPrefix: 'app:' });
    const bad = client.set(null as never, 'v'); // a promise, not a TypeError thrown by the method
    await expect(bad).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.get(undefined as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    const [inPipeline] = await client
      .pipeline()
      .get({} as never)
      .exec();
    expect(inPipeline?.[0]).toBeInstanceOf(InvalidArgumentError);
    expect(await client.set('client:prefix:after-bad', 'ok')).toBe('OK');
  });

  it("refuses arguments past a command's last parameter (ioredis's lpop(key, 2)), popping nothing", async () => {
    const client = open(url);
    const key = 'client:arity:list';
    await client.del(key);
    await client.rpush(key, 'a', 'b', 'c');
    const popTwo = client.lpop as unknown as (key: string, count: number) => Promise<unknown>;
    await expect(popTwo.call(client, key, 2)).rejects.toThrow(/^lpop: takes at most 1 argument, got 2/);
    expect(await client.llen(key)).toBe(3);
    expect(await client.lpopCount(key, 2)).toEqual(['a', 'b']);
  });

  it('applies the key prefix to keys only, for typed methods', async () => {
    const client = open({ url, keyPrefix: 'app:' });
    const plain = open(url);
    await client.set('client:prefix', 'v');
    expect(await plain.get('app:client:prefix')).toBe('v');
    expect(await client.get('client:prefix')).toBe('v');
    await client.set(Buffer.from('client:prefix:buf'), 'b');
    expect(await plain.get('app:client:prefix:buf')).toBe('b');
    expect(inspect(client)).toContain('keyPrefix: "app:"');
  });

  it('duplicate() makes an independent client with the same options and overrides', async () => {
    const client = open({ url, db: 1 });
    await client.set('client:dup', 'in-db-1');
    const copy = client.duplicate();
    opened.push(copy);
    expect(await copy.get('client:dup')).toBe('in-db-1');
    const other = client.duplicate({ db: 2 });
    opened.push(other);
    expect(await other.get('client:dup')).toBeNull();
    await client.quit();
    expect(await copy.get('client:dup')).toBe('in-db-1');
  });

  it('runs blocking commands on a pooled connection while the shared one keeps serving', async () => {
    const client = open(url);
    const key = 'client:blocking';
    await client.del(key);
    const popped = client.blpop([key], 5);
    for (let i = 0; i < 20; i++) expect(await client.call('PING')).toBe('PONG');
    expect(client.poolStats().borrowed).toBe(1);
    await client.rpush(key, 'item');
    expect(await popped).toEqual({ key, element: 'item' });
    const viaCall = client.call('BLPOP', key, '0.05');
    expect(await client.get('client:nothing')).toBeNull();
    expect(await viaCall).toBeNull();
    await client.quit();
    expect(client.poolStats().open).toBe(0);
  });

  it('applies a per-call timeout from withOptions, and the late reply reaches nobody', async () => {
    const client = open(url);
    await client.set('client:timeout', 'ok');
    const err = await client
      .withOptions({ timeout: 50 })
      .call('DEBUG', 'SLEEP', '0.2')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ phase: 'command', written: true });
    expect(await client.get('client:timeout')).toBe('ok');
  });

  it('rejects with signal.reason when a withOptions signal aborts', async () => {
    const client = open(url);
    await client.connect();
    const controller = new AbortController();
    const pending = client.withOptions({ signal: controller.signal }).call('DEBUG', 'SLEEP', '0.1');
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(await client.call('PING')).toBe('PONG');
  });

  it('publishes diagnostics only to subscribers, with secrets redacted', async () => {
    const client = open(url);
    const seen: unknown[] = [];
    const onMessage = (message: unknown): void => {
      seen.push(message);
    };
    subscribe('fusedis:client:command', onMessage);
    subscribe('fusedis:client:connect', onMessage);
    try {
      await client.get('client:diag');
      // A missing key: the server answers NOKEY at once, without connecting to the target.
      await client.call('MIGRATE', '127.0.0.1', 1, 'client:diag:none', 0, 100, 'AUTH', 'secret-word');
    } finally {
      unsubscribe('fusedis:client:command', onMessage);
      unsubscribe('fusedis:client:connect', onMessage);
    }
    expect(seen).toContainEqual(expect.objectContaining({ name: 'GET', args: ['GET', 'client:diag'] }));
    expect(seen).toContainEqual(expect.objectContaining({ ok: true, protocol: 3 }));
    expect(seen).toContainEqual(expect.objectContaining({ name: 'MIGRATE' }));
    expect(JSON.stringify(seen)).not.toContain('secret-word');
  });

  it('says which decoder it uses and why', async () => {
    const env = process.env.FUSEDIS_DECODER;
    const js = open({ url, decoder: 'js' });
    await js.connect();
    expect(js.decoderInfo).toEqual(
      env === 'native'
        ? { kind: 'native', reason: 'FUSEDIS_DECODER=native', graphDecoder: 'native' }
        : { kind: 'js', reason: env === 'js' ? 'FUSEDIS_DECODER=js' : "decoder: 'js'", graphDecoder: 'js' },
    );
    const auto = open(url);
    await auto.set('client:decoder', 'same bytes');
    expect(['js', 'native', 'auto']).toContain(auto.decoderInfo?.kind);
    expect(await auto.get('client:decoder')).toBe('same bytes');
  });

  it("with decoder: 'native', uses the addon when it loads and ends with NativeCodecUnavailableError when not", async () => {
    const nativeLoads = await import('@fusedis/native-codec').then(
      () => true,
      () => false,
    );
    const saved = process.env.FUSEDIS_DECODER;
    delete process.env.FUSEDIS_DECODER;
    try {
      const client = open({ url, decoder: 'native' });
      if (nativeLoads) {
        expect(await client.set('client:native', 'ok')).toBe('OK');
        expect(client.decoderInfo?.kind).toBe('native');
      } else {
        await expect(client.get('x')).rejects.toBeInstanceOf(NativeCodecUnavailableError);
        expect(client.status).toBe('end');
      }
    } finally {
      if (saved !== undefined) process.env.FUSEDIS_DECODER = saved;
    }
  });

  it('connects over a Unix socket from a unix:// URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fusedis-unix-'));
    const socketPath = join(dir, 'redis.sock');
    const unixServer = await startRedis({ args: ['--unixsocket', socketPath, '--unixsocketperm', '700'] });
    try {
      const client = open(`unix://${socketPath}?db=3`);
      expect(await client.set('client:unix', 'via socket')).toBe('OK');
      expect(await client.call('CLIENT', 'INFO')).toMatch(/db=3/);
      await client.quit();
    } finally {
      await unixServer.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('caps commands in flight with maxInFlight: past it, QueueFullError and nothing written', async () => {
    const client = open({ url, maxInFlight: 10 });
    await client.connect();
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => client.call('PING')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(15);
    expect(refused.every((r) => r.reason instanceof QueueFullError)).toBe(true);
    expect(await client.call('PING')).toBe('PONG');
  });

  it('refuses bad options up front', () => {
    expect(() => createClient({ commandTimeout: -1 })).toThrow(InvalidOptionError);
    expect(() => createClient('http://localhost')).toThrow(InvalidOptionError);
  });
});

describe('connect() after the client ended', () => {
  it('opens again, as ioredis and node-redis do, after quit(), disconnect() and a retryStrategy that gave up', async () => {
    const client = open(url);
    await client.set('reopen:k', '1');
    await client.quit();
    expect(client.status).toBe('end');
    // A command does not open it again: only connect() does.
    await expect(client.get('reopen:k')).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(await client.connect()).toBe(client);
    expect(client.status).toBe('ready');
    expect(await client.get('reopen:k')).toBe('1');
    expect(await client.blpop('reopen:none', 0.05)).toBeNull(); // the pool of dedicated connections, anew
    const got: string[] = [];
    await client.subscribe('reopen:ch', (message) => got.push(message)); // the pub/sub, anew
    expect(await client.publish('reopen:ch', 'hi')).toBe(1);
    await client.disconnect();
    await client.connect();
    expect(await client.incr('reopen:n')).toBeGreaterThan(0);
    expect(got).toEqual(['hi']);
    await client.del('reopen:k', 'reopen:n');
    const gaveUp = open({ host: server.host, port: 1, retryStrategy: () => null });
    await expect(gaveUp.connect()).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(gaveUp.status).toBe('end');
    await expect(gaveUp.connect()).rejects.toBeInstanceOf(ConnectionClosedError); // tries again, gives up again
  });
});

describe("ioredis's container commands (config, client, object…)", () => {
  it('send the subcommand and its arguments as call() would, reply untouched, keys prefixed', async () => {
    const client = open({ url, keyPrefix: 'box:' });
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(
      client.protocol === 3 ? { 'maxmemory-policy': 'noeviction' } : ['maxmemory-policy', 'noeviction'],
    );
    expect(await client.client('SETNAME', 'container-test')).toBe('OK');
    expect(await client.client('GETNAME')).toBe('container-test');
    await client.rpush('list', 'a');
    // OBJECT ENCODING's key takes the prefix: the list is box:list.
    expect(await client.object('ENCODING', 'list')).toBe('listpack');
    expect(await client.call('EXISTS', 'box:list')).toBe(0); // call() prefixes its keys too: box:box:list
    expect(typeof (await client.memory('USAGE', 'list'))).toBe('number');
    expect(await client.pipeline().object('ENCODING', 'list').config('GET', 'nonexistent-x').exec()).toEqual([
      [null, 'listpack'],
      [null, client.protocol === 3 ? {} : []],
    ]);
    expect(await client.multi().object('REFCOUNT', 'list').exec()).toEqual([[null, 1]]);
    expect(await client.watch('list', (scope) => scope.object('ENCODING', 'list'))).toBe('listpack');
    await expect(client.command('NOSUCHSUB')).rejects.toBeInstanceOf(ReplyError);
    await client.del('list');
  });
});

describe('nodes() on one server', () => {
  it('is the client itself, for every role the server has (ROLE), and none for another', async () => {
    const client = open(url);
    expect(await client.nodes()).toEqual([client]);
    expect(await client.nodes('master')).toEqual([client]);
    expect(await client.nodes('replica')).toEqual([]);
    expect(await client.nodes('slave')).toEqual([]);
    await expect(client.nodes('all ' as 'all')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('is refused with UnsupportedByRouterError by a router that does not list its nodes (and pub/sub by a router instance)', async () => {
    const router = new StandaloneRouter({ address: { host: server.host, port: server.port } });
    const client = open({ router });
    expect(await client.ping()).toBe('PONG');
    await expect(client.nodes('master')).rejects.toBeInstanceOf(UnsupportedByRouterError);
    // Its connections hand pushes elsewhere: a confirmed subscription would lose every message.
    await expect(Promise.resolve(client.subscribe('nodes:ch'))).rejects.toBeInstanceOf(
      UnsupportedByRouterError,
    );
    // quit() closed the router it was given: it cannot open again.
    await client.quit();
    await expect(client.connect()).rejects.toThrow(/router instance cannot open again/);
  });
});

describe('client with an ACL user', () => {
  const admin = createClient(url);
  afterAll(async () => {
    await admin.call('ACL', 'DELUSER', 'limited').catch(() => {});
    await admin.quit();
  });

  it('surfaces NOPERM as a ReplyError, keeps the connection, and never shows the password', async () => {
    await admin.call(
      'ACL',
      'SETUSER',
      'limited',
      'on',
      '>s3cret-pass',
      '~allowed:*',
      '+get',
      '+set',
      '+ping',
      '+hello',
      '+client',
      '+select',
    );
    const client = open(`redis://limited:s3cret-pass@${server.host}:${server.port}`);
    expect(await client.set('allowed:x', '1')).toBe('OK');
    const err = await client.set('forbidden:x', '1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect((err as ReplyError).code).toBe('NOPERM');
    expect(await client.get('allowed:x')).toBe('1');
    const shown = inspect(client, { depth: 10, showHidden: false });
    expect(shown).not.toContain('s3cret-pass');
    expect(JSON.stringify(client)).not.toContain('s3cret-pass');
    const wrong = open({
      url: `redis://limited:wrong@${server.host}:${server.port}`,
      retryStrategy: () => null,
    });
    const refused = await wrong.get('allowed:x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionClosedError);
    expect(String((refused as Error).message)).not.toContain('wrong@');
    expect(wrong.status).toBe('end');
  });
});
