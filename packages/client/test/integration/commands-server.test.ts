import { ReplyError } from '@fusedis/resp';
import { type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';
import { openSpecRunner } from '../support/spec-runner.js';

const errorOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (err: unknown) => err,
  );

describe.each([2, 3] as const)(
  'server commands over RESP%i (shared server, no global changes)',
  (protocol) => {
    const prefix = `h2b:server:${protocol}:`;
    const redis = sharedSpecRunner(protocol, prefix);

    it('answers PING, ECHO, INFO, DBSIZE, TIME, LASTSAVE and ROLE', async () => {
      expect(await redis.run('ping')).toBe('PONG');
      expect(await redis.run('ping', 'hi')).toBe('hi');
      expect(await redis.run('echo', 'héllo')).toBe('héllo');
      expect(await redis.runBuffers('echo', Buffer.from([0xff, 0]))).toEqual(Buffer.from([0xff, 0]));
      const info = await redis.run('info');
      expect(info).toContain('# Server');
      expect(info).toContain('redis_version:');
      const some = await redis.run('info', 'server', ['clients']);
      expect(some).toContain('# Clients');
      expect(some).not.toContain('# Memory');
      expect(await redis.run('dbsize')).toBeGreaterThanOrEqual(0);
      const [seconds, micros] = await redis.run('time');
      expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(60);
      expect(micros).toBeGreaterThanOrEqual(0);
      expect(micros).toBeLessThan(1_000_000);
      expect(await redis.run('lastsave')).toBeGreaterThan(0);
      expect(await redis.run('role')).toEqual({
        role: 'master',
        replicationOffset: expect.any(Number),
        replicas: [],
      });
    });

    it('reads configuration as an object', async () => {
      const config = await redis.run('configGet', 'maxmemory*', ['port']);
      expect(config.maxmemory).toMatch(/^\d+$/);
      expect(config['maxmemory-policy']).toBeTypeOf('string');
      expect(config.port).toBe(String(inject('servers').standalone.port));
    });

    it('names, lists, describes and kills clients', async () => {
      const id = await redis.run('clientId');
      expect(await redis.run('clientGetName')).toBeNull();
      expect(await redis.run('clientSetName', `h2b-${protocol}`)).toBe('OK');
      expect(await redis.run('clientGetName')).toBe(`h2b-${protocol}`);
      expect(await redis.run('clientSetInfo', 'LIB-NAME', 'fusedis')).toBe('OK');
      expect(await redis.run('clientSetInfo', 'LIB-VER', '0.0.0')).toBe('OK');
      const me = await redis.run('clientInfo');
      expect(me).toMatchObject({
        id: String(id),
        name: `h2b-${protocol}`,
        'lib-name': 'fusedis',
        resp: String(protocol),
      });
      const all = await redis.run('clientList', { TYPE: 'NORMAL' });
      expect(all.some((c) => c.id === String(id))).toBe(true);
      expect((await redis.run('clientList', { ID: [id] })).map((c) => c.name)).toEqual([`h2b-${protocol}`]);

      const victim = await openSpecRunner(inject('servers').standalone, { protocol: 2 });
      try {
        const victimId = (await victim.raw('CLIENT', 'ID')) as number;
        const blocked = victim.raw('BLPOP', `${prefix}never`, 0);
        await waitFor(async () => (await redis.run('clientList', { ID: victimId }))[0]?.cmd === 'blpop');
        expect(await redis.run('clientUnblock', victimId)).toBe(true);
        expect(await blocked).toBeNull();
        expect(await redis.run('clientUnblock', victimId, 'ERROR')).toBe(false);
        expect(await redis.run('clientKill', { ID: victimId, SKIPME: true })).toBe(1);
        expect(await redis.run('clientKill', { ID: victimId, MAXAGE: 3600 })).toBe(0);
      } finally {
        await victim.close();
      }
      const usage = redis.build('clientKill', {
        TYPE: 'PUBSUB',
        USER: 'u',
        ADDR: 'a:1',
        LADDR: 'b:2',
        SKIPME: false,
      });
      expect(usage.args).toEqual([
        'CLIENT',
        'KILL',
        'TYPE',
        'PUBSUB',
        'USER',
        'u',
        'ADDR',
        'a:1',
        'LADDR',
        'b:2',
        'SKIPME',
        'NO',
      ]);
    });

    it('switches connection flags: NO-EVICT, NO-TOUCH, tracking and caching', async () => {
      expect(await redis.run('clientNoEvict', true)).toBe('OK');
      expect((await redis.run('clientInfo')).flags).toContain('e');
      expect(await redis.run('clientNoEvict', false)).toBe('OK');
      expect(await redis.run('clientNoTouch', true)).toBe('OK');
      expect((await redis.run('clientInfo')).flags).toContain('T');
      expect(await redis.run('clientNoTouch', false)).toBe('OK');

      const target = await openSpecRunner(inject('servers').standalone, { protocol: 2 });
      try {
        const targetId = (await target.raw('CLIENT', 'ID')) as number;
        expect(
          await redis.run('clientTracking', true, {
            REDIRECT: targetId,
            BCAST: true,
            PREFIX: [`${prefix}a`, `${prefix}b`],
            NOLOOP: true,
          }),
        ).toBe('OK');
        const info = await redis.run('clientTrackingInfo');
        expect(info.flags).toEqual(expect.arrayContaining(['on', 'bcast', 'noloop']));
        expect(info.redirect).toBe(targetId);
        expect([...info.prefixes].sort()).toEqual([`${prefix}a`, `${prefix}b`]);
        expect(await redis.run('clientGetRedir')).toBe(targetId);
        expect(await redis.run('clientTracking', false)).toBe('OK');
        expect(await redis.run('clientTracking', true, { REDIRECT: targetId, OPTIN: true })).toBe('OK');
        expect(await redis.run('clientCaching', true)).toBe('OK');
        expect(await redis.run('clientTracking', false)).toBe('OK');
        expect(await redis.run('clientTracking', true, { REDIRECT: targetId, OPTOUT: true })).toBe('OK');
        expect(await redis.run('clientCaching', false)).toBe('OK');
        expect(await redis.run('clientTracking', false)).toBe('OK');
        expect((await redis.run('clientTrackingInfo')).flags).toEqual(['off']);
        expect(await redis.run('clientGetRedir')).toBe(-1);
      } finally {
        await target.close();
      }
    });

    it('describes commands: COMMAND COUNT, DOCS, INFO, LIST, GETKEYS', async () => {
      expect(await redis.run('commandCount')).toBeGreaterThan(200);
      const docs = await redis.run('commandDocs', 'get', 'xadd', 'client');
      expect(docs.get?.summary).toContain('string value');
      expect(docs.get?.group).toBe('string');
      expect(docs.get?.arguments?.[0]).toMatchObject({
        name: 'key',
        type: 'key',
        displayText: 'key',
        keySpecIndex: 0,
      });
      const trim = docs.xadd?.arguments?.find((a) => a.name === 'trim');
      expect(trim?.type).toBe('block');
      expect(trim?.arguments?.[0]?.type).toBe('oneof');
      expect(Object.keys(docs.client?.subcommands ?? {})).toContain('client|no-evict');

      const [get, none] = await redis.run('commandInfo', 'get', 'nocommand');
      expect(get).toMatchObject({ name: 'get', arity: 2, firstKey: 1, lastKey: 1, step: 1 });
      expect(get?.flags).toEqual(expect.arrayContaining(['readonly', 'fast']));
      expect(get?.aclCategories).toEqual(expect.arrayContaining(['@read', '@string']));
      expect(get?.keySpecs[0]).toMatchObject({ flags: ['RO', 'access'], beginSearch: { type: 'index' } });
      expect(none).toBeNull();
      const [xinfo] = await redis.run('commandInfo', 'xinfo');
      expect(xinfo?.subcommands.map((s) => s.name)).toContain('xinfo|stream');

      expect((await redis.run('commandList', { PATTERN: 'xa*' })).sort()).toEqual([
        'xack',
        'xackdel',
        'xadd',
        'xautoclaim',
      ]);
      expect(await redis.run('commandList', { ACLCAT: 'geo' })).toContain('geosearch');
      expect(await redis.run('commandList')).toContain('get');
      expect(await redis.run('commandGetKeys', 'MSET', ['a', '1', 'b', '2'])).toEqual(['a', 'b']);
      expect(await redis.run('commandGetKeysAndFlags', 'LMOVE', 'src', 'dst', 'LEFT', 'LEFT')).toEqual([
        { key: 'src', flags: ['RW', 'access', 'delete'] },
        { key: 'dst', flags: ['RW', 'insert'] },
      ]);
    });

    it('reports memory, slow log and latency figures', async () => {
      const key = `${prefix}mem`;
      await redis.raw('SET', key, 'x'.repeat(1000));
      expect(await redis.run('memoryUsage', key)).toBeGreaterThan(1000);
      expect(await redis.run('memoryUsage', key, { SAMPLES: 0 })).toBeGreaterThan(1000);
      expect(await redis.run('memoryUsage', `${prefix}missing`)).toBeNull();
      expect(redis.build('memoryUsage', key).keyIndexes).toEqual([2]);
      const stats = await redis.run('memoryStats');
      expect(stats['peak.allocated']).toBeGreaterThan(0);
      expect(typeof stats['dataset.percentage']).toBe('number');
      expect((stats['db.0'] as Record<string, number>)['overhead.hashtable.main']).toBeGreaterThanOrEqual(0);
      expect(await redis.run('memoryDoctor')).toBeTypeOf('string');
      expect(await redis.run('memoryMallocStats')).toBeTypeOf('string');

      expect(await redis.run('slowlogLen')).toBeGreaterThanOrEqual(0);
      expect(Array.isArray(await redis.run('slowlogGet', 1))).toBe(true);
      expect(Array.isArray(await redis.run('latencyLatest'))).toBe(true);
      expect(Array.isArray(await redis.run('latencyHistory', 'command'))).toBe(true);
      expect(await redis.run('latencyDoctor')).toBeTypeOf('string');

      await redis.raw('GET', key);
      const histograms = await redis.run('latencyHistogram', 'get', ['set']);
      expect(histograms.get?.calls).toBeGreaterThanOrEqual(1);
      const buckets = Object.entries(histograms.get?.histogramUsec ?? {});
      expect(buckets.length).toBeGreaterThan(0);
      expect(buckets.every(([bound, count]) => Number(bound) > 0 && count > 0)).toBe(true);

      expect(Array.isArray(await redis.run('moduleList'))).toBe(true);
      expect(await redis.run('wait', 0, 0)).toBe(0);
      // On the writes' connection, not a pooled one; the deadline is the wait plus a margin.
      expect(redis.build('wait', 0, 0).blocking).toBeUndefined();
      expect(redis.build('wait', 1, 250).timeout).toBe(1250);
      expect(await redis.run('waitaof', 0, 0, 0)).toEqual([0, 0]);
      expect(redis.build('waitaof', 0, 0, 0).blocking).toBeUndefined();
    });

    it('manages ACL users: set, get, dry-run, log, delete', async () => {
      const user = `h2b-user-${protocol}`;
      expect(await redis.run('aclWhoAmI')).toBe('default');
      expect(await redis.run('aclUsers')).toContain('default');
      expect((await redis.run('aclList')).some((line) => line.startsWith('user default'))).toBe(true);
      expect(await redis.run('aclCat')).toContain('read');
      expect(await redis.run('aclCat', 'geo')).toContain('geoadd');
      expect(await redis.run('aclGenPass')).toMatch(/^[0-9a-f]{64}$/);
      expect(await redis.run('aclGenPass', 32)).toMatch(/^[0-9a-f]{8}$/);

      try {
        expect(await redis.run('aclSetUser', user, 'on', '>secret-pw', ['~h2b:*', '+get'])).toBe('OK');
        const got = await redis.run('aclGetUser', user);
        expect(got?.flags).toContain('on');
        expect(got?.passwords).toHaveLength(1);
        expect(got?.keys).toBe('~h2b:*');
        expect(got?.commands).toContain('+get');
        expect(got?.selectors).toEqual([]);
        expect(await redis.run('aclGetUser', `${user}-missing`)).toBeNull();
        expect(await redis.run('aclDryRun', user, 'GET', 'h2b:x')).toBe('OK');
        expect(await redis.run('aclDryRun', user, ['SET', 'h2b:x', 'v'])).toContain('no permissions');

        await errorOf(redis.raw('AUTH', user, 'wrong-password'));
        // Other test files share this server's ACL log: look for this test's own entry.
        const entry = (await redis.run('aclLog', 20)).find((e) => e.username === user);
        expect(entry).toMatchObject({ reason: 'auth', username: user, context: 'toplevel' });
        expect(typeof entry?.ageSeconds).toBe('number');
        expect(await redis.run('aclDelUser', user, [`${user}-missing`])).toBe(1);
      } finally {
        await redis.raw('ACL', 'DELUSER', user);
      }
      expect(await errorOf(redis.run('aclLoad'))).toBeInstanceOf(ReplyError);
      expect(await errorOf(redis.run('aclSave'))).toBeInstanceOf(ReplyError);
    });
  },
);

