import type { BenchClient, ServerAddress } from './bench-client.js';

/**
 * valkey-glide 2 (Rust core behind a native binding). Two defaults are raised, or it cannot run
 * the cases at all: `requestTimeout` (250 ms; the 1,000,000-item LRANGE takes longer) and
 * `inflightRequestsLimit` (1,000; b3 has 100,000 GETs in flight).
 */
export async function openGlide(server: ServerAddress): Promise<BenchClient> {
  const { Batch, GlideClient } = await import('@valkey/valkey-glide');
  const client = await GlideClient.createClient({
    addresses: [{ host: server.host, port: server.port }],
    requestTimeout: 60_000,
    inflightRequestsLimit: 200_000,
  });
  return {
    get: (key) => client.get(key),
    set: (key, value) => client.set(key, value),
    pipelineSets: (keys, values) => {
      const batch = new Batch(false); // non-atomic: a pipeline, not MULTI/EXEC
      for (let i = 0; i < keys.length; i++) batch.set(keys[i] as string, values[i] as string);
      return client.exec(batch, false);
    },
    lrange: (key, start, stop) => client.lrange(key, start, stop),
    hgetall: (key) => client.hgetall(key),
    mget: (keys) => client.mget(keys as string[]),
    incrExpire: (key, ttl) => client.exec(new Batch(true).incr(key).expire(key, ttl), true), // atomic: MULTI/EXEC
    incrOf: (result) => (result as unknown[] | null)?.[0],
    clientInfo: () => client.customCommand(['CLIENT', 'INFO']),
    pipelineReplies: (result) => result as unknown[],
    close: async () => {
      client.close();
    },
  };
}
