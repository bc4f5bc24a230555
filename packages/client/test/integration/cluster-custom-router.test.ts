import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection } from '@fusedis/pool';
import type { Command, CommandArg } from '@fusedis/resp';
import {
  type DispatchOptions,
  keySlot,
  type NodeAddress,
  type Router,
  StandaloneRouter,
} from '@fusedis/router';
import { serverCommand, startRedis } from '@fusedis/test-harness';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type Client, createClient, InvalidOptionError, UnsupportedByRouterError } from '../../src/index.js';

const server = inject('servers').standalone;
const address = { host: server.host, port: server.port };
const opened: Client[] = [];
const base = `custom-router:${process.pid}`;

afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((c) => c.quit()));
});

/** Counts every command that goes through it, on the way to a StandaloneRouter. */
class CountingRouter implements Router {
  readonly inner: StandaloneRouter;
  readonly names: string[] = [];
  dedicated = 0;
  closed = false;

  constructor(inner: StandaloneRouter) {
    this.inner = inner;
  }

  dispatch(cmd: Command, options?: DispatchOptions): Promise<unknown> {
    this.names.push(String(cmd.args[0]));
    return this.inner.dispatch(cmd, options);
  }

  dispatchMany(cmds: readonly Command[], options?: DispatchOptions): Promise<unknown[]> {
    for (const cmd of cmds) this.names.push(String(cmd.args[0]));
    return this.inner.dispatchMany(cmds, options);
  }

  withDedicated<R>(
    keys: readonly CommandArg[],
    fn: (connection: Connection) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    this.dedicated++;
    return this.inner.withDedicated(keys, fn, signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inner.close();
  }
}

describe('createClient({ router }): a router of your own', () => {
  it('sends every command, pipeline and transaction through the given router, and closes it', async () => {
    const router = new CountingRouter(new StandaloneRouter({ address }));
    const client = createClient({ router });
    opened.push(client);
    expect(await client.set(`${base}:a`, '1')).toBe('OK');
    expect(await client.get(`${base}:a`)).toBe('1');
    await Promise.all([client.incr(`${base}:n`), client.incr(`${base}:n`)]);
    const piped = await client.pipeline().get(`${base}:n`).del(`${base}:n`).exec();
    expect(piped).toEqual([
      [null, '2'],
      [null, 1],
    ]);
    const tx = await client.multi().set(`${base}:t`, 'x').get(`${base}:t`).exec();
    expect(tx).toEqual([
      [null, 'OK'],
      [null, 'x'],
    ]);
    expect(router.dedicated).toBe(1);
    expect(await client.del(`${base}:a`, `${base}:t`)).toBe(2);
    expect(router.names).toEqual(['SET', 'GET', 'INCR', 'INCR', 'GET', 'DEL', 'DEL']);
    await client.quit();
    expect(router.closed).toBe(true);
    expect(client.status).toBe('end');
    expect(() => client.duplicate()).toThrow(InvalidOptionError);
  });

  it('builds the router from a function given the client’s connection options (auth, pushes)', async () => {
    let made: CountingRouter | undefined;
    const client = createClient({
      clientName: 'custom-router-test',
      router: (connection) => {
        made = new CountingRouter(new StandaloneRouter({ address, connection }));
        return made;
      },
    });
    opened.push(client);
    expect(await client.call('CLIENT', 'GETNAME')).toBe('custom-router-test');
    // The client's push listener came with the options: RESP3 pub/sub works through the router.
    const got: string[] = [];
    await client.subscribe(`${base}:ch`, (message) => got.push(message));
    const publisher = createClient({ host: server.host, port: server.port });
    opened.push(publisher);
    expect(await publisher.publish(`${base}:ch`, 'hi')).toBe(1);
    for (let i = 0; got.length === 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['hi']);
    expect(made?.names).toContain('SUBSCRIBE');
  });

  it('refuses a transaction on a router without withDedicated, and bad combinations of options', async () => {
    const inner = new StandaloneRouter({ address });
    const bare: Router = {
      dispatch: (cmd, options) => inner.dispatch(cmd, options),
      dispatchMany: (cmds, options) => inner.dispatchMany(cmds, options),
      close: () => inner.close(),
    };
    const client = createClient({ router: bare });
    opened.push(client);
    await expect(client.multi().get(`${base}:x`).exec()).rejects.toBeInstanceOf(UnsupportedByRouterError);
    expect(() => createClient({ router: bare, cluster: { seeds: ['redis://127.0.0.1:7000'] } })).toThrow(
      InvalidOptionError,
    );
    expect(() => createClient({ cluster: { seeds: [] } })).toThrow(InvalidOptionError);
    expect(() => createClient({ cluster: { seeds: 'redis://127.0.0.1:7000' }, db: 2 })).toThrow(
      InvalidOptionError,
    );
    expect(() => createClient({ sentinel: { sentinels: ['127.0.0.1:26379'], masterName: '' } })).toThrow(
      InvalidOptionError,
    );
    expect(() => createClient({ router: {} as Router })).toThrow(InvalidOptionError);
  });

  it('runs @fusedis/router README’s ShardedRouter behind createClient over two servers', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../router/README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('class ShardedRouter');
    const folder = join(import.meta.dirname, '.generated');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'sharded-router.ts');
    writeFileSync(file, example as string);
    const { ShardedRouter } = (await import(pathToFileURL(file).href)) as {
      ShardedRouter: new (addresses: readonly NodeAddress[]) => Router;
    };
    const servers = await Promise.all([startRedis(), startRedis()]);
    try {
      const client = createClient({
        router: new ShardedRouter(servers.map((s) => ({ host: s.host, port: s.port }))),
      });
      opened.push(client);
      const keys = Array.from({ length: 200 }, (_, i) => `sharded:${i}`);
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.set(key, key.toUpperCase());
      expect((await pipeline.exec()).every(([err, ok]) => err === null && ok === 'OK')).toBe(true);
      expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys.map((k) => k.toUpperCase()));
      for (const key of keys.slice(0, 20)) {
        const home = servers[keySlot(key) % 2];
        const other = servers[(keySlot(key) + 1) % 2];
        expect(await serverCommand(home?.port as number, 'GET', key)).toBe(key.toUpperCase());
        expect(await serverCommand(other?.port as number, 'EXISTS', key)).toBe('0');
      }
      await client.quit();
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