// Commands that change the whole server (flushes, SWAPDB, CONFIG SET, CLIENT PAUSE, saves, resets)
// run on a server of their own, one at a time, and put back what they changed.
describe.sequential('server-wide commands (a private server)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis({ args: ['--enable-debug-command', 'yes'] });
  });
  afterAll(() => server.stop());

  it.each([2, 3] as const)(
    'flushes db 9, swaps databases and flushes everything (RESP%i)',
    async (protocol) => {
      const redis = await openSpecRunner(server, { protocol });
      try {
        await redis.raw('SELECT', 9);
        await redis.raw('SET', 'a', '1');
        await redis.raw('SET', 'b', '2');
        expect(await redis.run('dbsize')).toBe(2);
        expect(await redis.run('flushdb', 'SYNC')).toBe('OK');
        expect(await redis.run('dbsize')).toBe(0);
        await redis.raw('SET', 'a', '1');
        expect(await redis.run('flushdb')).toBe('OK');
        expect(await redis.run('dbsize')).toBe(0);

        await redis.raw('SET', 'in9', '1');
        expect(await redis.run('swapdb', 9, 10)).toBe('OK');
        expect(await redis.run('dbsize')).toBe(0);
        expect(await redis.run('swapdb', 9, 10)).toBe('OK');
        expect(await redis.run('dbsize')).toBe(1);

        await redis.raw('SELECT', 0);
        await redis.raw('SET', 'in0', '1');
        expect(await redis.run('flushall', 'ASYNC')).toBe('OK');
        expect(await redis.run('flushall')).toBe('OK');
        expect(await redis.run('dbsize')).toBe(0);
      } finally {
        await redis.close();
      }
    },
  );

  it.each([2, 3] as const)('sets configuration and puts it back (RESP%i)', async (protocol) => {
    const redis = await openSpecRunner(server, { protocol });
    try {
      const before = await redis.run('configGet', 'maxmemory-samples', 'slowlog-max-len');
      expect(await redis.run('configSet', { 'maxmemory-samples': 7, 'slowlog-max-len': '99' })).toBe('OK');
      expect({ ...(await redis.run('configGet', 'maxmemory-samples', 'slowlog-max-len')) }).toEqual({
        'maxmemory-samples': '7',
        'slowlog-max-len': '99',
      });
      expect(await redis.run('configSet', [['maxmemory-samples', 3]])).toBe('OK');
      expect((await redis.run('configGet', 'maxmemory-samples'))['maxmemory-samples']).toBe('3');
      expect(await redis.run('configSet', before)).toBe('OK');
      expect({ ...(await redis.run('configGet', 'maxmemory-samples', 'slowlog-max-len')) }).toEqual({
        ...before,
      });
      await expect(redis.run('configSet', { 'no-such-parameter': 1 })).rejects.toBeInstanceOf(ReplyError);
      expect(await redis.run('configResetStat')).toBe('OK');
      expect(await redis.run('info', 'stats')).toMatch(/total_commands_processed:[0-9]\r\n/);
      // The harness starts servers without a config file, so REWRITE has nowhere to write.
      expect(await errorOf(redis.run('configRewrite'))).toBeInstanceOf(ReplyError);
    } finally {
      await redis.close();
    }
  });

  it.each([2, 3] as const)('pauses and unpauses clients (RESP%i)', async (protocol) => {
    const redis = await openSpecRunner(server, { protocol });
    const writer = await openSpecRunner(server, { protocol: 2 });
    try {
      expect(await redis.run('clientPause', 10_000, 'WRITE')).toBe('OK');
      let written = false;
      const write = writer.raw('SET', 'paused', '1').then(() => {
        written = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(written).toBe(false);
      expect(await redis.run('clientUnpause')).toBe('OK');
      await write;
      expect(written).toBe(true);
      expect(await redis.run('clientPause', 1)).toBe('OK');
    } finally {
      await redis.raw('CLIENT', 'UNPAUSE');
      await writer.close();
      await redis.close();
    }
  });

  it.each([2, 3] as const)(
    'saves, and resets the slow log, latency and ACL log (RESP%i)',
    async (protocol) => {
      const redis = await openSpecRunner(server, { protocol });
      try {
        expect(await redis.run('save')).toBe('OK');
        expect(await redis.run('lastsave')).toBeGreaterThan(Date.now() / 1000 - 60);
        const saved = async (): Promise<boolean> =>
          (await redis.run('info', 'persistence')).includes('rdb_bgsave_in_progress:0');
        expect(await redis.run('bgsave')).toMatch(/Background saving started/);
        await waitFor(saved);
        // With nothing else running, SCHEDULE starts the save at once (no window where it is pending).
        expect(await redis.run('bgsave', { SCHEDULE: true })).toMatch(/Background saving started/);
        await waitFor(saved);
        expect(await redis.run('bgrewriteaof')).toMatch(/Background append only file rewriting/);
        await waitFor(async () => {
          const persistence = await redis.run('info', 'persistence');
          return (
            persistence.includes('aof_rewrite_in_progress:0') &&
            persistence.includes('aof_rewrite_scheduled:0')
          );
        });

        const before = await redis.run('configGet', 'slowlog-log-slower-than', 'latency-monitor-threshold');
        await redis.run('configSet', { 'slowlog-log-slower-than': 0, 'latency-monitor-threshold': 1 });
        try {
          await redis.raw('DEBUG', 'SLEEP', '0.01');
          const [entry] = await redis.run('slowlogGet', 5);
          expect(entry?.args.map(String)).toEqual(['DEBUG', 'SLEEP', '0.01']);
          expect(entry?.duration).toBeGreaterThanOrEqual(10_000);
          expect(entry?.timestamp).toBeGreaterThan(Date.now() / 1000 - 60);
          expect(entry?.clientAddress).toMatch(/^127\.0\.0\.1:\d+$/);
          expect(await redis.run('slowlogLen')).toBeGreaterThanOrEqual(1);
          expect(await redis.run('slowlogReset')).toBe('OK');
          expect(await redis.run('slowlogLen')).toBeLessThanOrEqual(1);

          const latest = await redis.run('latencyLatest');
          const command = latest.find((l) => l.event === 'command');
          expect(command?.max).toBeGreaterThanOrEqual(10);
          const [sample] = await redis.run('latencyHistory', 'command');
          expect(sample?.latency).toBeGreaterThanOrEqual(10);
          expect(await redis.run('latencyGraph', 'command')).toContain('command');
          expect(await redis.run('latencyReset', 'command')).toBe(1);
          expect(await redis.run('latencyReset')).toBeGreaterThanOrEqual(0);
        } finally {
          await redis.run('configSet', before);
        }

        await errorOf(redis.raw('AUTH', 'nobody', 'wrong'));
        expect((await redis.run('aclLog')).length).toBeGreaterThan(0);
        expect(await redis.run('aclLogReset')).toBe('OK');
        expect(await redis.run('aclLog')).toEqual([]);
        expect(await redis.run('memoryPurge')).toBe('OK');
      } finally {
        await redis.close();
      }
    },
  );
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
