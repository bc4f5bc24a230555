import { inspect } from 'node:util';
import { tcp } from '@fusedis/pool';
import { describe, expect, it } from 'vitest';
import { ClusterRouter, NodeLink, SentinelRouter, StandaloneRouter } from '../../src/index.js';

const SECRET = 'hunter2-secret-9d3e';
const SENTINEL_SECRET = 'sentinel-secret-41aa';
const address = { host: '127.0.0.1', port: 1 };

function shown(value: unknown): string {
  return [
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    JSON.stringify(value) ?? '',
    String(value),
  ].join('\n');
}

describe('routers keep passwords out of inspect and JSON', () => {
  it('ClusterRouter, SentinelRouter, StandaloneRouter and NodeLink show no password', async () => {
    const routers = [
      new ClusterRouter({ seeds: [address], connection: { password: SECRET }, refreshInterval: 0 }),
      new SentinelRouter({
        sentinels: [address],
        masterName: 'm',
        connection: { password: SECRET },
        sentinelConnection: { password: SENTINEL_SECRET },
      }),
      new StandaloneRouter({ address, connection: { username: 'u', password: SECRET } }),
    ];
    const link = new NodeLink(address, { transport: tcp(address), password: SECRET });
    try {
      for (const value of [...routers, link]) {
        const text = shown(value);
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(SENTINEL_SECRET);
      }
      // What inspect shows of a link is its address, for debugging.
      expect(shown(link)).toContain('127.0.0.1');
    } finally {
      await Promise.all([...routers.map((router) => router.close()), link.close()]);
    }
  });
});
