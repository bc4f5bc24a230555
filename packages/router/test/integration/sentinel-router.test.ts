import { type AddressInfo, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidOptionError } from '@fusedis/pool';
import {
  type FaultProxy,
  type SentinelGroup,
  serverCommand,
  startFaultProxy,
  startRedis,
  startSentinelGroup,
  waitFor,
} from '@fusedis/test-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { MasterDemotedError, SentinelRouter } from '../../src/index.js';

const KEY = [1];
let group: SentinelGroup | undefined;
let router: SentinelRouter | undefined;
const extra: { stop(): Promise<void> }[] = [];

afterEach(async () => {
  await router?.close();
  await group?.stop();
  await Promise.all(extra.splice(0).map((server) => server.stop()));
  router = undefined;
  group = undefined;
});

/** A group of its own (its roles get swapped), its replica, and a router to it. */
async function swappable(): Promise<{ g: SentinelGroup; replica: { port: number }; r: SentinelRouter }> {
  const g = await startSentinelGroup();
  group = g;
  const replica = g.replicas[0];
  if (replica === undefined) throw new Error('the group has no replica');
  const r = new SentinelRouter({ sentinels: g.sentinelAddresses, masterName: g.masterName });
  router = r;
  return { g, replica, r };
}

/** A group of its own with 3 sentinels: the one to give a router, another one, and the replica. */
async function groupOfThree(): Promise<{
  g: SentinelGroup;
  given: SentinelGroup['sentinels'][number];
  other: SentinelGroup['sentinels'][number];
  replica: SentinelGroup['replicas'][number];
}> {
  const g = await startSentinelGroup();
  group = g;
  const [given, other] = g.sentinels;
  const [replica] = g.replicas;
  if (given === undefined || other === undefined || replica === undefined)
    throw new Error('the group has too few servers');
  return { g, given, other, replica };
}

interface Writer {
  acknowledged: number;
  errors: unknown[];
}

function write(r: SentinelRouter, key: string, stop: { now: boolean }, writer: Writer): Promise<void> {
  return (async () => {
    for (let i = 0; !stop.now; i++) {
      try {
        await r.dispatch({ args: ['RPUSH', key, i], keyIndexes: KEY });
        writer.acknowledged++;
      } catch (err) {
        writer.errors.push(err);
      }
    }
  })();
}

/** `SENTINEL FAILOVER` through the sentinel at `sentinelPort`; the router must then write to `replicaPort`. */
async function failOverAndFollow(
  r: SentinelRouter,
  masterName: string,
  sentinelPort: number,
  replicaPort: number,
): Promise<void> {
  await serverCommand(sentinelPort, 'SENTINEL', 'FAILOVER', masterName);
  await waitFor(
    'the router to follow',
    async () => {
      await r.dispatch({ args: ['SET', 's:followed', '1'], keyIndexes: KEY }).catch(() => undefined);
      return r.master?.port === replicaPort;
    },
    20_000,
  );
  expect(await r.dispatch({ args: ['GET', 's:followed'], keyIndexes: KEY })).toBe('1');
}

async function duplicates(r: SentinelRouter, keys: readonly string[]): Promise<number> {
  let duplicated = 0;
  for (const key of keys) {
    const values = (await r.dispatch({ args: ['LRANGE', key, 0, -1], keyIndexes: KEY })) as string[];
    duplicated += values.length - new Set(values).size;
  }
  return duplicated;
}

