import { randomUUID } from 'node:crypto';
import {
  type RedisCluster,
  type SentinelGroup,
  serverCommand,
  startCluster,
  startFaultProxy,
  startSentinelGroup,
} from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Client, ConnectionClosedError, createClient } from '../../src/index.js';

/**
 * Calls issued right before `quit()` or `disconnect()`, in the same tick: a plain read, a blocking
 * pop and a `watch()` scope (both on a pooled connection) and a `multi()`. `quit()` is graceful, so
 * each gets its reply, as in ioredis and node-redis, whatever state the client was in (not yet
 * connected, connected, or with an idle pooled connection to lend), and no connection stays open
 * after it. `disconnect()` is immediate: each rejects with `ConnectionClosedError`.
 */
const server = inject('servers').standalone;
let cluster: RedisCluster;
let group: SentinelGroup;

beforeAll(async () => {
  [cluster, group] = await Promise.all([
    startCluster({ masters: 3, replicasPerMaster: 0 }),
    startSentinelGroup(),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([cluster?.stop(), group?.stop()]);
});

type StartState = 'not yet connected' | 'connected' | 'with an idle pooled connection';
const STATES: readonly StartState[] = ['not yet connected', 'connected', 'with an idle pooled connection'];

async function prepare(client: Client, state: StartState, tag: string): Promise<void> {
  if (state !== 'not yet connected') await client.get(`${tag}:warm`);
  if (state === 'with an idle pooled connection') await client.blpop([`${tag}:warm`], 0.01);
}

/** Each call's outcome: its reply, or its error's class name. */
function issueMix(client: Client, tag: string, popSeconds: number): Promise<Record<string, unknown>> {
  const outcome = (call: Promise<unknown>): Promise<unknown> =>
    call.then(
      (value) => value,
      (err: Error) => err.constructor.name,
    );
  const calls = {
    get: outcome(client.get(`${tag}:k`)),
    blpop: outcome(client.blpop([`${tag}:q`], popSeconds)),
    watch: outcome(client.watch(`{${tag}}:w`, async (tx) => tx.multi().incr(`{${tag}}:w`).exec())),
    multi: outcome(client.multi().incr(`${tag}:m`).exec()),
  };
  return Promise.all(Object.values(calls)).then((values) =>
    Object.fromEntries(Object.keys(calls).map((name, i) => [name, values[i]])),
  );
}

const SERVED = { get: null, blpop: null, watch: [[null, 1]], multi: [[null, 1]] };

/** Connections on these servers still named `name`. */
async function connectionsNamed(ports: readonly number[], name: string): Promise<number> {
  let count = 0;
  for (const port of ports) {
    const list = String(await serverCommand(port, 'CLIENT', 'LIST'));
    count += list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
  }
  return count;
}

/** Waits (a little) for the server to see closed sockets go. */
async function settledConnections(ports: readonly number[], name: string): Promise<number> {
  let count = await connectionsNamed(ports, name);
  for (let i = 0; i < 20 && count > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    count = await connectionsNamed(ports, name);
  }
  return count;
}

type RouterKind = 'cluster' | 'sentinel';

function routerClient(kind: RouterKind, name: string): Client {
  return kind === 'cluster'
    ? createClient({ cluster: { seeds: cluster.seeds }, clientName: name })
    : createClient({
        sentinel: { sentinels: group.sentinelAddresses, masterName: group.masterName },
        clientName: name,
      });
}

/** The servers a router client of this kind talks to. */
async function routerPorts(kind: RouterKind): Promise<number[]> {
  return kind === 'cluster'
    ? cluster.masters.map((node) => node.port)
    : [await group.currentMasterPort(), ...group.sentinelAddresses.map((s) => s.port)];
}

/** `disconnect()` returns at once, and every call of the mix rejects with `ConnectionClosedError`. */
async function expectDisconnectedAtOnce(
  client: Client,
  outcomes: Promise<Record<string, unknown>>,
): Promise<void> {
  const started = performance.now();
  await client.disconnect();
  expect(performance.now() - started).toBeLessThan(1_000);
  const closed = ConnectionClosedError.name;
  expect(await outcomes).toEqual({ get: closed, blpop: closed, watch: closed, multi: closed });
}

describe('quit() and disconnect() with calls issued just before', () => {
  for (const state of STATES) {
    it(`standalone, ${state}: quit() serves them all`, async () => {
      const tag = `qp:${randomUUID()}`;
      const name = `qp${randomUUID().slice(0, 8)}`;
      const client = createClient({ host: server.host, port: server.port, clientName: name });
      await prepare(client, state, tag);
      const outcomes = issueMix(client, tag, 0.05);
      await client.quit();
      expect(await outcomes).toEqual(SERVED);
      expect(await settledConnections([server.port], name)).toBe(0);
    });

    it(`standalone, ${state}: disconnect() rejects them all at once`, async () => {
      const tag = `qp:${randomUUID()}`;
      const client = createClient({ host: server.host, port: server.port });
      client.on('error', () => {});
      await prepare(client, state, tag);
      // A pop that would block 5 s: before, one handed an idle pooled connection a microtask
      // after disconnect() ran on it, and disconnect() waited for it.
      await expectDisconnectedAtOnce(client, issueMix(client, tag, 5));
    });
  }

  for (const state of STATES) {
    for (const kind of ['cluster', 'sentinel'] as const) {
      it(`${kind}, ${state}: quit() serves them all, and leaves no connection open`, async () => {
        const tag = `qp:${randomUUID()}`;
        const name = `qp${randomUUID().slice(0, 8)}`;
        const client = routerClient(kind, name);
        await prepare(client, state, tag);
        const outcomes = issueMix(client, tag, 0.05);
        await client.quit();
        // Before: once connected, a sentinel client's read and multi() rejected (the link closed
        // a microtask before they reached it); before the topology or master was known, the calls
        // went on over links opened after quit(), left open for good.
        expect(await outcomes).toEqual(SERVED);
        expect(await settledConnections(await routerPorts(kind), name)).toBe(0);
      });

      it(`${kind}, ${state}: disconnect() rejects them all at once, a BLPOP 0 too`, async () => {
        const tag = `qp:${randomUUID()}`;
        const name = `qp${randomUUID().slice(0, 8)}`;
        const client = routerClient(kind, name);
        client.on('error', () => {});
        await prepare(client, state, tag);
        const forever = client.blpop([`{${tag}}:forever`], 0).catch((err: Error) => err.constructor.name);
        // Connected, the BLPOP 0 is surely blocking on the server before the rest is issued.
        if (state !== 'not yet connected') await new Promise((resolve) => setTimeout(resolve, 50));
        // Before, a router client's disconnect() closed gracefully: it waited for the BLPOP 0 for ever.
        await expectDisconnectedAtOnce(client, issueMix(client, tag, 5));
        expect(await forever).toBe(ConnectionClosedError.name);
        expect(await settledConnections(await routerPorts(kind), name)).toBe(0);
      });
    }
  }

  for (const kind of ['cluster', 'sentinel'] as const) {
    it(`${kind}: disconnect() during a discovery nobody answers returns at once; quit() waits for it`, async () => {
      const upstream = kind === 'cluster' ? cluster.seeds[0] : group.sentinelAddresses[0];
      const proxy = await startFaultProxy({ host: '127.0.0.1', port: upstream?.port ?? 0 });
      try {
        proxy.setMode('blackhole');
        const seeds = [{ host: proxy.host, port: proxy.port }];
        const open = (): Client => {
          const client =
            kind === 'cluster'
              ? createClient({ cluster: { seeds }, connectTimeout: 1_000 })
              : createClient({
                  sentinel: { sentinels: seeds, masterName: group.masterName },
                  connectTimeout: 1_000,
                });
          client.on('error', () => {});
          return client;
        };
        const hurried = open();
        const get = hurried.get('qp:blackhole').catch((err: Error) => err);
        await new Promise((resolve) => setTimeout(resolve, 50));
        let started = performance.now();
        await hurried.disconnect();
        expect(performance.now() - started).toBeLessThan(500);
        expect(await get).toBeInstanceOf(ConnectionClosedError);
        // Graceful: the discovery in flight ends first (here at its connect timeout).
        const patient = open();
        const waited = patient.get('qp:blackhole').catch((err: Error) => err);
        await new Promise((resolve) => setTimeout(resolve, 50));
        started = performance.now();
        await patient.quit();
        expect(performance.now() - started).toBeGreaterThan(500);
        expect(await waited).toBeInstanceOf(Error);
      } finally {
        await proxy.close();
      }
    });
  }
});
