import { randomUUID } from 'node:crypto';
import { waitFor } from '@fusedis/test-harness';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type Client, ConnectionClosedError, createClient, ReplyError } from '../../src/index.js';

/**
 * A password the server refuses, with the default `retryStrategy` (retry forever): `connect()`
 * and the commands waiting for the connection must be told why within an attempt or two, not
 * hang (`connect()` never settled) or end in a `TimeoutError` after `commandTimeout` (30 s) that
 * hides the cause. The client keeps retrying, so it serves again once the password is accepted.
 */
const server = inject('servers').standalone;
const user = `rotating-${randomUUID().slice(0, 8)}`;
const admin = createClient({ host: server.host, port: server.port });
const opened: Client[] = [];

afterAll(async () => {
  await Promise.all(opened.map((client) => client.disconnect()));
  await admin.call('ACL', 'DELUSER', user).catch(() => {});
  await admin.quit();
});

function open(password: string): { client: Client; errors: Error[] } {
  const client = createClient({ host: server.host, port: server.port, username: user, password });
  const errors: Error[] = [];
  client.on('error', (err) => errors.push(err));
  opened.push(client);
  return { client, errors };
}

/** `call`'s rejection and how long it took. */
async function refusal(call: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const started = performance.now();
  const err = await call.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  return { err, ms: performance.now() - started };
}

function expectRefused(err: unknown): void {
  expect(err).toBeInstanceOf(ConnectionClosedError);
  expect((err as ConnectionClosedError).written).toBe(false);
  const cause = (err as Error).cause;
  expect(cause).toBeInstanceOf(ReplyError);
  expect((cause as ReplyError).code).toBe('WRONGPASS');
  expect(String((err as Error).message)).not.toContain('pass-');
}

describe('a password the server refuses', () => {
  it('rejects connect() and the waiting commands at once, with the refusal as the cause', async () => {
    await admin.call('ACL', 'SETUSER', user, 'on', 'resetpass', '>pass-right', '~*', '+@all');
    const { client, errors } = open('pass-wrong');
    const [connecting, get, pop] = await Promise.all([
      refusal(client.connect()),
      refusal(client.get('refused:k')),
      refusal(client.blpop(['refused:q'], 0.1)),
    ]);
    for (const outcome of [connecting, get]) {
      expectRefused(outcome.err);
      expect(outcome.ms).toBeLessThan(2_000);
    }
    // A blocking command opened its own pooled connection, refused the same way.
    expect(pop.ms).toBeLessThan(2_000);
    expect((pop.err as Error).message).toMatch(/WRONGPASS/);
    expect(errors.some((err) => err instanceof ReplyError && err.code === 'WRONGPASS')).toBe(true);
    expect(client.status).not.toBe('end'); // still retrying, as ioredis does
  });

  it('after a reconnect is refused, fails fast, then serves again once the password is accepted', async () => {
    await admin.call('ACL', 'SETUSER', user, 'on', 'resetpass', '>pass-1', '~*', '+@all');
    const { client } = open('pass-1');
    expect(await client.set('refused:n', '1')).toBe('OK');
    // The password is rotated on the server and the connection dropped: reconnects are refused.
    await admin.call('ACL', 'SETUSER', user, 'resetpass', '>pass-2');
    await admin.call('CLIENT', 'KILL', 'USER', user);
    const get = await refusal(client.get('refused:n'));
    expectRefused(get.err);
    expect(get.ms).toBeLessThan(3_000);
    // Set back: the retry loop gets through, and commands are served again.
    await admin.call('ACL', 'SETUSER', user, 'resetpass', '>pass-1');
    await waitFor('the client to reconnect', async () => client.status === 'ready', 10_000, 50);
    expect(await client.get('refused:n')).toBe('1');
  });
});
