/**
 * Demo part 6: the same client through Sentinel — compare-and-set loops (`watch` + `multi`) keep
 * running through a `SENTINEL FAILOVER`; the client follows the promotion and no acknowledged
 * increment is counted twice (and, since it stops writing to the old master when the replica is
 * chosen, next to none is lost with it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@fusedis/client';
import { serverCommand, startSentinelGroup, waitFor } from '@fusedis/test-harness';

export async function demoSentinel(): Promise<void> {
  console.log('\n── part 6: Sentinel failover through createClient({ sentinel }) ──');
  const started = Date.now();
  const group = await startSentinelGroup();
  const [first] = group.sentinelAddresses;
  if (first === undefined) throw new Error('the sentinel group has no sentinel');
  console.log(
    `started a master (${group.master.port}), a replica and 3 sentinels in ${Date.now() - started} ms; the client is given one sentinel and learns the others`,
  );
  const redis = createClient({ sentinel: { sentinels: [first], masterName: group.masterName } });
  try {
    const counters = ['demo:cas:a', 'demo:cas:b', 'demo:cas:c'];
    const done = new Map(counters.map((key) => [key, 0]));
    let failed = 0;
    let unsure = 0;
    const stop = { now: false };
    const loops = counters.map(async (key) => {
      while (!stop.now) {
        try {
          await redis.watch(key, async (tx) => {
            const value = Number((await tx.get(key)) ?? 0);
            return tx
              .multi()
              .set(key, String(value + 1))
              .exec();
          });
          done.set(key, (done.get(key) ?? 0) + 1);
        } catch (err) {
          failed++;
          // A link lost once EXEC may have left: it may have counted (the error says so).
          if ((err as { written?: unknown }).written === true) unsure++;
          await sleep(10);
        }
      }
    });
    await sleep(300);
    const before = group.master.port;
    const failoverAt = Date.now();
    await serverCommand(first.port, 'SENTINEL', 'FAILOVER', group.masterName);
    await waitFor(
      'the sentinels to name a new master',
      async () => (await group.currentMasterPort()) !== before,
      30_000,
    );
    const after = await group.currentMasterPort();
    console.log(
      `SENTINEL FAILOVER: master ${before} → ${after}, named by the sentinels ${Date.now() - failoverAt} ms later`,
    );
    await sleep(500);
    stop.now = true;
    await Promise.all(loops);
    let acknowledged = 0;
    let stored = 0;
    for (const key of counters) {
      acknowledged += done.get(key) ?? 0;
      stored += Number(await redis.get(key));
    }
    console.log(
      `compare-and-set loops: ${acknowledged.toLocaleString('en')} increments acknowledged, ${stored.toLocaleString('en')} on the new master (${Math.max(acknowledged - stored, 0)} lost with the old master; none counted twice: ${stored <= acknowledged + unsure}); ${failed} failed with an error (${unsure} of them "written": may have counted)`,
    );
    await redis.del(...counters);
  } finally {
    await redis.quit();
    await group.stop();
    console.log('stopped the sentinel group');
  }
}
