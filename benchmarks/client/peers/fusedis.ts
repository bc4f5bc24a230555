import type { BenchClient, ServerAddress } from './bench-client.js';

/** The part of @fusedis/client's public API the cases use (ioredis-like, issue 3). */
interface FusedisPipeline {
  set(key: string, value: string): FusedisPipeline;
  exec(): Promise<[Error | null, unknown][]>;
}
interface FusedisTransaction {
  incr(key: string): FusedisTransaction;
  expire(key: string, seconds: number): FusedisTransaction;
  exec(): Promise<[Error | null, unknown][]>;
}
interface FusedisClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<unknown>;
  hgetall(key: string): Promise<unknown>;
  mget(keys: string[]): Promise<unknown>;
  pipeline(): FusedisPipeline;
  multi(): FusedisTransaction;
  call(name: string, ...args: string[]): Promise<unknown>;
  /** Which decoder `decoder: 'auto'` resolved to, once connected. */
  readonly decoderInfo?: { readonly kind: string } | undefined;
  connect?(): Promise<unknown>;
  quit(): Promise<unknown>;
}
interface FusedisModule {
  createClient?: (options: { host: string; port: number; decoder?: 'js' | 'native' }) => FusedisClient;
}

/** The specifier sits in a variable, so typechecking does not depend on the package existing yet. */
const CLIENT_PACKAGE = '@fusedis/client';

/** Loads @fusedis/client; throws a clear error while it does not export `createClient` yet. */
export async function loadFusedis(): Promise<{ createClient: NonNullable<FusedisModule['createClient']> }> {
  const mod = (await import(CLIENT_PACKAGE)) as FusedisModule;
  if (typeof mod.createClient !== 'function')
    throw new Error('@fusedis/client does not export createClient yet');
  return { createClient: mod.createClient };
}

/**
 * @fusedis/client with its defaults (auto-pipelining on, command timeout on, `decoder: 'auto'`),
 * or with the decoder given.
 */
export async function openFusedis(server: ServerAddress, decoder?: 'js' | 'native'): Promise<BenchClient> {
  const { createClient } = await loadFusedis();
  const client = createClient({
    host: server.host,
    port: server.port,
    ...(decoder === undefined ? {} : { decoder }),
  });
  // It connects lazily; the connection is made before timing, explicitly when it can be.
  if (typeof client.connect === 'function') await client.connect();
  await client.get('bench:connect');
  return {
    get: (key) => client.get(key),
    set: (key, value) => client.set(key, value),
    pipelineSets: (keys, values) => {
      const pipeline = client.pipeline();
      for (let i = 0; i < keys.length; i++) pipeline.set(keys[i] as string, values[i] as string);
      return pipeline.exec();
    },
    lrange: (key, start, stop) => client.lrange(key, start, stop),
    hgetall: (key) => client.hgetall(key),
    mget: (keys) => client.mget(keys as string[]),
    incrExpire: (key, ttl) => client.multi().incr(key).expire(key, ttl).exec(),
    // exec() resolves with [error, result] pairs.
    incrOf: (result) => (result as [Error | null, unknown][])[0]?.[1],
    clientInfo: () => client.call('client', 'info'),
    describe: () => (client.decoderInfo === undefined ? undefined : `${client.decoderInfo.kind} decoder`),
    pipelineReplies: (result) => (result as [Error | null, unknown][]).map(([err, r]) => err ?? r),
    close: async () => {
      await client.quit();
    },
  };
}
