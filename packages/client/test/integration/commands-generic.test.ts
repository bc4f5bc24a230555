import { ReplyError } from '@fusedis/resp';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

describe.each([2, 3] as const)('key commands over RESP%i', (protocol) => {
  const p = `cmd-generic:${protocol}:`;
  const redis = sharedSpecRunner(protocol, p, { clean: 'before' });
  beforeAll(async () => {
    // Runs after the runner opened: leftovers of an earlier run in database 1 go too.
    await redis.raw('SELECT', 1);
    await redis.raw('DEL', `${p}r1`, `${p}r5`);
    await redis.raw('SELECT', 0);
  });

  it('DEL, UNLINK, EXISTS and TOUCH count keys, given one by one or as an array', async () => {
    await redis.run('mset', { [`${p}a`]: '1', [`${p}b`]: '2', [`${p}c`]: '3', [`${p}d`]: '4' });
    expect(await redis.run('exists', `${p}a`, `${p}a`, `${p}missing`)).toBe(2);
    expect(await redis.run('exists', [`${p}a`, `${p}b`])).toBe(2);
    expect(await redis.run('touch', `${p}a`, [`${p}b`, `${p}missing`])).toBe(2);
    expect(await redis.run('del', `${p}a`, `${p}missing`)).toBe(1);
    expect(await redis.run('unlink', [`${p}b`, `${p}c`])).toBe(2);
    expect(await redis.run('exists', `${p}a`, `${p}b`, `${p}c`, `${p}d`)).toBe(1);
  });

  it('the EXPIRE family with NX/XX/GT/LT conditions, TTL/PTTL/EXPIRETIME, PERSIST', async () => {
    const key = `${p}exp`;
    await redis.run('set', key, 'v');
    expect(await redis.run('ttl', key)).toBe(-1);
    expect(await redis.run('ttl', `${p}missing`)).toBe(-2);
    expect(await redis.run('expire', key, 100, 'XX')).toBe(false);
    expect(await redis.run('expire', key, 100, 'NX')).toBe(true);
    expect(await redis.run('expire', key, 50, 'GT')).toBe(false);
    expect(await redis.run('expire', key, 200, 'GT')).toBe(true);
    expect(await redis.run('pexpire', key, 150_000, 'LT')).toBe(true);
    expect(await redis.run('pttl', key)).toBeGreaterThan(140_000);
    const at = Math.floor(Date.now() / 1000) + 1000;
    expect(await redis.run('expireat', key, at)).toBe(true);
    expect(await redis.run('expiretime', key)).toBe(at);
    expect(await redis.run('pexpireat', key, at * 1000 + 5)).toBe(true);
    expect(await redis.run('pexpiretime', key)).toBe(at * 1000 + 5);
    expect(await redis.run('persist', key)).toBe(true);
    expect(await redis.run('persist', key)).toBe(false);
    expect(await redis.run('expiretime', key)).toBe(-1);
    expect(await redis.run('pexpiretime', `${p}missing`)).toBe(-2);
    expect(await redis.run('expire', `${p}missing`, 10)).toBe(false);
  });

  it('TYPE names each type; a missing key is none', async () => {
    await redis.raw('SET', `${p}t:s`, 'v');
    await redis.raw('RPUSH', `${p}t:l`, 'v');
    await redis.raw('HSET', `${p}t:h`, 'f', 'v');
    await redis.raw('ZADD', `${p}t:z`, 1, 'm');
    expect(await redis.run('type', `${p}t:s`)).toBe('string');
    expect(await redis.run('type', `${p}t:l`)).toBe('list');
    expect(await redis.run('type', `${p}t:h`)).toBe('hash');
    expect(await redis.run('type', `${p}t:z`)).toBe('zset');
    expect(await redis.run('type', `${p}t:none`)).toBe('none');
    expect(await redis.runBuffers('type', `${p}t:s`)).toBe('string');
  });

  it('RENAME, RENAMENX, COPY and MOVE', async () => {
    await redis.run('set', `${p}r1`, 'v1');
    await redis.run('set', `${p}r2`, 'v2');
    expect(await redis.run('rename', `${p}r1`, `${p}r3`)).toBe('OK');
    await expect(redis.run('rename', `${p}r1`, `${p}r4`)).rejects.toBeInstanceOf(ReplyError);
    expect(await redis.run('renamenx', `${p}r3`, `${p}r2`)).toBe(false);
    expect(await redis.run('renamenx', `${p}r3`, `${p}r1`)).toBe(true);
    expect(await redis.run('copy', `${p}r1`, `${p}r2`)).toBe(false);
    expect(await redis.run('copy', `${p}r1`, `${p}r2`, { REPLACE: true })).toBe(true);
    expect(await redis.run('get', `${p}r2`)).toBe('v1');
    expect(await redis.run('copy', `${p}r1`, `${p}r5`, { DB: 1 })).toBe(true);
    expect(await redis.run('move', `${p}r1`, 1)).toBe(true);
    expect(await redis.run('exists', `${p}r1`)).toBe(0);
    await redis.raw('SELECT', 1);
    expect(await redis.run('get', `${p}r1`)).toBe('v1');
    expect(await redis.run('get', `${p}r5`)).toBe('v1');
    await redis.raw('DEL', `${p}r1`, `${p}r5`);
    await redis.raw('SELECT', 0);
  });

  it('KEYS, SCAN steps (MATCH, COUNT, TYPE) and RANDOMKEY', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `${p}scan:${i}`);
    await redis.run(
      'mset',
      keys.flatMap((k) => [k, 'v']),
    );
    await redis.raw('HSET', `${p}scan:hash`, 'f', 'v');
    expect(((await redis.run('keys', `${p}scan:*`)) as string[]).sort()).toEqual(
      [...keys, `${p}scan:hash`].sort(),
    );
    const seen = new Set<string>();
    let cursor = '0';
    let steps = 0;
    do {
      const step = await redis.run('scan', cursor, { MATCH: `${p}scan:*`, COUNT: 10, TYPE: 'string' });
      expect(typeof step.cursor).toBe('string');
      for (const key of step.keys) seen.add(key);
      cursor = step.cursor;
      steps++;
    } while (cursor !== '0');
    expect(steps).toBeGreaterThan(1);
    expect([...seen].sort()).toEqual([...keys].sort());
    // Other test files share this server: one SCAN step may not reach the key, the whole walk does.
    const found: unknown[] = [];
    let at = '0';
    do {
      const buffered = await redis.runBuffers('scan', at, { MATCH: `${p}scan:1`, COUNT: 1000 });
      expect(typeof buffered.cursor).toBe('string');
      found.push(...buffered.keys);
      at = buffered.cursor;
    } while (at !== '0');
    expect(found).toEqual([Buffer.from(`${p}scan:1`)]);
    expect(typeof (await redis.run('randomkey'))).toBe('string');
  });

  it('OBJECT ENCODING, IDLETIME, REFCOUNT; FREQ needs an LFU policy', async () => {
    await redis.run('set', `${p}obj`, '12345');
    await redis.run('set', `${p}objs`, 'some text');
    expect(await redis.run('objectEncoding', `${p}obj`)).toBe('int');
    expect(await redis.run('objectEncoding', `${p}objs`)).toBe('embstr');
    expect(await redis.run('objectEncoding', `${p}missing`)).toBeNull();
    expect(await redis.run('objectIdletime', `${p}objs`)).toBeGreaterThanOrEqual(0);
    expect(await redis.run('objectRefcount', `${p}objs`)).toBeGreaterThanOrEqual(1);
    await expect(redis.run('objectFreq', `${p}objs`)).rejects.toBeInstanceOf(ReplyError);
  });

  it('DUMP and RESTORE round-trip a value (with REPLACE, ABSTTL)', async () => {
    await redis.raw('RPUSH', `${p}dump`, 'a', 'b', 'ç');
    const dumped = await redis.runBuffers('dump', `${p}dump`);
    expect(Buffer.isBuffer(dumped)).toBe(true);
    expect(redis.build('dump', 'k').stringMode).toBe('buffer');
    if (dumped === null) throw new Error('DUMP returned null');
    expect(await redis.run('restore', `${p}restored`, 0, dumped)).toBe('OK');
    expect(await redis.raw('LRANGE', `${p}restored`, 0, -1)).toEqual(['a', 'b', 'ç']);
    await expect(redis.run('restore', `${p}restored`, 0, dumped)).rejects.toMatchObject({ code: 'BUSYKEY' });
    const at = Date.now() + 100_000;
    expect(await redis.run('restore', `${p}restored`, at, dumped, { REPLACE: true, ABSTTL: true })).toBe(
      'OK',
    );
    expect(await redis.raw('PEXPIRETIME', `${p}restored`)).toBe(at);
    expect(await redis.runBuffers('dump', `${p}missing`)).toBeNull();
  });

  it('SORT, SORT_RO and SORT … STORE with BY, LIMIT, GET, DESC, ALPHA', async () => {
    await redis.raw('RPUSH', `${p}sort`, '3', '1', '2');
    await redis.run('mset', { [`${p}w_1`]: '30', [`${p}w_2`]: '10', [`${p}w_3`]: '20', [`${p}o_1`]: 'one' });
    expect(await redis.run('sort', `${p}sort`)).toEqual(['1', '2', '3']);
    expect(await redis.run('sortRo', `${p}sort`, { DESC: true, LIMIT: { offset: 0, count: 2 } })).toEqual([
      '3',
      '2',
    ]);
    expect(await redis.run('sort', `${p}sort`, { BY: `${p}w_*` })).toEqual(['2', '3', '1']);
    expect(await redis.run('sort', `${p}sort`, { GET: [`${p}o_*`, '#'] })).toEqual([
      'one',
      '1',
      null,
      '2',
      null,
      '3',
    ]);
    await redis.raw('RPUSH', `${p}sorta`, 'b', 'a', 'c');
    expect(await redis.run('sort', `${p}sorta`, { ALPHA: true })).toEqual(['a', 'b', 'c']);
    await expect(redis.run('sort', `${p}sorta`)).rejects.toBeInstanceOf(ReplyError);
    expect(await redis.run('sortStore', `${p}sort`, `${p}sorted`, { DESC: true })).toBe(3);
    expect(await redis.raw('LRANGE', `${p}sorted`, 0, -1)).toEqual(['3', '2', '1']);
  });

  it('MIGRATE answers NOKEY when there is nothing to move', async () => {
    const { host, port } = inject('servers').standalone;
    expect(await redis.run('migrate', host, port, `${p}missing`, 0, 1000)).toBe('NOKEY');
    expect(
      await redis.run('migrate', host, port, [`${p}missing1`, `${p}missing2`], 0, 1000, { COPY: true }),
    ).toBe('NOKEY');
  });
});
