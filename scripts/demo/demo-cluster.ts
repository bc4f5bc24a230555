/**
 * Demo part 5: the same client over a throwaway 3-master / 3-replica Redis Cluster — keys routed
 * by slot, a cross-slot MGET split and reassembled, a cross-slot pipeline, each master asked
 * alone through `nodes()`.
 */
import { createClient } from '@fusedis/client';
import { keySlot } from '@fusedis/router/slot';
import { startCluster } from '@fusedis/test-harness';

export async function demoCluster(): Promise<void> {
  console.log('\n── part 5: Redis Cluster through createClient({ cluster }) ──');
  const started = Date.now();
  const cluster = await startCluster();
  console.log(
    `started a cluster: masters on ports ${cluster.masters.map((m) => m.port).join(', ')} (+3 replicas) in ${Date.now() - started} ms`,
  );
  const redis = createClient({ cluster: { seeds: [cluster.seeds[0] as { host: string; port: number }] } });
  try {
    const keys = ['user:1', 'user:2', 'user:3', 'order:9'];
    console.log(`slots: ${keys.map((k) => `${k}→${keySlot(k)}`).join(', ')}`);
    await redis.mset(Object.fromEntries(keys.map((k) => [k, k.toUpperCase()])));
    console.log(
      `MSET/MGET across slots (split per node, reassembled in order) → ${JSON.stringify(await redis.mget(...keys))}`,
    );
    const results = await redis.pipeline().incr('counter:a').incr('counter:b').get('user:1').exec();
    console.log(`a pipeline across nodes → ${JSON.stringify(results)}`);
    // One client per node (ioredis's cluster.nodes()): what each master holds, asked of it alone.
    const perMaster = await Promise.all(
      (await redis.nodes('master')).map(async (node) => `${await node.dbsize()} keys`),
    );
    const replicas = await redis.nodes('replica');
    console.log(`nodes('master') → ${perMaster.join(', ')}; nodes('replica') → ${replicas.length} replicas`);
  } finally {
    await redis.quit();
    await cluster.stop();
    console.log('stopped the cluster');
  }
}
