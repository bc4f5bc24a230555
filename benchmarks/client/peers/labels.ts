/** The peers' display names, with the versions actually installed. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PeerId } from './bench-client.js';

const require = createRequire(import.meta.url);

function version(pkg: string): string {
  try {
    // Some packages do not export ./package.json: find it next to the resolved entry instead.
    let dir = require.resolve(pkg);
    for (;;) {
      const up = dir.slice(0, dir.lastIndexOf('/'));
      if (up === dir || up.length === 0) return '?';
      dir = up;
      try {
        const json = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (json.name === pkg) return json.version ?? '?';
      } catch {
        // not here: one folder up
      }
    }
  } catch {
    return 'not installed';
  }
}

export function peerLabels(): Record<PeerId, string> {
  const ioredis = version('ioredis');
  return {
    fusedis: 'fusedis',
    'fusedis-js': "fusedis, decoder: 'js'",
    'fusedis-native': "fusedis, decoder: 'native'",
    ioredis: `ioredis ${ioredis}`,
    'ioredis-auto': `ioredis ${ioredis} auto-pipelining`,
    'node-redis': `redis ${version('redis')}`,
    glide: `valkey-glide ${version('@valkey/valkey-glide')}`,
    raw: 'raw socket (ceiling)',
    'raw-promises': 'raw socket + a promise per command (floor)',
  };
}
