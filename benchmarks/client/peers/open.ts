import type { BenchClient, ClientPeerId, ServerAddress } from './bench-client.js';
import { openFusedis } from './fusedis.js';
import { openGlide } from './glide.js';
import { openIoredis } from './ioredis.js';
import { openNodeRedis } from './node-redis.js';

/** Connects one client library (each imported only when chosen, so no child loads the others). */
export function openClient(peer: ClientPeerId, server: ServerAddress): Promise<BenchClient> {
  switch (peer) {
    case 'fusedis':
      return openFusedis(server);
    case 'fusedis-js':
      return openFusedis(server, 'js');
    case 'fusedis-native':
      return openFusedis(server, 'native');
    case 'ioredis':
      return openIoredis(server, false);
    case 'ioredis-auto':
      return openIoredis(server, true);
    case 'node-redis':
      return openNodeRedis(server);
    case 'glide':
      return openGlide(server);
  }
}
