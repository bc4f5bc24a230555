import { type FaultProxy, startFaultProxy } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection, ConnectionClosedError, Pool, type PoolOptions, tcp } from '../../src/index.js';
import { key, Opened, standalone } from './helpers.js';

const opened = new Opened();
const pools: Pool<Connection>[] = [];
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy(standalone());
});
afterAll(async () => {
  for (const pool of pools) await pool.drain();
  // Nothing left open: every pool is empty and the proxy saw every connection go.
  for (const pool of pools)
    expect(pool.stats()).toMatchObject({ open: 0, idle: 0, borrowed: 0, creating: 0 });
  opened.closeAll();
  await proxy.close();
});

/** A pool of real connections (through the fault proxy when asked). */
function connectionPool({
  viaProxy,
  ...options
}: Partial<PoolOptions<Connection>> & { viaProxy?: boolean } = {}): {
  pool: Pool<Connection>;
  created: Connection[];
} {
  // viaProxy is this helper's own: the pool refuses keys it does not know.
  const target = viaProxy === true ? proxy : standalone();
  const created: Connection[] = [];
  const pool = new Pool<Connection>({
    max: 3,
    create: async (signal) => {
      const connection = await Connection.open(
        { transport: tcp({ host: target.host, port: target.port }) },
        signal,
      );
      created.push(connection);
      return connection;
    },
    destroy: (connection) => connection.close(),
    isUsable: (connection) => !connection.closed,
    ...options,
  });
  pools.push(pool);
  return { pool, created };
}

describe('Pool of connections', () => {
  it('runs blocking commands on pooled connections while a shared one keeps serving', async () => {
    const { pool } = connectionPool();
    const shared = await opened.open();
    const list = key('jobs');
    const waiting = [1, 2].map(() =>
      pool.use((connection) => connection.send({ args: ['BLPOP', list, 5], timeout: 0 })),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The shared connection is not stalled by the BLPOPs.
    expect(await shared.send({ args: ['ECHO', 'free'] })).toBe('free');
    expect(pool.stats()).toMatchObject({ borrowed: 2, open: 2 });
    await shared.send({ args: ['RPUSH', list, 'a', 'b'] });
    expect((await Promise.all(waiting)).map((reply) => (reply as string[])[1]).sort()).toEqual(['a', 'b']);
    expect(pool.stats()).toMatchObject({ borrowed: 0, idle: 2 });
  });

  it('destroys a connection that failed while borrowed and hands out a fresh one', async () => {
    const { pool, created } = connectionPool({ viaProxy: true, max: 1 });
    const err = await pool
      .use(async (connection) => {
        const pending = connection.send({ args: ['BLPOP', key('never'), 0], timeout: 0 });
        await new Promise((resolve) => setTimeout(resolve, 30));
        proxy.resetAll();
        return pending;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err).toMatchObject({ written: true });
    expect(created[0]?.closed).toBe(true);
    const reply = await pool.use((connection) => connection.send({ args: ['PING'] }));
    expect(reply).toBe('PONG');
    expect(created).toHaveLength(2);
    expect(pool.stats()).toMatchObject({ open: 1, idle: 1 });
  });

  it('times out acquire on a blackholed server and releases the permit (connect timeout)', async () => {
    proxy.setMode('blackhole');
    try {
      const pool = new Pool<Connection>({
        max: 1,
        acquireTimeout: 2_000,
        create: (signal) =>
          Connection.open(
            { transport: tcp({ host: proxy.host, port: proxy.port }), connectTimeout: 100 },
            signal,
          ),
        destroy: (connection) => connection.close(),
      });
      pools.push(pool);
      await expect(pool.acquire()).rejects.toMatchObject({ phase: 'connect' });
      expect(pool.stats()).toMatchObject({ open: 0, creating: 0, waiting: 0 });
    } finally {
      proxy.setMode('pass');
    }
  });

  it('closes idle connections after idleTimeout and every connection on drain', async () => {
    const { pool, created } = connectionPool({ idleTimeout: 50 });
    const leases = [await pool.acquire(), await pool.acquire()];
    for (const lease of leases) pool.release(lease);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(pool.stats()).toMatchObject({ open: 0, idle: 0 }); // evicted, and their closes started
    for (let i = 0; i < 100 && !created.every((connection) => connection.closed); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(created.every((connection) => connection.closed)).toBe(true);
    expect(pool.stats()).toMatchObject({ open: 0, idle: 0 });
    const lease = await pool.acquire();
    const drained = pool.drain();
    pool.release(lease);
    await drained;
    expect(lease.resource.closed).toBe(true);
  });
});
