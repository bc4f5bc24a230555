import { setTimeout as sleep } from 'node:timers/promises';
import { startRedis } from '@fusedis/test-harness';
import { describe, expect, inject, it } from 'vitest';
import { clientCore } from '../../src/client.js';
import {
  type Client,
  ConnectionClosedError,
  createClient,
  InvalidArgumentError,
  ReplyError,
} from '../../src/index.js';
import { createMulti } from '../../src/multi.js';
import { createScript } from '../../src/script.js';
import { ExecAbortError, WatchError } from '../../src/transaction-errors.js';
import { runWatched, type WatchScope } from '../../src/transaction-watch.js';
import { standaloneClients } from '../support/standalone-clients.js';

const open = standaloneClients();

describe.each([2, 3] as const)('transactions over RESP%i', (protocol) => {
  const base = `multi:${protocol}:${process.pid}`;

  it('runs MULTI … EXEC with transforms, a runtime error in place', async () => {
    const client = open(protocol);
    const results = await createMulti(clientCore(client))
      .del(`${base}:h`)
      .hset(`${base}:h`, { a: '1' })
      .hgetall(`${base}:h`)
      .incr(`${base}:h`) // WRONGTYPE at run time: the others still run
      .expire(`${base}:h`, 50)
      .exec();
    expect(results).toHaveLength(5);
    expect(results[1]).toEqual([null, 1]);
    expect({ ...(results[2]?.[1] as object) }).toEqual({ a: '1' });
    expect((results[3]?.[0] as ReplyError | undefined)?.code).toBe('WRONGTYPE');
    expect(results[4]).toEqual([null, true]);
  });

  it("runs thousands at once on the shared connection, none taking in another caller's command", async () => {
    const client = open(protocol);
    const key = `${base}:atomic`;
    await client.del(key);
    // Plain INCRs from the same client between the transactions: had one landed between a
    // transaction's INCR and its GET, the two would differ.
    const plain: Promise<number>[] = [];
    const transactions = Array.from({ length: 3_000 }, (_, i) => {
      if (i % 3 === 0) plain.push(client.incr(key));
      return client.multi().incr(key).get(key).exec();
    });
    const results = await Promise.all(transactions);
    await Promise.all(plain);
    for (const [[, counted], [, read]] of results as [[null, number], [null, string]][]) {
      expect(read).toBe(String(counted));
    }
    const counts = results.map((result) => result[0]?.[1] as number);
    expect(new Set(counts).size).toBe(3_000);
    expect(Number(await client.get(key))).toBe(4_000);
  });

  it('runs while every pooled connection is held by a blocking command', async () => {
    const client = createClient({
      host: inject('servers').standalone.host,
      port: inject('servers').standalone.port,
      protocol,
      pool: { max: 2, acquireTimeout: 1_000 },
    });
    try {
      const controller = new AbortController();
      const held = client.withOptions({ signal: controller.signal });
      const pops = [held.blpop(`${base}:none:1`, 0), held.blpop(`${base}:none:2`, 0)].map((pop) =>
        pop.catch((err: unknown) => err),
      );
      await sleep(50);
      const started = performance.now();
      expect(await client.multi().set(`${base}:busy`, 'v').get(`${base}:busy`).exec()).toEqual([
        [null, 'OK'],
        [null, 'v'],
      ]);
      expect(performance.now() - started).toBeLessThan(500);
      controller.abort();
      await Promise.all(pops);
    } finally {
      await client.disconnect();
    }
  });

  it("takes ioredis's array form: each [name, ...args] as call()", async () => {
    const client = open(protocol);
    const key = `${base}:list-form`;
    const results = await client
      .multi([
        ['set', key, '5'],
        ['incr', key],
      ])
      .get(key)
      .exec();
    expect(results).toEqual([
      [null, 'OK'],
      [null, 6],
      [null, '6'],
    ]);
    await client.del(key);
  });

  it('rejects with ExecAbortError, listing the refused command, and runs nothing', async () => {
    const client = open(protocol);
    await client.set(`${base}:abort`, 'before');
    const tx = createMulti(clientCore(client))
      .set(`${base}:abort`, 'after')
      .call('GET') // wrong arity: refused while queuing
      .get(`${base}:abort`);
    const err = await tx.exec().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecAbortError);
    const abort = err as ExecAbortError;
    expect(abort.code).toBe('EXECABORT');
    expect(abort.errors).toHaveLength(1);
    expect(abort.errors[0]?.index).toBe(1);
    expect(abort.errors[0]?.error).toBeInstanceOf(ReplyError);
    expect((abort.cause as ReplyError).code).toBe('EXECABORT');
    expect(await client.get(`${base}:abort`)).toBe('before');
  });

  it('rejects an argument error before sending anything', async () => {
    const client = open(protocol);
    const tx = createMulti(clientCore(client))
      .set(`${base}:arg`, 'x')
      .hset(`${base}:arg2`, ['odd'] as never);
    await expect(tx.exec()).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await client.exists(`${base}:arg`)).toBe(0);
  });

  it('rejects with signal.reason when aborted before it is sent', async () => {
    const client = open(protocol);
    const reason = new Error('stop');
    const tx = createMulti(clientCore(client)).set(`${base}:ab`, 'x');
    await expect(tx.exec({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(await client.exists(`${base}:ab`)).toBe(0);
  });

  it('discard() drops the queue', async () => {
    const client = open(protocol);
    const tx = createMulti(clientCore(client)).set(`${base}:d`, '1');
    tx.discard();
    expect(tx.length).toBe(0);
    expect(await tx.exec()).toEqual([]);
    expect(await client.exists(`${base}:d`)).toBe(0);
  });

  it('prefixes keys and runs scripts (loaded in the same write) after SCRIPT FLUSH', async () => {
    const client = open(protocol, `${base}:p:`);
    const core = clientCore(client);
    const script = createScript(core, {
      lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])",
      numberOfKeys: 1,
    });
    await client.call('SCRIPT', 'FLUSH');
    await client.del('n');
    const results = await createMulti(core)
      .runScript(script, 'n', 3)
      .runScript(script, 'n', 4)
      .get('n')
      .exec();
    expect(results).toEqual([
      [null, 3],
      [null, 7],
      [null, '7'],
    ]);
    expect(await open(protocol).get(`${base}:p:n`)).toBe('7');
    expect(await client.call('GET', 'n')).toBe('7');
  });

  it('watch(): a concurrent writer makes EXEC fail with WatchError; nothing runs', async () => {
    const client = open(protocol);
    const other = open(protocol);
    const key = `${base}:w`;
    await client.set(key, '10');
    const err = await runWatched(clientCore(client), key, async (tx) => {
      const value = Number(await tx.get(key));
      await other.set(key, '100'); // a second client changes the watched key
      return tx
        .multi()
        .set(key, String(value + 1))
        .exec();
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WatchError);
    expect(await client.get(key)).toBe('100');
  });

  it('watch(): retries rerun the callback, which then succeeds', async () => {
    const client = open(protocol);
    const other = open(protocol);
    const key = `${base}:r`;
    await client.set(key, '1');
    let runs = 0;
    const results = await runWatched(
      clientCore(client),
      [key],
      async (tx) => {
        runs++;
        const value = Number(await tx.get(key));
        if (runs === 1) await other.set(key, '50');
        return tx
          .multi()
          .set(key, String(value * 2))
          .exec();
      },
      { retries: 2 },
    );
    expect(runs).toBe(2);
    expect(results).toEqual([[null, 'OK']]);
    expect(await client.get(key)).toBe('100');
  });

  it('watch(): an unchanged key lets EXEC through, and the scope ends with the callback', async () => {
    const client = open(protocol);
    const key = `${base}:ok`;
    await client.set(key, '5');
    let scope: Parameters<Parameters<typeof runWatched>[2]>[0] | undefined;
    const value = await runWatched(clientCore(client), key, async (tx) => {
      scope = tx;
      const n = Number(await tx.get(key));
      await tx.multi().incrby(key, n).exec();
      return n;
    });
    expect(value).toBe(5);
    expect(await client.get(key)).toBe('10');
    await expect(scope?.get(key)).rejects.toThrow(/scope has ended/);
  });

  it('watch(): WATCH gets the key prefix, so a write to the prefixed key is seen', async () => {
    const client = open(protocol, `${base}:pw:`);
    const other = open(protocol);
    await client.set('k', '1');
    const err = await runWatched(clientCore(client), 'k', async (tx) => {
      await other.set(`${base}:pw:k`, '2');
      return tx.multi().set('k', '3').exec();
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WatchError);
    expect(await other.get(`${base}:pw:k`)).toBe('2');
  });

  it('watch(): more keys with scope.watch(), none after unwatch(), scripts on the scope', async () => {
    const client = open(protocol);
    const other = open(protocol);
    const [a, b] = [`${base}:wa`, `${base}:wb`];
    await client.set(a, '0');
    const late = await runWatched(clientCore(client), [], async (tx) => {
      await tx.watch(a, b);
      await other.set(b, 'changed');
      return tx.multi().get(a).exec();
    }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(WatchError);
    const script = createScript(clientCore(client), {
      lua: "return redis.call('GET', KEYS[1])",
      numberOfKeys: 1,
    });
    await client.call('SCRIPT', 'FLUSH');
    const results = await runWatched(clientCore(client), a, async (tx) => {
      const value = await tx.runScript(script, a);
      await tx.unwatch();
      await other.set(a, 'changed too');
      return tx.multi().set(b, String(value)).exec();
    });
    expect(results).toEqual([[null, 'OK']]);
    expect(await client.get(b)).toBe('0');
  });

  it('returns Buffers with returnBuffers, transforms included', async () => {
    const client = open(protocol);
    const results = await createMulti(clientCore(client), { returnBuffers: true })
      .set(`${base}:buf`, 'bytes')
      .get(`${base}:buf`)
      .hset(`${base}:bufh`, { f: 'v' })
      .hgetall(`${base}:bufh`)
      .exec();
    expect(results[1]).toEqual([null, Buffer.from('bytes')]);
    expect({ ...(results[3]?.[1] as object) }).toEqual({ f: Buffer.from('v') });
  });

  it('watch(): a callback that throws gets its error back, and the pooled connection is unwatched', async () => {
    const client = open(protocol);
    const key = `${base}:throw`;
    await expect(
      runWatched(clientCore(client), key, async () => {
        throw new RangeError('mine');
      }),
    ).rejects.toBeInstanceOf(RangeError);
    // The next transaction leases the same (LIFO) connection: a stale WATCH would abort it.
    await client.set(key, 'changed');
    const results = await createMulti(clientCore(client)).get(key).exec();
    expect(results).toEqual([[null, 'changed']]);
  });
});

describe.each([2, 3] as const)('watch() whose connection closes (RESP%i)', (protocol) => {
  const base = `multi:lost:${protocol}:${process.pid}`;

  /** Closes `scope`'s connection from another client, then waits until the scope has noticed. */
  async function killScope(scope: WatchScope, killer: Client, key: string): Promise<void> {
    const id = await scope.clientId();
    await killer.call('CLIENT', 'KILL', 'ID', String(id));
    while (
      await scope.get(key).then(
        () => true,
        () => false,
      )
    )
      await sleep(5);
  }

  it('runs the scope again when it had sent only reads: its transaction runs once', async () => {
    const client = open(protocol);
    const killer = open(protocol);
    const key = `${base}:reads`;
    await client.set(key, '1');
    let runs = 0;
    const results = await client.watch(key, async (scope) => {
      runs++;
      const value = Number(await scope.get(key));
      if (runs === 1) await killScope(scope, killer, key);
      return scope
        .multi()
        .set(key, String(value + 1))
        .exec();
    });
    expect(runs).toBe(2);
    expect(results).toEqual([[null, 'OK']]);
    expect(await client.get(key)).toBe('2');
  });

  it('does not run it again once it wrote, nor after its transaction ran', async () => {
    const client = open(protocol);
    const killer = open(protocol);
    const key = `${base}:wrote`;
    await client.set(key, '1');
    let runs = 0;
    const wroteFirst = await client
      .watch(key, async (scope) => {
        runs++;
        await scope.incr(`${key}:side`); // a write of its own, outside the transaction
        await killScope(scope, killer, key);
        return scope.multi().set(key, '2').exec();
      })
      .catch((e: unknown) => e);
    expect(wroteFirst).toBeInstanceOf(ConnectionClosedError);
    expect(runs).toBe(1);
    expect(await client.get(`${key}:side`)).toBe('1');

    runs = 0;
    const ranFirst = await client
      .watch(key, async (scope) => {
        runs++;
        const value = Number(await scope.get(key));
        await scope
          .multi()
          .set(key, String(value + 1))
          .exec();
        await killScope(scope, killer, key);
        return scope.get(key); // the connection is gone: this rejects
      })
      .catch((e: unknown) => e);
    expect(ranFirst).toBeInstanceOf(ConnectionClosedError);
    expect(runs).toBe(1);
    expect(await client.get(key)).toBe('2');
    await client.del(key, `${key}:side`);
  });

  it("does not run it again for another client's closed connection", async () => {
    const client = open(protocol);
    const closed = open(protocol);
    await closed.disconnect();
    const key = `${base}:other`;
    let runs = 0;
    const err = await client
      .watch(key, async (scope) => {
        runs++;
        await scope.get(key);
        return closed.get(key); // rejects: that client is closed, the scope's connection is not
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(runs).toBe(1);
  });

  it('does not run it again with replayIdempotent: false', async () => {
    const server = inject('servers').standalone;
    const client = createClient({ host: server.host, port: server.port, protocol, replayIdempotent: false });
    const killer = open(protocol);
    const key = `${base}:noreplay`;
    try {
      let runs = 0;
      const err = await client
        .watch(key, async (scope) => {
          runs++;
          await scope.get(key);
          await killScope(scope, killer, key);
          return scope.multi().set(key, 'v').exec();
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect((err as ConnectionClosedError).written).toBe(false);
      expect(runs).toBe(1);
      expect(await killer.get(key)).toBeNull();
    } finally {
      await client.disconnect();
    }
  });
});

describe('watch() on a standalone server that became a replica', () => {
  it("rejects with the callback's ExecAbortError at once: there is no other node to run it on", async () => {
    const server = await startRedis();
    const client = createClient({ host: server.host, port: server.port });
    try {
      // A replica of a master that cannot be reached: it refuses writes (READONLY) from now on.
      const master = await startRedis();
      await master.stop();
      await client.call('REPLICAOF', master.host, master.port);
      let runs = 0;
      const err = await client
        .watch('multi:replica', async (scope) => {
          runs++;
          return scope.multi().set('multi:replica', 'v').exec();
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExecAbortError);
      expect((err as ExecAbortError).errors[0]?.error.code).toBe('READONLY');
      expect(runs).toBe(1);
    } finally {
      await client.disconnect();
      await server.stop();
    }
  });
});
