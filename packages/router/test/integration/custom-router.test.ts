import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from '@fusedis/resp';
import { type RedisServer, serverCommand, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot, type NodeAddress, type Router } from '../../src/index.js';

// The README's custom router is code users copy: this test runs it as written.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];

let servers: RedisServer[];
beforeAll(async () => {
  servers = await Promise.all([startRedis(), startRedis()]);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

describe('README custom router (client-side sharding by key slot)', () => {
  it('puts each key on the server its slot names, and pipelines come back in order', async () => {
    expect(example, 'the README has a ```ts example').toBeDefined();
    const folder = join(import.meta.dirname, '.generated');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'custom-router.ts');
    writeFileSync(file, example as string);
    const { ShardedRouter } = (await import(pathToFileURL(file).href)) as {
      ShardedRouter: new (addresses: readonly NodeAddress[]) => Router;
    };
    const router = new ShardedRouter(servers.map((s) => ({ host: s.host, port: s.port })));
    try {
      const keys = Array.from({ length: 200 }, (_, i) => `shard:${i}`);
      const sets: Command[] = keys.map((key) => ({ args: ['SET', key, key.toUpperCase()], keyIndexes: [1] }));
      expect(await router.dispatchMany(sets)).toEqual(keys.map(() => 'OK'));
      for (const key of keys.slice(0, 20)) {
        const home = servers[keySlot(key) % 2] as RedisServer;
        const other = servers[(keySlot(key) + 1) % 2] as RedisServer;
        expect(await serverCommand(home.port, 'GET', key)).toBe(key.toUpperCase());
        expect(await serverCommand(other.port, 'EXISTS', key)).toBe('0');
      }
      const gets: Command[] = keys.map((key) => ({ args: ['GET', key], keyIndexes: [1] }));
      expect(await router.dispatchMany(gets)).toEqual(keys.map((key) => key.toUpperCase()));
      expect(await router.dispatch({ args: ['GET', 'shard:7'], keyIndexes: [1] })).toBe('SHARD:7');
      await expect(router.dispatch({ args: ['RENAME', 'a', 'b'], keyIndexes: [1, 2] })).rejects.toThrow(
        /several shards/,
      );
      const sizes = await Promise.all(servers.map((s) => serverCommand(s.port, 'DBSIZE')));
      expect(sizes.map(Number).every((n) => n > 50)).toBe(true);
    } finally {
      await router.close();
    }
  });
});
