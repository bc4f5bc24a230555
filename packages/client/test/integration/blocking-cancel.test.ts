import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type Client, createClient, TimeoutError } from '../../src/index.js';

/**
 * A blocking command cancelled by its caller (an AbortSignal, a client-side timeout) must not take
 * an element for nobody. Dropping its connection at once lets a push that reaches the server first
 * be popped for a connection that is going away; the client unblocks it on the server instead, and
 * a reply the server had already sent is handed over rather than dropped.
 */
const server = inject('servers').standalone;
const opened: Client[] = [];

afterAll(async () => {
  await Promise.all(opened.map((client) => client.quit().catch(() => {})));
});

/** A client whose connections carry a name of their own, so CLIENT LIST can tell them apart. */
function open(protocol: 2 | 3): { client: Client; name: string } {
  const name = `cancel-${randomUUID().slice(0, 8)}`;
  const client = createClient({ host: server.host, port: server.port, clientName: name, protocol });
  opened.push(client);
  return { client, name };
}

/** `field` (`id`, `cmd`) of each of this client's connections that is blocked, by CLIENT LIST. */
async function blocked(client: Client, name: string, field: 'id' | 'cmd'): Promise<string[]> {
  const list = String(await client.call('CLIENT', 'LIST'));
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `) && /flags=\S*b/.test(line))
    .map((line) => line.match(new RegExp(`(?:^| )${field}=(\\S+)`))?.[1] ?? '?');
}

/** The commands this client's connections are blocked in. */
const blockedIn = (client: Client, name: string): Promise<string[]> => blocked(client, name, 'cmd');
/** The ids of this client's connections that are blocked. */
const blockedIds = (client: Client, name: string): Promise<string[]> => blocked(client, name, 'id');

async function untilBlocked(client: Client, name: string, command: string): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!(await blockedIn(client, name)).includes(command)) {
    if (performance.now() > deadline) throw new Error(`${command} never blocked`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A way to block in `BLPOP key 0` that `signal` cancels. */
type BlockedPopStart = (client: Client, key: string, signal: AbortSignal) => Promise<unknown>;

const clientPop: BlockedPopStart = (client, key, signal) => client.withOptions({ signal }).blpop([key], 0);

/** Each way: the client's own, and inside a `watch()` scope (served, call() gives `[key, element]`). */
const BLOCKED_POPS: readonly [string, BlockedPopStart][] = [
  ['client.blpop', clientPop],
  ['scope.blpop', (client, key, signal) => client.watch(key, (scope) => scope.blpop([key], 0), { signal })],
  [
    'scope.call',
    (client, key, signal) => client.watch(key, (scope) => scope.call('BLPOP', key, 0), { signal }),
  ],
];

/** A client blocked in `BLPOP key 0` (the list emptied first; `start` says how) that `controller` can abort. */
async function blockedPop(protocol: 2 | 3, label: string, start = clientPop) {
  const { client, name } = open(protocol);
  const key = `cancel:${label}:${protocol}`;
  await client.del(key);
  const controller = new AbortController();
  const popped = start(client, key, controller.signal);
  await untilBlocked(client, name, 'blpop');
  return { client, name, key, controller, popped };
}

describe.each([2, 3] as const)('a cancelled blocking command loses nothing (RESP%i)', (protocol) => {
  it.each(BLOCKED_POPS)(
    'an aborted BLPOP (%s) takes nothing pushed after its rejection',
    async (way, start) => {
      const { client, name, key, controller, popped } = await blockedPop(protocol, `abort:${way}`, start);
      const reason = new Error('stop waiting');
      controller.abort(reason);
      await expect(popped).rejects.toBe(reason);
      // Right after the rejection: before, the dropped connection was often still blocked, and took it.
      await client.rpush(key, 'kept');
      expect(await client.lrange(key, 0, -1)).toEqual(['kept']);
      expect(await blockedIn(client, name)).toEqual([]);
    },
  );

  it('a timed-out BLMOVE and call("BLPOP") move nothing after their TimeoutError', async () => {
    const { client, name } = open(protocol);
    const source = `cancel:{t${protocol}}:source`;
    const target = `cancel:{t${protocol}}:target`;
    await client.del(source, target);
    const moved = client.withOptions({ timeout: 100 }).blmove(source, target, 'LEFT', 'RIGHT', 0);
    await expect(moved).rejects.toBeInstanceOf(TimeoutError);
    await client.rpush(source, 'a');
    const called = client.withOptions({ timeout: 100 }).call('BLPOP', `${source}:other`, 0);
    await expect(called).rejects.toBeInstanceOf(TimeoutError);
    await client.rpush(`${source}:other`, 'b');
    expect(await client.lrange(source, 0, -1)).toEqual(['a']);
    expect(await client.lrange(target, 0, -1)).toEqual([]);
    expect(await client.lrange(`${source}:other`, 0, -1)).toEqual(['b']);
    expect(await blockedIn(client, name)).toEqual([]);
    await client.del(`${source}:other`);
  });

  it.each(BLOCKED_POPS)(
    'an abort that reaches the server after a push hands over what was popped (%s)',
    async (way, start) => {
      const { client, key, controller, popped } = await blockedPop(protocol, `race:${way}`, start);
      // The push leaves in this tick's write on the shared connection, before the unblock: the
      // server serves the BLPOP first. Before, the call rejected and the element was gone.
      const pushed = client.rpush(key, 'served');
      controller.abort(new Error('too late'));
      expect(await pushed).toBe(1);
      expect(await popped).toEqual(way === 'scope.call' ? [key, 'served'] : { key, element: 'served' });
      expect(await client.llen(key)).toBe(0);
    },
  );

  it('an aborted XREADGROUP BLOCK leaves no entry pending for a consumer that has gone', async () => {
    const { client, name } = open(protocol);
    const stream = `cancel:stream:${protocol}`;
    await client.del(stream);
    await client.xgroupCreate(stream, 'workers', '$', { MKSTREAM: true });
    const controller = new AbortController();
    const read = client
      .withOptions({ signal: controller.signal })
      .xreadgroup('workers', 'gone', { [stream]: '>' }, { BLOCK: 0 });
    await untilBlocked(client, name, 'xreadgroup');
    controller.abort(new Error('stop'));
    await expect(read).rejects.toThrow('stop');
    await client.xadd(stream, '*', { job: '1' });
    // Before, the dropped connection's XREADGROUP could take it: pending for 'gone', read by nobody.
    expect(await client.xpending(stream, 'workers')).toMatchObject({ count: 0 });
    await client.del(stream);
  });

  it('lends the unblocked connection again: the next blocking command waits on the same one', async () => {
    const { client, name, key, controller, popped: first } = await blockedPop(protocol, 'reuse');
    const [id] = await blockedIds(client, name);
    controller.abort(new Error('stop'));
    await expect(first).rejects.toThrow('stop');
    const second = client.blpop([key], 5);
    await untilBlocked(client, name, 'blpop');
    expect(await blockedIds(client, name)).toEqual([id]); // before, a new connection each time
    await client.rpush(key, 'x');
    expect(await second).toEqual({ key, element: 'x' });
  });

  it('the next blocking command after a cancelled one is served as usual', async () => {
    const { client } = open(protocol);
    const key = `cancel:next:${protocol}`;
    await client.del(key);
    await expect(client.withOptions({ timeout: 50 }).blpop([key], 0)).rejects.toBeInstanceOf(TimeoutError);
    const next = client.blpop([key], 5);
    await client.rpush(key, 'next');
    expect(await next).toEqual({ key, element: 'next' });
  });
});

describe.each([2, 3] as const)(
  'a cancelled pipeline holding blocking commands loses nothing (RESP%i)',
  (protocol) => {
    it('an aborted pipeline takes nothing pushed after its rejection', async () => {
      const { client, name } = open(protocol);
      const key = `cancel:pipe:${protocol}`;
      await client.del(key);
      const controller = new AbortController();
      const sent = client
        .pipeline()
        .set(`${key}:set`, '1')
        .blpop([key], 0)
        .exec({ signal: controller.signal });
      await untilBlocked(client, name, 'blpop');
      const reason = new Error('stop the pipeline');
      controller.abort(reason);
      await expect(sent).rejects.toBe(reason);
      // Before, its connection was dropped at once and often still blocked when this arrived.
      await client.rpush(key, 'kept');
      expect(await client.lrange(key, 0, -1)).toEqual(['kept']);
      expect(await blockedIn(client, name)).toEqual([]);
      await client.del(key, `${key}:set`);
    });

    it('a timed-out pipeline unblocks each of its blocking commands, and hands over what one took', async () => {
      const { client, name } = open(protocol);
      const [full, empty] = [`cancel:pipe:{${protocol}}:full`, `cancel:pipe:{${protocol}}:empty`];
      await client.del(full, empty);
      await client.rpush(full, 'taken');
      const started = performance.now();
      const replies = await client
        .pipeline()
        .blpop([empty], 0)
        .blpop([full], 0)
        .blpop([empty], 0)
        .exec({ timeout: 100 });
      expect(performance.now() - started).toBeLessThan(1_000);
      // The middle BLPOP popped an element: rejecting would have dropped it.
      expect(replies).toEqual([
        [null, null],
        [null, { key: full, element: 'taken' }],
        [null, null],
      ]);
      await client.rpush(empty, 'stays');
      expect(await client.lrange(empty, 0, -1)).toEqual(['stays']);
      expect(await blockedIn(client, name)).toEqual([]);
      await client.del(empty);
    });
  },
);

describe.each([2, 3] as const)('a blocking command in a watch() scope (RESP%i)', (protocol) => {
  it('a scope BLPOP and call("BLPOP") wait past the client command timeout, as client.blpop does', async () => {
    const name = `cancel-${randomUUID().slice(0, 8)}`;
    const client = createClient({
      host: server.host,
      port: server.port,
      clientName: name,
      protocol,
      commandTimeout: 100,
    });
    opened.push(client);
    const key = `cancel:watch:slow:${protocol}`;
    await client.del(key);
    const run = client.watch(key, async (scope) => [
      await scope.blpop([key], 0),
      await scope.call('BLPOP', key, 0),
    ]);
    await untilBlocked(client, name, 'blpop');
    await new Promise((resolve) => setTimeout(resolve, 250));
    await client.rpush(key, 'late');
    await untilBlocked(client, name, 'blpop');
    await new Promise((resolve) => setTimeout(resolve, 250)); // before, call('BLPOP') timed out here
    await client.rpush(key, 'later');
    expect(await run).toEqual([{ key, element: 'late' }, [key, 'later']]);
  });
});

describe('a cancelled blocking command when the server will not unblock it', () => {
  it('rejects all the same, and its connection is dropped (a user without CLIENT UNBLOCK)', async () => {
    const admin = open(3).client;
    const user = `cancel-user-${randomUUID().slice(0, 8)}`;
    await admin.call('ACL', 'SETUSER', user, 'on', '>secret', '~*', '&*', '+@all', '-client|unblock');
    try {
      const name = `cancel-${randomUUID().slice(0, 8)}`;
      const client = createClient({
        host: server.host,
        port: server.port,
        username: user,
        password: 'secret',
        clientName: name,
      });
      opened.push(client);
      const key = `cancel:acl:${user}`;
      const started = performance.now();
      await expect(client.withOptions({ timeout: 100 }).blpop([key], 0)).rejects.toBeInstanceOf(TimeoutError);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(await blockedIn(admin, name)).toEqual([]);
    } finally {
      await admin.call('ACL', 'DELUSER', user);
    }
  });
});
