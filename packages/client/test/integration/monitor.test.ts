import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type Client, createClient, type MonitorEvent } from '../../src/index.js';

const server = inject('servers').standalone;
const opened: Client[] = [];

function open(protocol: 2 | 3, returnBuffers = false): Client {
  const client = createClient({ host: server.host, port: server.port, protocol, returnBuffers });
  opened.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.disconnect()));
});

/** Polls until `check()` holds, or fails after 5 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe.each([
  [2, false],
  [3, false],
  [3, true],
] as const)('monitor() over RESP%i (returnBuffers: %s)', (protocol, returnBuffers) => {
  const key = `mon:${protocol}:${returnBuffers}:${process.pid}`;

  it('reports each command the server runs, with its db, source and exact arguments', async () => {
    const client = open(protocol, returnBuffers);
    const other = createClient({ host: server.host, port: server.port, db: 3 });
    opened.push(other);
    const seen: MonitorEvent[] = [];
    const monitor = await client.monitor((event) => {
      if (event.args.includes(key)) seen.push(event);
    });
    const tricky = 'a "quoted" \\ back\nslash — café';
    await other.set(key, tricky);
    await other.call('GET', key);
    await until(() => seen.length === 2);
    expect(seen.map((e) => e.args)).toEqual([
      ['SET', key, tricky],
      ['GET', key],
    ]);
    const id = (await other.call('CLIENT', 'INFO')) as string;
    const address = /(?:^| )addr=(\S+)/.exec(id)?.[1];
    expect(seen[0]?.source).toBe(address);
    expect(seen[0]?.db).toBe(3);
    expect(Math.abs((seen[0]?.time ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    // The client keeps serving commands on its own connection meanwhile.
    expect(await client.ping()).toEqual(returnBuffers ? Buffer.from('PONG') : 'PONG');
    await monitor.stop();
    await monitor.closed;
    await other.call('GET', key);
    await sleep(50);
    expect(seen).toHaveLength(2);
  });
});

describe('monitor() ends', () => {
  it('with quit(), and when its connection is killed; a listener that throws does not stop it', async () => {
    const client = open(3);
    const admin = open(3);
    const seen: string[] = [];
    const marker = `mon:end:${process.pid}`;
    const thrown: unknown[] = [];
    const onUncaught = (err: unknown): void => void thrown.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const monitor = await client.monitor((event) => {
        if (!event.args.includes(marker)) return;
        seen.push(event.args[0] ?? '');
        if (seen.length === 1) throw new Error('listener bug');
      });
      await admin.call('ECHO', marker);
      await admin.call('PING', marker);
      await until(() => seen.length === 2);
      await until(() => thrown.length === 1);
      expect(seen).toEqual(['ECHO', 'PING']);
      expect(String(thrown[0])).toContain('listener bug');
      const list = (await admin.call('CLIENT', 'LIST')) as string;
      const line = list.split('\n').find((l) => /flags=O\b/.test(l));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await admin.call('CLIENT', 'KILL', 'ID', id as string);
      await monitor.closed; // not reopened
      const second = await client.monitor(() => {});
      await client.quit();
      await second.closed;
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