describe('SentinelRouter (real master, replica and 3 sentinels)', () => {
  it('discovers the master through the sentinels and serves commands; replicas serve reads', async () => {
    group = await startSentinelGroup();
    router = new SentinelRouter({
      sentinels: group.sentinelAddresses,
      masterName: group.masterName,
      readFrom: 'replica',
    });
    await router.connect();
    expect(router.master?.port).toBe(group.master.port);
    expect(await router.dispatch({ args: ['SET', 's:k', 'v'], keyIndexes: KEY })).toBe('OK');
    await serverCommand(group.master.port, 'WAIT', 1, 1000);
    const role = (await router.dispatch({ args: ['ROLE'], readOnly: true })) as unknown[];
    expect(role[0]).toBe('slave');
    expect(await router.dispatch({ args: ['GET', 's:k'], keyIndexes: KEY, readOnly: true })).toBe('v');
    // An aborted batch rejects with the signal's reason as a whole; the router serves on.
    const controller = new AbortController();
    const reason = new Error('the caller gave up');
    const batch = Array.from({ length: 30_000 }, (_, i) => ({
      args: ['SET', `s:abort:${i}`, 'v'],
      keyIndexes: KEY,
    }));
    const sent = router.dispatchMany(batch, { signal: controller.signal });
    controller.abort(reason);
    await expect(sent).rejects.toBe(reason);
    expect(await router.dispatchMany(batch.slice(0, 2))).toEqual(['OK', 'OK']);
  }, 60_000);

  it('lists the master and its replicas with nodes(), each with a router for it alone', async () => {
    group = await startSentinelGroup();
    const g = group;
    const r = new SentinelRouter({ sentinels: g.sentinelAddresses, masterName: g.masterName });
    router = r;
    const masters = await r.nodes('master');
    expect(masters.map((n) => [n.role, n.address.port])).toEqual([['master', g.master.port]]);
    // Reads go to the master here, so the replicas are asked of the sentinels.
    let replicas = await r.nodes('replica');
    await waitFor(
      'the sentinels to list every replica',
      async () => {
        replicas = await r.nodes('replica');
        return replicas.length === g.replicas.length;
      },
      10_000,
    );
    expect(replicas.map((n) => n.address.port).sort()).toEqual(g.replicas.map((x) => x.port).sort());
    const [master] = masters;
    const [replica] = replicas;
    if (master === undefined || replica === undefined) throw new Error('nodes missing');
    expect(((await replica.router.dispatch({ args: ['ROLE'] })) as unknown[])[0]).toBe('slave');
    await master.router.dispatch({ args: ['SET', 's:nodes', 'v'] });
    await master.router.dispatch({ args: ['WAIT', 1, 5_000] });
    expect(await replica.router.dispatch({ args: ['GET', 's:nodes'] })).toBe('v');
    // Asked again, the replicas still listed keep their links: the first routers still serve.
    expect(await r.nodes()).toHaveLength(1 + g.replicas.length);
    expect(await replica.router.dispatch({ args: ['GET', 's:nodes'] })).toBe('v');
    await replica.router.close(); // closes nothing of the sentinel router's
    expect(await r.dispatch({ args: ['GET', 's:nodes'], keyIndexes: KEY })).toBe('v');
    await r.close();
    await expect(master.router.dispatch({ args: ['PING'] })).rejects.toThrow(/closed/);
    await expect(r.nodes()).rejects.toThrow(/closed/);
  }, 60_000);

  it('skips a sentinel that is down, and asks it less and less often', async () => {
    group = await startSentinelGroup();
    // A "sentinel" that hangs up on every connection, counting them.
    let attempts = 0;
    const dead = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    extra.push({ stop: () => new Promise<void>((resolve) => dead.close(() => resolve())) });
    const deadPort = (dead.address() as AddressInfo).port;
    router = new SentinelRouter({
      sentinels: [{ host: '127.0.0.1', port: deadPort }, ...group.sentinelAddresses],
      masterName: group.masterName,
    });
    expect(await router.dispatch({ args: ['PING'] })).toBe('PONG');
    // Its watch is retried 1 s, 2 s, 4 s… apart: at most 3 more attempts in 4.5 s (5 at a fixed 1 s).
    const before = attempts;
    await sleep(4_500);
    expect(attempts - before).toBeGreaterThanOrEqual(1);
    expect(attempts - before).toBeLessThanOrEqual(3);
  }, 60_000);

  it("sends a transaction again, whole, to the new master when the old one was demoted behind the sentinels' back", async () => {
    const { g, replica, r } = await swappable();
    const batch = [{ args: ['MULTI'] }, { args: ['INCR', 's:tx'], keyIndexes: KEY }, { args: ['EXEC'] }];
    expect(await r.transaction([], batch)).toEqual(['OK', 'QUEUED', [1]]);
    await g.command(g.master.port, 'WAIT', 1, 1000);
    await g.swapRoles(replica.port);
    const stale = r.transaction([], batch);
    await g.pointSentinelsAt(replica.port);
    // The first try met READONLY on the demoted master (EXECABORT: nothing ran) and went again to
    // the master the sentinels name now: one increment, on the new master.
    expect(await stale).toEqual(['OK', 'QUEUED', [2]]);
    expect(r.master?.port).toBe(replica.port);
    expect(await g.command(replica.port, 'GET', 's:tx')).toBe('2');
  }, 60_000);

  it('drops a master that answers READONLY inside withDedicated and rejects with MasterDemotedError', async () => {
    const { g, replica, r } = await swappable();
    const incr = { args: ['INCR', 's:dedicated'], keyIndexes: KEY };
    expect(await r.withDedicated([], (c) => c.send(incr))).toBe(1);
    await g.command(g.master.port, 'WAIT', 1, 1000);
    await g.swapRoles(replica.port);
    const refused = r.withDedicated([], (c) => c.send(incr));
    await expect(refused).rejects.toBeInstanceOf(MasterDemotedError);
    await expect(refused).rejects.toMatchObject({ cause: { code: 'READONLY' } });
    expect(r.master).toBeUndefined();
    await g.pointSentinelsAt(replica.port);
    // The next lease goes to the master the sentinels name now; the refused INCR never ran.
    expect(await r.withDedicated([], (c) => c.send(incr))).toBe(2);
    expect(r.master?.port).toBe(replica.port);
  }, 60_000);

  it('learns the other sentinels from the one it was given, and follows a failover after that one stops', async () => {
    const { g, given, other, replica } = await groupOfThree();
    const r = new SentinelRouter({
      sentinels: [{ host: given.host, port: given.port }],
      masterName: g.masterName,
    });
    router = r;
    await r.connect();
    expect(r.master?.port).toBe(g.master.port);
    expect(new Set(r.sentinels.map((s) => s.port))).toEqual(new Set(g.sentinels.map((s) => s.port)));
    // updateSentinels: false keeps to the list given.
    const kept = new SentinelRouter({
      sentinels: [{ host: given.host, port: given.port }],
      masterName: g.masterName,
      updateSentinels: false,
    });
    try {
      await kept.connect();
      expect(kept.sentinels.map((s) => s.port)).toEqual([given.port]);
    } finally {
      await kept.close();
    }
    await given.stop();
    // Only the learned sentinels are left to announce the failover and to name the new master.
    await failOverAndFollow(r, g.masterName, other.port, replica.port);
  }, 60_000);

  it('reaches the sentinels it learns through natMap (sentinels behind NAT), and follows a failover through them', async () => {
    const { g, given, other, replica } = await groupOfThree();
    // Each other sentinel is reachable only "through NAT": a proxy whose address only the map knows.
    const proxies = await Promise.all(
      g.sentinels.slice(1).map((s) => startFaultProxy({ host: '127.0.0.1', port: s.port })),
    );
    extra.push(...proxies.map((p) => ({ stop: () => p.close() })));
    const proxyOf = new Map(g.sentinels.slice(1).map((s, i) => [s.port, proxies[i] as FaultProxy]));
    const r = new SentinelRouter({
      sentinels: [{ host: given.host, port: given.port }],
      masterName: g.masterName,
      natMap: (address) => {
        const proxy = proxyOf.get(address.port);
        return proxy === undefined ? address : { host: proxy.host, port: proxy.port };
      },
    });
    router = r;
    await r.connect();
    expect(r.master?.port).toBe(g.master.port);
    // Learned at their mapped addresses, never at the reported ones.
    expect(new Set(r.sentinels.map((s) => s.port))).toEqual(
      new Set([given.port, ...proxies.map((p) => p.port)]),
    );
    await waitFor('the router to watch the learned sentinels', async () =>
      proxies.every((p) => p.connections > 0),
    );
    await given.stop();
    // Only the learned sentinels, through their proxies, are left to announce the failover.
    await failOverAndFollow(r, g.masterName, other.port, replica.port);
  }, 60_000);

  it('rejects with an InvalidOptionError when natMap returns no address for the master, keeping no master', async () => {
    group = await startSentinelGroup({ sentinels: 1, quorum: 1 });
    const g = group;
    const r = new SentinelRouter({
      sentinels: g.sentinelAddresses,
      masterName: g.masterName,
      natMap: (address) => `${address.host}:${address.port}` as never,
    });
    router = r;
    const err = await r.dispatch({ args: ['GET', 'nat:wrong'], keyIndexes: KEY }).catch((e: unknown) => e);
    // Not TopologyDiscoveryError's "no sentinel knows a master", which a wrong map is not.
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as Error).message).toBe(
      `SentinelRouter: natMap returned the string '127.0.0.1:${g.master.port}' for 127.0.0.1:${g.master.port}; ` +
        'it must return { host, port } (a non-empty host, a port from 1 to 65535), or nothing to keep the address',
    );
    expect(r.master).toBeUndefined();
  }, 60_000);

  it('learns a sentinel that joins later (+sentinel), and follows a failover it leads once the first is down', async () => {
    group = await startSentinelGroup({ sentinels: 1, quorum: 1 });
    const g = group;
    const [first] = g.sentinels;
    const [replica] = g.replicas;
    if (first === undefined || replica === undefined) throw new Error('the group has too few servers');
    const r = new SentinelRouter({
      sentinels: [{ host: first.host, port: first.port }],
      masterName: g.masterName,
    });
    router = r;
    await r.connect();
    expect(r.sentinels.map((s) => s.port)).toEqual([first.port]);
    // A second sentinel for the same master, started after the router asked the first.
    const joined = await startRedis({
      sentinelConfig: `sentinel monitor ${g.masterName} 127.0.0.1 ${g.master.port} 1\nsentinel down-after-milliseconds ${g.masterName} 1000\n`,
    });
    extra.push(joined);
    await waitFor(
      'the router to learn the new sentinel',
      async () => r.sentinels.some((s) => s.port === joined.port),
      15_000,
    );
    await waitFor('the new sentinel to see the replica', async () =>
      (await serverCommand(joined.port, 'INFO', 'sentinel')).includes('slaves=1'),
    );
    await first.stop();
    await failOverAndFollow(r, g.masterName, joined.port, replica.port);
  }, 60_000);

  it('follows SENTINEL FAILOVER and a killed master under load: all settle, none duplicated, old master not written', async () => {
    group = await startSentinelGroup({ replicas: 1, downAfterMs: 1_000 });
    const g = group;
    router = new SentinelRouter({ sentinels: g.sentinelAddresses, masterName: g.masterName });
    const r = router;
    await r.connect();
    const stop = { now: false };
    const keys = Array.from({ length: 20 }, (_, i) => `sentinel:w:${i}`);
    const writers = keys.map(() => ({ acknowledged: 0, errors: [] as unknown[] }));
    const running = keys.map((key, i) => write(r, key, stop, writers[i] as Writer));
    await sleep(300);

    // 1. A coordinated failover: the replica becomes master.
    const first = g.master.port;
    await serverCommand(g.sentinels[0]?.port as number, 'SENTINEL', 'FAILOVER', g.masterName);
    await waitFor(
      'the sentinels to name a new master',
      async () => (await g.currentMasterPort()) !== first,
      30_000,
    );
    const second = await g.currentMasterPort();
    await waitFor('the router to follow', async () => r.master?.port === second, 15_000);
    const afterFirst = writers.map((w) => w.acknowledged);
    await sleep(500);
    for (const [i, w] of writers.entries()) expect(w.acknowledged).toBeGreaterThan(afterFirst[i] as number);

    // 2. Kill the new master: the old one (now a replica) is promoted back.
    const secondServer = [g.master, ...g.replicas].find((s) => s.port === second);
    if (secondServer === undefined) throw new Error('unknown master');
    const killedAt = Date.now();
    process.kill(secondServer.pid, 'SIGKILL');
    await waitFor(
      'the sentinels to fail over after the kill',
      async () => (await g.currentMasterPort()) !== second,
      60_000,
    );
    await waitFor('the router to follow', async () => r.master?.port === first, 15_000);
    const followedIn = Date.now() - killedAt;
    const afterSecond = writers.map((w) => w.acknowledged);
    // 3. The killed master comes back on its port (as a master with an empty dataset, until the
    // sentinels demote it): the router must not write to it.
    const returned = await startRedis({ port: second });
    extra.push(returned);
    await sleep(1_000);
    for (const [i, w] of writers.entries()) expect(w.acknowledged).toBeGreaterThan(afterSecond[i] as number);
    stop.now = true;
    const clients = await serverCommand(second, 'CLIENT', 'LIST');
    const writersThere = clients
      .split('\n')
      .filter((line) => line.includes('cmd=rpush') && !/flags=\w*M/.test(line));
    expect(writersThere).toEqual([]);
    await Promise.all(running);

    expect(await duplicates(r, keys)).toBe(0);
    for (const w of writers) for (const err of w.errors) expect(err).toHaveProperty('written');
    // Down-after (1 s) + election + the router's retries: well within 15 s on this machine.
    expect(followedIn).toBeLessThan(15_000);
  }, 180_000);
});
