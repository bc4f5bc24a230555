import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { clientCore } from '../../src/client.js';
import {
  type Client,
  createClient,
  InvalidArgumentError,
  QueueFullError,
  ReplyError,
} from '../../src/index.js';
import { createPubSub, type PubSub } from '../../src/pubsub/pubsub.js';

const server = inject('servers').standalone;
const opened: Client[] = [];
const hubs: PubSub[] = [];

function open(protocol: 2 | 3, extra: { clientName?: string; returnBuffers?: boolean } = {}): Client {
  const client = createClient({ host: server.host, port: server.port, protocol, ...extra });
  opened.push(client);
  return client;
}

function pubsubOf(client: Client): PubSub {
  const hub = createPubSub(clientCore(client));
  hubs.push(hub);
  return hub;
}

afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.close()));
  await Promise.all(opened.splice(0).map((c) => c.disconnect()));
});

/** Polls `check` every 10 ms until it returns true, or fails after `ms`. */
async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A way to run a full GC, and the tags of the objects registered that it collected. */
function garbageWatch(): {
  gc: () => void;
  collected: string[];
  registry: FinalizationRegistry<string>;
} {
  setFlagsFromString('--expose-gc');
  const collected: string[] = [];
  return {
    gc: runInNewContext('gc') as () => void,
    collected,
    registry: new FinalizationRegistry<string>((tag) => collected.push(tag)),
  };
}

