/**
 * The cluster clients compared (issue 5): fusedis, ioredis's `Cluster`, node-redis's
 * `createCluster`, each driven the way its users drive it. A case a client cannot run as asked
 * (ioredis refuses cross-slot pipelines, and both peers refuse a cross-slot MGET) throws
 * `Unsupported`, and the report says "not supported" for that row.
 */

export interface Seed {
  readonly host: string;
  readonly port: number;
}

export type PeerId = 'fusedis' | 'ioredis' | 'node-redis';
export const PEERS: readonly PeerId[] = ['fusedis', 'ioredis', 'node-redis'];

/** A case this client cannot do as specified; `how` says what it answered. */
export class Unsupported extends Error {}

export interface ClusterBenchClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  /** One explicit pipeline of SETs over keys in many slots. */
  pipelineSets(keys: readonly string[], value: string): Promise<void>;
  mget(keys: readonly string[]): Promise<unknown[]>;
  close(): Promise<void>;
}

interface FusedisClusterClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  mget(...keys: string[]): Promise<unknown[]>;
  pipeline(): { set(key: string, value: string): unknown; exec(): Promise<[unknown, unknown][]> };
  connect(): Promise<void>;
  quit(): Promise<void>;
}

async function openFusedis(seeds: readonly Seed[]): Promise<ClusterBenchClient> {
  const { createClient } = (await import('@fusedis/client')) as unknown as {
    createClient(options: { cluster: { seeds: readonly Seed[] } }): FusedisClusterClient;
  };
  const client = createClient({ cluster: { seeds } });
  await client.connect();
  return {
    get: (key) => client.get(key),
    set: (key, value) => client.set(key, value),
    async pipelineSets(keys, value) {
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.set(key, value);
      const results = await pipeline.exec();
      const failed = results.find(([err]) => err !== null);
      if (failed !== undefined) throw failed[0];
    },
    mget: (keys) => client.mget(...keys),
    close: () => client.quit(),
  };
}

async function openIoredis(seeds: readonly Seed[]): Promise<ClusterBenchClient> {
  const { Cluster } = await import('ioredis');
  const cluster = new Cluster(seeds.map((s) => ({ host: s.host, port: s.port })));
  await new Promise<void>((resolve, reject) => {
    cluster.once('ready', () => resolve());
    cluster.once('error', reject);
  });
  return {
    get: (key) => cluster.get(key),
    set: (key, value) => cluster.set(key, value),
    async pipelineSets(keys, value) {
      const pipeline = cluster.pipeline();
      for (const key of keys) pipeline.set(key, value);
      try {
        await pipeline.exec();
      } catch (err) {
        throw new Unsupported(`ioredis: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    async mget(keys) {
      try {
        return await cluster.mget(...keys);
      } catch (err) {
        throw new Unsupported(`ioredis: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    close: async () => {
      await cluster.quit();
    },
  };
}

async function openNodeRedis(seeds: readonly Seed[]): Promise<ClusterBenchClient> {
  const { createCluster } = await import('redis');
  const cluster = createCluster({ rootNodes: seeds.map((s) => ({ url: `redis://${s.host}:${s.port}` })) });
  cluster.on('error', () => {});
  await cluster.connect();
  return {
    get: (key) => cluster.get(key),
    set: (key, value) => cluster.set(key, value),
    // node-redis has no cross-slot explicit pipeline; its users issue the commands in one tick
    // and let it pipeline them per node.
    async pipelineSets(keys, value) {
      await Promise.all(keys.map((key) => cluster.set(key, value)));
    },
    async mget(keys) {
      try {
        return await cluster.mGet([...keys]);
      } catch (err) {
        throw new Unsupported(`node-redis: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    close: async () => {
      await cluster.quit();
    },
  };
}

export function openPeer(peer: PeerId, seeds: readonly Seed[]): Promise<ClusterBenchClient> {
  if (peer === 'fusedis') return openFusedis(seeds);
  if (peer === 'ioredis') return openIoredis(seeds);
  return openNodeRedis(seeds);
}
