import { describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';

describe.each([2, 3] as const)('stream commands over RESP%i', (protocol) => {
  const prefix = `h2b:stream:${protocol}:`;
  const redis = sharedSpecRunner(protocol, prefix);

  it('adds entries from objects and pairs, and reads them forwards and backwards', async () => {
    const key = `${prefix}basic`;
    expect(await redis.run('xadd', key, '1-1', { a: '1', b: 'two' })).toBe('1-1');
    expect(await redis.run('xadd', key, '2-1', [['__proto__', 'x']])).toBe('2-1');
    const id = await redis.run('xadd', key, '*', new Map([['c', 3]]));
    expect(id).toMatch(/^\d+-\d+$/);
    expect(await redis.run('xlen', key)).toBe(3);

    const entries = await redis.run('xrange', key, '-', '+');
    expect(entries.map((e) => e.id)).toEqual(['1-1', '2-1', id]);
    expect({ ...entries[0]?.fields }).toEqual({ a: '1', b: 'two' });
    expect(Object.getPrototypeOf(entries[1]?.fields)).toBeNull();
    expect(Object.hasOwn(entries[1]?.fields ?? {}, '__proto__')).toBe(true);
    expect(await redis.run('xrange', key, '(1-1', '+', { COUNT: 1 })).toEqual([
      { id: '2-1', fields: expect.objectContaining({}) },
    ]);
    const reversed = await redis.run('xrevrange', key, '+', '-', { COUNT: 2 });
    expect(reversed.map((e) => e.id)).toEqual([id, '2-1']);

    const [buffered] = await redis.runBuffers('xrange', key, '-', '1-1');
    expect(buffered?.fields.b).toEqual(Buffer.from('two'));
    expect(await redis.run('xrange', `${prefix}missing`, '-', '+')).toEqual([]);
  });

  it("refuses fields given as a string, storing nothing (they were stored as the string's characters)", async () => {
    const key = `${prefix}string-fields`;
    await expect(redis.run('xadd', key, '*', 'field' as never)).rejects.toThrow(
      'XADD: field/value pairs must be an object, a Map or an array, not a string',
    );
    expect(await redis.run('exists', key)).toBe(0);
  });

  it('honours NOMKSTREAM and trims with MAXLEN, MINID, ~ and LIMIT', async () => {
    const key = `${prefix}trim`;
    expect(await redis.run('xadd', key, '*', { a: '1' }, { NOMKSTREAM: true })).toBeNull();
    for (let i = 1; i <= 5; i++) await redis.run('xadd', key, `${i}-0`, { i: String(i) });
    expect(
      await redis.run('xadd', key, '6-0', { i: '6' }, { TRIM: { strategy: 'MAXLEN', threshold: 4 } }),
    ).toBe('6-0');
    expect(await redis.run('xlen', key)).toBe(4);
    expect(await redis.run('xtrim', key, { strategy: 'MINID', threshold: '5-0' })).toBe(2);
    expect(
      await redis.run('xtrim', key, { strategy: 'MAXLEN', modifier: '~', threshold: 0, limit: 10 }),
    ).toBeGreaterThanOrEqual(0);
    expect(
      await redis.run(
        'xadd',
        key,
        '7-0',
        { i: '7' },
        { TRIM: { strategy: 'MAXLEN', threshold: 1 }, policy: 'KEEPREF' },
      ),
    ).toBe('7-0');
    expect(await redis.run('xlen', key)).toBe(1);
    expect(await redis.run('xtrim', key, { strategy: 'MAXLEN', threshold: 0, policy: 'DELREF' })).toBe(1);
  });

  it('deletes entries with XDEL and XDELEX', async () => {
    const key = `${prefix}del`;
    for (let i = 1; i <= 4; i++) await redis.run('xadd', key, `${i}-0`, { i: String(i) });
    expect(await redis.run('xdel', key, '1-0', ['2-0', '9-0'])).toBe(2);
    expect(await redis.run('xdelex', key, ['3-0', '9-0'])).toEqual([1, -1]);
    await redis.run('xgroupCreate', key, 'g', '0');
    await redis.run('xreadgroup', 'g', 'c', { [key]: '>' });
    expect(await redis.run('xdelex', key, ['4-0'], { policy: 'ACKED' })).toEqual([2]);
  });

  it('takes one id as itself in XDELEX, XACKDEL and XCLAIM, never as its characters (12 was the ids 1 and 2)', async () => {
    const key = `${prefix}one-id`;
    for (const id of ['1', '2', '12', '13']) await redis.run('xadd', key, `${id}-0`, { id });
    await redis.run('xgroupCreate', key, 'g', '0');
    await redis.run('xreadgroup', 'g', 'alice', { [key]: '>' });
    expect(await redis.run('xclaimJustId', key, 'g', 'bob', 0, '13')).toEqual(['13-0']);
    expect(await redis.run('xackdel', key, 'g', '13')).toEqual([1]);
    expect(await redis.run('xdelex', key, '12')).toEqual([1]);
    expect((await redis.run('xrange', key, '-', '+')).map((e) => e.id)).toEqual(['1-0', '2-0']);
  });

  it('reads several streams with XREAD, as objects or pairs; null when nothing arrives', async () => {
    const a = `${prefix}read:a`;
    const b = `${prefix}read:b`;
    await redis.run('xadd', a, '1-0', { x: '1' });
    await redis.run('xadd', a, '2-0', { x: '2' });
    await redis.run('xadd', b, '1-0', { y: '1' });
    const read = await redis.run('xread', { [a]: '0', [b]: '0' }, { COUNT: 1 });
    expect(read).toEqual([
      { name: a, entries: [{ id: '1-0', fields: expect.objectContaining({ x: '1' }) }] },
      { name: b, entries: [{ id: '1-0', fields: expect.objectContaining({ y: '1' }) }] },
    ]);
    const pairs = await redis.run('xread', [[a, '1-0']]);
    expect(pairs?.[0]?.entries.map((e) => e.id)).toEqual(['2-0']);
    // node-redis's form: the same read.
    expect(await redis.run('xread', [{ key: a, id: '1-0' }])).toEqual(pairs);
    expect(await redis.run('xread', { [a]: '$' }, { BLOCK: 10 })).toBeNull();
    expect(await redis.run('xread', { [a]: '9-0' })).toBeNull();
    const [buffered] = (await redis.runBuffers('xread', { [b]: '0' })) ?? [];
    expect(buffered?.name).toBe(b);
    expect(buffered?.entries[0]?.fields.y).toEqual(Buffer.from('1'));
  });

  it('runs a consumer group: create, read, pending, claim, ack, destroy', async () => {
    const key = `${prefix}group`;
    expect(await redis.run('xgroupCreate', key, 'g', '$', { MKSTREAM: true, ENTRIESREAD: 0 })).toBe('OK');
    expect(await redis.run('xgroupCreateConsumer', key, 'g', 'alice')).toBe(true);
    expect(await redis.run('xgroupCreateConsumer', key, 'g', 'alice')).toBe(false);
    for (let i = 1; i <= 3; i++) await redis.run('xadd', key, `${i}-0`, { n: String(i) });

    const read = await redis.run('xreadgroup', 'g', 'alice', { [key]: '>' }, { COUNT: 2 });
    expect(read?.[0]?.entries.map((e) => e.id)).toEqual(['1-0', '2-0']);
    expect(await redis.run('xreadgroup', 'g', 'bob', [[key, '>']], { NOACK: true })).toEqual([
      { name: key, entries: [{ id: '3-0', fields: expect.objectContaining({ n: '3' }) }] },
    ]);
    expect(await redis.run('xreadgroup', 'g', 'bob', { [key]: '>' }, { BLOCK: 10 })).toBeNull();

    const summary = await redis.run('xpending', key, 'g');
    expect(summary).toEqual({
      count: 2,
      minId: '1-0',
      maxId: '2-0',
      consumers: [{ name: 'alice', pending: 2 }],
    });
    const pending = await redis.run('xpendingRange', key, 'g', '-', '+', 10, { consumer: 'alice' });
    expect(pending.map((p) => [p.id, p.consumer, p.deliveries])).toEqual([
      ['1-0', 'alice', 1],
      ['2-0', 'alice', 1],
    ]);
    expect(await redis.run('xpendingRange', key, 'g', '-', '+', 10, { IDLE: 3_600_000 })).toEqual([]);

    const claimed = await redis.run('xclaim', key, 'g', 'bob', 0, ['1-0'], { RETRYCOUNT: 5 });
    expect(claimed).toEqual([{ id: '1-0', fields: expect.objectContaining({ n: '1' }) }]);
    expect(await redis.run('xclaimJustId', key, 'g', 'bob', 0, ['2-0'], { IDLE: 0, FORCE: true })).toEqual([
      '2-0',
    ]);
    const auto = await redis.run('xautoclaim', key, 'g', 'carol', 0, '0-0', { COUNT: 1 });
    expect(auto.nextId).toBe('2-0');
    expect(auto.entries.map((e) => e.id)).toEqual(['1-0']);
    expect(auto.deletedIds).toEqual([]);
    const justIds = await redis.run('xautoclaimJustId', key, 'g', 'carol', 0, '0-0');
    expect(justIds).toEqual({ nextId: '0-0', entries: ['1-0', '2-0'], deletedIds: [] });

    const history = await redis.run('xreadgroup', 'g', 'carol', { [key]: '0' });
    expect(history?.[0]?.entries.map((e) => e.id)).toEqual(['1-0', '2-0']);

    expect(await redis.run('xack', key, 'g', '1-0', ['9-0'])).toBe(1);
    expect(await redis.run('xackdel', key, 'g', ['2-0', '9-0'])).toEqual([1, -1]);
    expect(await redis.run('xlen', key)).toBe(2);
    expect(await redis.run('xgroupSetId', key, 'g', '0', { ENTRIESREAD: 0 })).toBe('OK');
    expect(await redis.run('xgroupDelConsumer', key, 'g', 'carol')).toBe(0);
    expect(await redis.run('xgroupDestroy', key, 'g')).toBe(true);
    expect(await redis.run('xgroupDestroy', key, 'g')).toBe(false);
  });

  it('reports deleted pending entries as fields: null and deletedIds', async () => {
    const key = `${prefix}deleted`;
    await redis.run('xgroupCreate', key, 'g', '0', { MKSTREAM: true });
    await redis.run('xadd', key, '1-0', { n: '1' });
    await redis.run('xadd', key, '2-0', { n: '2' });
    await redis.run('xreadgroup', 'g', 'alice', { [key]: '>' });
    await redis.run('xdel', key, '1-0');
    const history = await redis.run('xreadgroup', 'g', 'alice', { [key]: '0' });
    expect(history?.[0]?.entries[0]).toEqual({ id: '1-0', fields: null });
    const auto = await redis.run('xautoclaim', key, 'g', 'bob', 0, '0-0');
    expect(auto.deletedIds).toEqual(['1-0']);
    expect(auto.entries.map((e) => e.id)).toEqual(['2-0']);
  });

  it('describes streams, groups and consumers as objects', async () => {
    const key = `${prefix}info`;
    await redis.run('xadd', key, '1-1', { a: '1' });
    await redis.run('xadd', key, '2-1', { b: '2' });
    await redis.run('xgroupCreate', key, 'g', '0');
    await redis.run('xreadgroup', 'g', 'alice', { [key]: '>' }, { COUNT: 1 });

    const info = await redis.run('xinfoStream', key);
    expect(info.length).toBe(2);
    expect(info.lastGeneratedId).toBe('2-1');
    expect(info.groups).toBe(1);
    expect(info.entriesAdded).toBe(2);
    expect(info.firstEntry).toEqual({ id: '1-1', fields: expect.objectContaining({ a: '1' }) });
    expect(info.lastEntry?.id).toBe('2-1');

    const full = await redis.run('xinfoStreamFull', key, { COUNT: 10 });
    expect(full.length).toBe(2);
    expect(full.entries.map((e) => e.id)).toEqual(['1-1', '2-1']);
    expect(full.groups[0]?.name).toBe('g');
    const consumers = (full.groups[0]?.consumers ?? []) as { name: string }[];
    expect(consumers[0]?.name).toBe('alice');

    const [group] = await redis.run('xinfoGroups', key);
    expect(group).toMatchObject({
      name: 'g',
      consumers: 1,
      pending: 1,
      lastDeliveredId: '1-1',
      entriesRead: 1,
      lag: 1,
    });
    const [consumer] = await redis.run('xinfoConsumers', key, 'g');
    expect(consumer?.name).toBe('alice');
    expect(consumer?.pending).toBe(1);
    expect(typeof consumer?.idle).toBe('number');

    expect(await redis.run('xsetid', key, '5-0', { ENTRIESADDED: 10, MAXDELETEDID: '3-0' })).toBe('OK');
    const after = await redis.run('xinfoStream', key);
    expect(after.lastGeneratedId).toBe('5-0');
    expect(after.entriesAdded).toBe(10);
    expect(after.maxDeletedEntryId).toBe('3-0');

    // Buffer mode: names stay text, values stay bytes.
    const buffered = await redis.runBuffers('xinfoStream', key);
    expect(buffered.length).toBe(2);
    expect(buffered.lastGeneratedId).toEqual(Buffer.from('5-0'));
    expect(buffered.firstEntry?.fields.a).toEqual(Buffer.from('1'));
    const [bufferedGroup] = await redis.runBuffers('xinfoGroups', key);
    expect(bufferedGroup?.name).toEqual(Buffer.from('g'));
    expect(bufferedGroup?.pending).toBe(1);
  });
});
