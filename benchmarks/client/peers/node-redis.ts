import type { BenchClient, ServerAddress } from './bench-client.js';

/** node-redis 6 (the `redis` package) with its defaults; pipelines via `multi().execAsPipeline()`. */
export async function openNodeRedis(server: ServerAddress): Promise<BenchClient> {
  const { createClient } = await import('redis');
  const client = createClient({ socket: { host: server.host, port: server.port } });
  client.on('error', () => {}); // a failure rejects the pending command; the child reports that
  await client.connect();
  return {
    get: (key) => client.get(key),
    set: (key, value) => client.set(key, value),
    pipelineSets: (keys, values) => {
      const multi = client.multi();
      for (let i = 0; i < keys.length; i++) multi.set(keys[i] as string, values[i] as string);
      return multi.execAsPipeline();
    },
    lrange: (key, start, stop) => client.lRange(key, start, stop),
    hgetall: (key) => client.hGetAll(key),
    mget: (keys) => client.mGet(keys as string[]),
    incrExpire: (key, ttl) => client.multi().incr(key).expire(key, ttl).exec(),
    // exec() resolves with the replies themselves.
    incrOf: (result) => (result as unknown[])[0],
    clientInfo: () => client.sendCommand(['CLIENT', 'INFO']),
    pipelineReplies: (result) => result as unknown[],
    close: () => client.close(),
  };
}
