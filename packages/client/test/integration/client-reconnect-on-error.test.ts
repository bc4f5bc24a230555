import { type Transport, tcp } from '@fusedis/pool';
import { type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Client,
  type ClientOptions,
  createClient,
  InvalidOptionError,
  ReplyError,
} from '../../src/index.js';

// A failover behind a DNS name: the name (here, the transport's target) moves to the new master,
// and the connection that stays open to the old one gets READONLY for every write.
let first: RedisServer;
let second: RedisServer;
let target: RedisServer;
const opened: Client[] = [];

/** Connects wherever `target` points when each connection is made, as a DNS name would. */
const movingName: Transport = {
  label: 'tcp://moving-name',
  connect: (signal) => tcp({ host: target.host, port: target.port }).connect(signal),
};

function open(options: ClientOptions = {}): Client {
  const client = createClient({ transport: movingName, retryStrategy: () => 20, ...options });
  opened.push(client);
  return client;
}

function admin(server: RedisServer): Client {
  const client = createClient({ host: server.host, port: server.port });
  opened.push(client);
  return client;
}

const onReadOnly = (decision: boolean | 'resend') => (err: ReplyError) =>
  err.code === 'READONLY' ? decision : false;

beforeAll(async () => {
  [first, second] = await Promise.all([startRedis(), startRedis()]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});

beforeEach(async () => {
  // Both masters again, `first` the one the name points at.
  await Promise.all([
    admin(first).call('REPLICAOF', 'NO', 'ONE'),
    admin(second).call('REPLICAOF', 'NO', 'ONE'),
  ]);
  target = first;
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.disconnect()));
});

/** `first` becomes a replica of `second`, and the name now points at `second`. */
async function failOver(): Promise<void> {
  await admin(first).call('REPLICAOF', second.host, String(second.port));
  target = second;
}

describe('reconnectOnError', () => {
  it("'resend' reconnects and sends the refused write again, to the new master", async () => {
    const client = open({ reconnectOnError: onReadOnly('resend') });
    const reconnects: number[] = [];
    client.on('reconnecting', ({ attempt }) => reconnects.push(attempt));
    expect(await client.set('moving', 'before')).toBe('OK');
    await failOver();
    expect(await client.set('moving', 'after')).toBe('OK');
    expect(await admin(second).get('moving')).toBe('after');
    expect(reconnects).toEqual([1]);
    expect(await client.incr('counter')).toBe(1); // served by the new master from now on
  });

  it('retires the connection a queued command was refused on, the very first one included', async () => {
    await admin(first).call('REPLICAOF', second.host, String(second.port));
    let connects = 0;
    // The first connection reaches the old master; every later one the new master.
    const flipping: Transport = {
      label: 'tcp://flipping-name',
      connect: (signal) => {
        const to = connects++ === 0 ? first : second;
        return tcp({ host: to.host, port: to.port }).connect(signal);
      },
    };
    const refusals: string[] = [];
    const client = open({
      transport: flipping,
      reconnectOnError: (err) => {
        refusals.push(err.code);
        return 'resend';
      },
    });
    expect(await client.set('moving', 'queued')).toBe('OK'); // queued before any connection
    expect(connects).toBe(2);
    expect(refusals).toEqual(['READONLY']); // that connection retired at its first refusal
    expect(await admin(second).get('moving')).toBe('queued');
  });

  it('without it, every write keeps failing with READONLY on the old connection', async () => {
    const client = open();
    expect(await client.set('moving', 'before')).toBe('OK');
    await failOver();
    await expect(client.set('moving', 'after')).rejects.toMatchObject({ code: 'READONLY' });
    await expect(client.set('moving', 'again')).rejects.toMatchObject({ code: 'READONLY' });
  });

  it('true reconnects, and the refused command still rejects with its error', async () => {
    const client = open({ reconnectOnError: onReadOnly(true) });
    await client.set('moving', 'before');
    await failOver();
    await expect(client.set('moving', 'refused')).rejects.toMatchObject({ code: 'READONLY' });
    expect(await client.set('moving', 'next')).toBe('OK');
    expect(await admin(second).get('moving')).toBe('next');
  });

  it('a write refused everywhere stops being resent at its timeout, with the error', async () => {
    const client = open({ reconnectOnError: onReadOnly('resend'), commandTimeout: 400 });
    let reconnects = 0;
    client.on('reconnecting', () => reconnects++);
    await client.set('moving', 'before');
    await admin(first).call('REPLICAOF', second.host, String(second.port)); // the name stays
    const started = performance.now();
    await expect(client.set('moving', 'nowhere')).rejects.toMatchObject({ code: 'READONLY' });
    const took = performance.now() - started;
    expect(took).toBeGreaterThan(300);
    expect(took).toBeLessThan(1_500);
    expect(reconnects).toBeGreaterThan(1);
  });

  it('a pipeline with a refused write reconnects; its other replies stay in place', async () => {
    const client = open({ reconnectOnError: onReadOnly(true) });
    await client.set('moving', 'before');
    await failOver();
    const replies = await client.pipeline().get('moving').set('moving', 'refused').exec();
    expect(replies[0]).toEqual([null, 'before']);
    expect(replies[1]?.[0]).toBeInstanceOf(ReplyError);
    expect(await client.set('moving', 'next')).toBe('OK');
  });

  it('a hook that throws is reported on error and decides nothing', async () => {
    const client = open({
      reconnectOnError: () => {
        throw new Error('hook bug');
      },
    });
    const errors: string[] = [];
    client.on('error', (err) => errors.push(err.message));
    await client.set('moving', 'before');
    await failOver();
    await expect(client.set('moving', 'after')).rejects.toMatchObject({ code: 'READONLY' });
    expect(errors).toEqual(['hook bug']);
  });

  it('is refused with a router, and when not a function', () => {
    expect(() =>
      createClient({ cluster: { seeds: ['127.0.0.1:7000'] }, reconnectOnError: () => true }),
    ).toThrow(InvalidOptionError);
    expect(() => createClient({ reconnectOnError: 'yes' as unknown as () => boolean })).toThrow(
      InvalidOptionError,
    );
  });
});
