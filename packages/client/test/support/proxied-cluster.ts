import { type FaultProxy, type RedisCluster, startCluster, startFaultProxy } from '@fusedis/test-harness';
import type { NodeAddress } from '../../src/index.js';

/** A real cluster with a fault proxy in front of each node, and the `natMap` that reaches them. */
export interface ProxiedCluster {
  readonly cluster: RedisCluster;
  readonly proxies: readonly FaultProxy[];
  /** A node's address as the cluster announces it → its proxy's. */
  readonly viaProxy: (address: NodeAddress) => NodeAddress;
  /** The first seed, through its proxy. */
  readonly seed: NodeAddress;
  /** Direct seed URLs (no proxy), for a client the faults must not touch. */
  readonly directSeeds: readonly string[];
  stop(): Promise<void>;
}

/** Starts `masters` masters (no replicas: the faults are on the client's links, not the nodes). */
export async function startProxiedCluster(masters = 3): Promise<ProxiedCluster> {
  const cluster = await startCluster({ masters, replicasPerMaster: 0 });
  const proxyOf = new Map<number, FaultProxy>();
  for (const node of cluster.nodes)
    proxyOf.set(node.port, await startFaultProxy({ host: node.host, port: node.port }));
  const viaProxy = (address: NodeAddress): NodeAddress => {
    const proxy = proxyOf.get(address.port);
    return proxy === undefined ? address : { host: proxy.host, port: proxy.port };
  };
  return {
    cluster,
    proxies: [...proxyOf.values()],
    viaProxy,
    seed: viaProxy(cluster.seeds[0] as NodeAddress),
    directSeeds: cluster.seeds.map((s) => `redis://${s.host}:${s.port}`),
    async stop() {
      await Promise.all([...proxyOf.values()].map((proxy) => proxy.close()));
      await cluster.stop();
    },
  };
}
