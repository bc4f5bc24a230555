import type { BenchClient, ServerAddress } from './bench-client.js';

/** ioredis 6 with its defaults, `enableAutoPipelining` off (its default) or on. */
export async function openIoredis(server: ServerAddress, autoPipelining: boolean): Promise<BenchClient> {
  const { Redis } = await import('ioredis');
  const redis = new Redis({
    host: server.host,
    port: server.port,
    enableAutoPipelining: autoPipelining,
    lazyConnect: true,
  });
  await redis.connect();
  return {
    get: (key) => redis.get(key),
    set: (key, value) => redis.set(key, value),
    pipelineSets: (keys, values) => {
      const pipeline = redis.pipeline();
      for (let i = 0; i < keys.length; i++) pipeline.set(keys[i] as string, values[i] as string);
      return pipeline.exec();
    },
    lrange: (key, start, stop) => redis.lrange(key, start, stop),
    hgetall: (key) => redis.hgetall(key),
    mget: (keys) => redis.mget(keys as string[]),
    incrExpire: (key, ttl) => redis.multi().incr(key).expire(key, ttl).exec(),
    incrOf: (result) => (result as [Error | null, unknown][])[0]?.[1],
    clientInfo: () => redis.call('client', 'info'),
    // exec() resolves with [error, result] pairs.
    pipelineReplies: (result) => (result as [Error | null, unknown][]).map(([err, r]) => err ?? r),
    close: async () => {
      await redis.quit();
    },
  };
}
