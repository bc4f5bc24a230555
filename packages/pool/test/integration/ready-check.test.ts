import { type LoadingRedis, startLoadingRedis } from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Connection, tcp } from '../../src/index.js';
import { Opened } from './helpers.js';

let loading: LoadingRedis;
const opened = new Opened();

beforeAll(async () => {
  loading = await startLoadingRedis();
});

afterEach(async () => {
  await loading.idle();
  opened.closeAll();
});

afterAll(() => loading?.stop());

function open(readyCheck: boolean): Promise<Connection> {
  const { host, port } = loading.server;
  return Connection.open({ transport: tcp({ host, port }), readyCheck, connectTimeout: 200 }).then((c) =>
    opened.add(c),
  );
}

describe('Connection.open() readyCheck', () => {
  it('resolves only once the server has loaded its data, whatever connectTimeout says', async () => {
    const { finished } = await loading.reload();
    const connection = await open(true);
    expect(finished()).toBe(true);
    expect(await connection.send({ args: ['GET', 'key:5'] })).toBe('value:5');
  });

  it('with readyCheck: false, resolves at once and commands meet LOADING', async () => {
    const { done } = await loading.reload();
    const connection = await open(false);
    await expect(connection.send({ args: ['GET', 'key:5'] })).rejects.toMatchObject({ code: 'LOADING' });
    await done;
    expect(await connection.send({ args: ['GET', 'key:5'] })).toBe('value:5');
  });
});