describe.each([2, 3] as const)('pub/sub over RESP%i', (protocol) => {
  const base = `ps:${protocol}:${process.pid}`;

  it('delivers to per-channel listeners, then stops after unsubscribe', async () => {
    const hub = pubsubOf(open(protocol));
    const publisher = open(protocol);
    const a: [string, string][] = [];
    const b: string[] = [];
    await hub.subscribe([`${base}:a`, `${base}:b`], (message, channel) => a.push([message, channel]));
    await hub.subscribe(`${base}:b`, (message) => b.push(message));
    expect(await publisher.call('PUBLISH', `${base}:a`, 'one')).toBe(1);
    expect(await publisher.call('PUBLISH', `${base}:b`, 'two')).toBe(1); // one server subscription, two listeners
    await waitFor(() => a.length === 2 && b.length === 1);
    expect(a).toEqual([
      ['one', `${base}:a`],
      ['two', `${base}:b`],
    ]);
    expect(b).toEqual(['two']);
    await hub.unsubscribe(`${base}:a`);
    expect(await publisher.call('PUBLISH', `${base}:a`, 'lost')).toBe(0);
    expect(hub.subscriptions().channels).toEqual([`${base}:b`]);
  });

  it('removes one listener only, and unsubscribes when the last one goes', async () => {
    const hub = pubsubOf(open(protocol));
    const publisher = open(protocol);
    const first: string[] = [];
    const second: string[] = [];
    const one = (m: string): void => void first.push(m);
    const two = (m: string): void => void second.push(m);
    await hub.subscribe(`${base}:l`, one);
    await hub.subscribe(`${base}:l`, two);
    await hub.unsubscribe(`${base}:l`, one);
    expect(await publisher.call('PUBLISH', `${base}:l`, 'x')).toBe(1);
    await waitFor(() => second.length === 1);
    expect(first).toEqual([]);
    await hub.unsubscribe(`${base}:l`, two);
    expect(await publisher.call('PUBLISH', `${base}:l`, 'y')).toBe(0);
  });

  it('iterates messages with for await; leaving the loop unsubscribes', async () => {
    const hub = pubsubOf(open(protocol));
    const publisher = open(protocol);
    const subscription = hub.subscribe(`${base}:it`);
    await subscription.ready;
    for (const n of [1, 2, 3]) await publisher.call('PUBLISH', `${base}:it`, `m${n}`);
    const got: string[] = [];
    for await (const { channel, message } of subscription) {
      expect(channel).toBe(`${base}:it`);
      got.push(message);
      if (got.length === 3) break;
    }
    expect(got).toEqual(['m1', 'm2', 'm3']);
    expect(await publisher.call('PUBSUB', 'NUMSUB', `${base}:it`)).toEqual([`${base}:it`, 0]);
    expect(await subscription.next()).toEqual({ value: undefined, done: true });
  });

  it('ends an iterator when its channel is unsubscribed elsewhere', async () => {
    const hub = pubsubOf(open(protocol));
    const subscription = hub.subscribe(`${base}:end`);
    await subscription.ready;
    const next = subscription.next();
    await hub.unsubscribe(`${base}:end`);
    expect(await next).toEqual({ value: undefined, done: true });
  });

  it('delivers pattern messages with their pattern', async () => {
    const hub = pubsubOf(open(protocol));
    const publisher = open(protocol);
    const got: [string, string, string | undefined][] = [];
    await hub.psubscribe(`${base}:p:*`, (message, channel, pattern) => got.push([message, channel, pattern]));
    await publisher.call('PUBLISH', `${base}:p:x`, 'hi');
    await waitFor(() => got.length === 1);
    expect(got).toEqual([['hi', `${base}:p:x`, `${base}:p:*`]]);
    const iterator = hub.psubscribe(`${base}:q:*`);
    await iterator.ready;
    await publisher.call('PUBLISH', `${base}:q:1`, 'there');
    const { value } = await iterator.next();
    expect(value).toEqual({ channel: `${base}:q:1`, message: 'there', pattern: `${base}:q:*` });
    await iterator.return();
    // Only the first pattern is left (NUMPAT is server-wide: other tests may hold patterns).
    expect(await publisher.call('PUBLISH', `${base}:q:2`, 'nobody')).toBe(0);
    expect(await publisher.call('PUBLISH', `${base}:p:2`, 'still heard')).toBe(1);
  });

  it('delivers sharded messages (SSUBSCRIBE / SPUBLISH)', async () => {
    const hub = pubsubOf(open(protocol));
    const publisher = open(protocol);
    const got: string[] = [];
    await hub.ssubscribe(`${base}:s`, (message) => got.push(message));
    expect(await publisher.call('SPUBLISH', `${base}:s`, 'sharded')).toBe(1);
    await waitFor(() => got.length === 1);
    expect(got).toEqual(['sharded']);
    await hub.sunsubscribe();
    expect(await publisher.call('SPUBLISH', `${base}:s`, 'gone')).toBe(0);
  });

  it('hands Buffers to Buffer subscriptions, byte-exact with returnBuffers', async () => {
    const hub = pubsubOf(open(protocol, { returnBuffers: true }));
    const publisher = open(protocol);
    const bytes = Buffer.from([0xff, 0x00, 0xc3, 0x28]); // not UTF-8
    const asBuffer: Buffer[] = [];
    const asText: string[] = [];
    await hub.subscribe(`${base}:buf`, (message) => asBuffer.push(message), { buffers: true });
    await hub.subscribe(`${base}:buf`, (message) => asText.push(message));
    await publisher.call('PUBLISH', `${base}:buf`, bytes);
    await publisher.call('PUBLISH', `${base}:buf`, 'text');
    await waitFor(() => asBuffer.length === 2 && asText.length === 2);
    expect(asBuffer[0]).toEqual(bytes);
    expect(asBuffer[1]).toEqual(Buffer.from('text'));
    expect(asText[1]).toBe('text');
    const iterator = hub.subscribe(`${base}:buf2`, { buffers: true });
    await iterator.ready;
    await publisher.call('PUBLISH', `${base}:buf2`, bytes);
    expect((await iterator.next()).value?.message).toEqual(bytes);
    await iterator.return();
  });

  it("emits ioredis's message events, with Buffer twins, however the name was subscribed", async () => {
    const client = open(protocol);
    const publisher = open(protocol);
    const heard: unknown[][] = [];
    client.on('message', (channel, message) => heard.push(['message', channel, message]));
    client.on('messageBuffer', (channel, message) => heard.push(['messageBuffer', channel, message]));
    client.on('pmessage', (pattern, channel, message) => heard.push(['pmessage', pattern, channel, message]));
    client.on('pmessageBuffer', (...args) => heard.push(['pmessageBuffer', ...args]));
    client.on('smessage', (channel, message) => heard.push(['smessage', channel, message]));
    await client.subscribe(`${base}:ev`); // as in ioredis
    const own: string[] = [];
    await client.psubscribe(`${base}:evp:*`, (message) => own.push(message));
    await client.ssubscribe(`${base}:evs`).ready;
    await publisher.call('PUBLISH', `${base}:ev`, 'one');
    await publisher.call('PUBLISH', `${base}:evp:x`, 'two');
    await publisher.call('SPUBLISH', `${base}:evs`, 'three');
    await waitFor(() => heard.length === 5 && own.length === 1);
    expect(heard).toEqual([
      ['message', `${base}:ev`, 'one'],
      ['messageBuffer', Buffer.from(`${base}:ev`), Buffer.from('one')],
      ['pmessage', `${base}:evp:*`, `${base}:evp:x`, 'two'],
      ['pmessageBuffer', Buffer.from(`${base}:evp:*`), Buffer.from(`${base}:evp:x`), Buffer.from('two')],
      ['smessage', `${base}:evs`, 'three'],
    ]);
    await client.unsubscribe(`${base}:ev`);
    expect(await publisher.call('PUBLISH', `${base}:ev`, 'gone')).toBe(0);
  });

  it("waits for the server's confirmation when the Subscription itself is awaited, as ioredis's subscribe does", async () => {
    const publisher = open(protocol);
    await publisher.ping(); // connected, so its PUBLISH would overtake a subscribe still on its way
    const client = open(protocol); // not connected yet: its SUBSCRIBE waits for the handshake
    const heard: string[] = [];
    client.on('message', (_channel, message) => heard.push(message));
    const awaited = await client.subscribe(`${base}:awaited`);
    expect(awaited).toBeUndefined(); // not ioredis's count
    expect(await publisher.call('PUBLISH', `${base}:awaited`, 'first')).toBe(1);
    await client.psubscribe(`${base}:awaitedp:*`);
    expect(await publisher.call('PUBLISH', `${base}:awaitedp:x`, 'second')).toBe(1);
    await waitFor(() => heard.length === 1);
    expect(heard).toEqual(['first']);
    // Iterating a subscription still works when it is kept rather than awaited.
    const kept = client.subscribe(`${base}:kept`);
    await kept;
    await publisher.call('PUBLISH', `${base}:kept`, 'third');
    expect((await kept.next()).value).toMatchObject({ channel: `${base}:kept`, message: 'third' });
    await kept.unsubscribe();
  });

  it('lets a Subscription nobody keeps be collected; its channel stays subscribed', async () => {
    const { gc, collected, registry } = garbageWatch();
    const client = open(protocol);
    const publisher = open(protocol);
    const heard: string[] = [];
    client.on('message', (_channel, message) => heard.push(message));
    // ioredis style: subscribe, drop what it returns, listen to the client's events.
    await (() => {
      const dropped = client.subscribe(`${base}:gc`);
      registry.register(dropped, 'subscription');
      return dropped.ready;
    })();
    for (let i = 0; i < 100; i++) await publisher.call('PUBLISH', `${base}:gc`, `m${i}`);
    await waitFor(() => heard.length === 100);
    await waitFor(async () => {
      gc();
      await new Promise((r) => setTimeout(r, 20));
      return collected.length === 1;
    });
    expect(await publisher.call('PUBLISH', `${base}:gc`, 'after')).toBe(1);
    await waitFor(() => heard.at(-1) === 'after');
  });

  it('keeps a Subscription whose next() is awaited, however little else holds it', async () => {
    const { gc, collected, registry } = garbageWatch();
    const client = open(protocol);
    const publisher = open(protocol);
    // `await client.subscribe(ch).next()`: only the promise of the next message is kept.
    const { next } = await (async () => {
      const subscription = client.subscribe(`${base}:one`);
      registry.register(subscription, 'subscription');
      await subscription.ready;
      return { next: subscription.next() };
    })();
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(collected).toEqual([]);
    await publisher.call('PUBLISH', `${base}:one`, 'first');
    expect((await next).value?.message).toBe('first');
  });

  it('ends an iterator past its maxBuffered with QueueFullError, after what it kept', async () => {
    const client = open(protocol);
    const publisher = open(protocol);
    const subscription = client.subscribe(`${base}:max`, { maxBuffered: 2 });
    await subscription.ready;
    for (const m of ['a', 'b', 'c']) await publisher.call('PUBLISH', `${base}:max`, m);
    await waitFor(async () => (await publisher.call('PUBLISH', `${base}:max`, 'probe')) === 0);
    expect((await subscription.next()).value?.message).toBe('a');
    expect((await subscription.next()).value?.message).toBe('b');
    await expect(subscription.next()).rejects.toBeInstanceOf(QueueFullError);
  });

  it("takes ioredis's variadic names, subscribe('a', 'b') and unsubscribe('a', 'b'); refuses a trailing callback", async () => {
    const client = open(protocol);
    const publisher = open(protocol);
    const heard: string[] = [];
    client.on('message', (channel: string, message: string) => heard.push(`${channel}=${message}`));
    const [a, b, c] = [`${base}:va`, `${base}:vb`, `${base}:vc`];
    await client.subscribe(a, b, c).ready;
    expect(await publisher.publish(b, '1')).toBe(1);
    expect(await publisher.publish(c, '2')).toBe(1);
    await waitFor(() => heard.length === 2);
    expect(heard).toEqual([`${b}=1`, `${c}=2`]);
    await client.unsubscribe(a, b);
    expect(await publisher.publish(a, 'x')).toBe(0);
    expect(await publisher.publish(b, 'x')).toBe(0);
    expect(await publisher.publish(c, '3')).toBe(1);
    const withCallback = client.subscribe as unknown as (...args: unknown[]) => unknown;
    expect(() => withCallback(a, b, () => {})).toThrow(InvalidArgumentError);
    const unsubscribeWith = client.unsubscribe as unknown as (...args: unknown[]) => Promise<void>;
    await expect(unsubscribeWith(c, 'd', {})).rejects.toThrow(InvalidArgumentError);
    expect(() => withCallback(a, 5)).toThrow(InvalidArgumentError);
  });

  it('rejects a subscribe the server refuses (ACL) and keeps nothing registered', async () => {
    const admin = open(protocol);
    const user = `psuser${protocol}x${process.pid}`;
    await admin.call(
      'ACL',
      'SETUSER',
      user,
      'on',
      '>secret',
      'resetchannels',
      `&${base}:allowed*`,
      '~*',
      '+@all',
    );
    try {
      const client = createClient({
        host: server.host,
        port: server.port,
        protocol,
        username: user,
        password: 'secret',
      });
      opened.push(client);
      const hub = pubsubOf(client);
      const err = await hub.subscribe(`${base}:forbidden`, () => {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReplyError);
      expect((err as ReplyError).code).toBe('NOPERM');
      expect(hub.subscriptions().channels).toEqual([]);
      const iterator = hub.subscribe(`${base}:forbidden`);
      await expect(iterator.next()).rejects.toBeInstanceOf(ReplyError);
      await expect(iterator.ready).rejects.toBeInstanceOf(ReplyError);
      await expect(hub.subscribe(`${base}:forbidden`)).rejects.toBeInstanceOf(ReplyError); // awaited itself
      // The connection still works for allowed channels.
      const got: string[] = [];
      await hub.subscribe(`${base}:allowed`, (m) => got.push(m));
      await admin.call('PUBLISH', `${base}:allowed`, 'ok');
      await waitFor(() => got.length === 1);
    } finally {
      await admin.call('ACL', 'DELUSER', user);
    }
  });

  it('resubscribes after CLIENT KILL of the subscriber connection', async () => {
    const name = `sub${protocol}x${process.pid}`;
    const client = open(protocol, { clientName: name });
    const hub = pubsubOf(client);
    const admin = open(protocol);
    const got: string[] = [];
    await hub.subscribe(`${base}:k`, (message) => got.push(message));
    await hub.psubscribe(`${base}:kp:*`, (message) => got.push(message));
    const list = String(await admin.call('CLIENT', 'LIST'));
    const line = list.split('\n').find((l) => l.includes(`name=${name} `) && / sub=1 /.test(l));
    const id = line?.match(/^id=(\d+)/)?.[1];
    expect(id).toBeDefined();
    expect(await admin.call('CLIENT', 'KILL', 'ID', id as string)).toBe(1);
    // Publish until the resubscribed connection receives again.
    await waitFor(async () => (await admin.call('PUBLISH', `${base}:k`, 'back')) === 1);
    await waitFor(async () => (await admin.call('PUBLISH', `${base}:kp:1`, 'pattern back')) === 1);
    await waitFor(() => got.includes('back') && got.includes('pattern back'));
  });
});

describe('pub/sub over RESP3 shares the connection', () => {
  it('keeps serving commands on the same connection while subscribed', async () => {
    const client = open(3);
    const hub = pubsubOf(client);
    const publisher = open(3);
    const id = await client.call('CLIENT', 'ID');
    const got: string[] = [];
    await hub.subscribe(`ps:shared:${process.pid}`, (m) => got.push(m));
    await client.set(`ps:shared:${process.pid}:k`, 'v');
    const [value] = await Promise.all([
      client.get(`ps:shared:${process.pid}:k`),
      publisher.call('PUBLISH', `ps:shared:${process.pid}`, 'during'),
    ]);
    expect(value).toBe('v');
    expect(await client.call('CLIENT', 'ID')).toBe(id); // the same connection, no second one
    await waitFor(() => got.length === 1);
    expect(got).toEqual(['during']);
  });

  it('uses a connection of its own over RESP2', async () => {
    const client = open(2);
    const hub = pubsubOf(client);
    await hub.subscribe(`ps:own:${process.pid}`, () => {});
    // The shared connection is not in subscriber mode: plain commands still work.
    expect(await client.call('PING')).toBe('PONG');
    expect(await client.call('PUBSUB', 'NUMSUB', `ps:own:${process.pid}`)).toEqual([
      `ps:own:${process.pid}`,
      1,
    ]);
  });

  it('close() ends waiting iterators; no names is an argument error', async () => {
    const client = open(3);
    const hub = pubsubOf(client);
    const iterator = hub.subscribe(`ps:close:${process.pid}`);
    await iterator.ready;
    const pending = iterator.next();
    await hub.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(() => hub.subscribe([])).toThrow(/at least one/);
    await expect(hub.subscribe([], () => {})).rejects.toThrow(/at least one/);
  });
});
