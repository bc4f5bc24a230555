import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCluster, startSentinelGroup } from '@fusedis/test-harness';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The README's ClusterRouter and SentinelRouter examples, run as written against real topologies:
// only the example's placeholder port is replaced by the port the harness gave the server.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const block = (marker: string): string => {
  const found = blocks.find((b) => b.includes(marker));
  if (found === undefined) throw new Error(`no README example with ${marker}`);
  return found;
};

async function runExample(name: string, code: string): Promise<unknown[][]> {
  const folder = join(import.meta.dirname, '.generated');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name}.ts`);
  writeFileSync(file, code);
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });
  await import(pathToFileURL(file).href);
  return printed;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('README router examples', () => {
  it('ClusterRouter example runs against a real 3+3 cluster', async () => {
    const cluster = await startCluster();
    try {
      const code = block('new ClusterRouter').replace('port: 7000', `port: ${cluster.seeds[0]?.port}`);
      const printed = await runExample('cluster-router', code);
      expect(printed).toEqual([[['Ada', 'Grace']], [3], [['master', 'master', 'master']]]);
    } finally {
      await cluster.stop();
    }
  }, 120_000);

  it('SentinelRouter example runs against real sentinels', async () => {
    const group = await startSentinelGroup();
    try {
      const code = block('new SentinelRouter').replace(
        'port: 26379',
        `port: ${group.sentinelAddresses[0]?.port}`,
      );
      const printed = await runExample('sentinel-router', code);
      expect(printed).toEqual([[true]]);
    } finally {
      await group.stop();
    }
  }, 120_000);
});
