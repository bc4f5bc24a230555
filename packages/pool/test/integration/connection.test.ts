import { existsSync } from 'node:fs';
import { inspect } from 'node:util';
import { createJsDecoder, type DecoderFactory, ReplyError } from '@fusedis/resp';
import { startRedis } from '@fusedis/test-harness';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  Connection,
  ConnectionClosedError,
  InvalidOptionError,
  QueueFullError,
  tcp,
} from '../../src/index.js';
import { countingTransport, key, Opened, standalone } from './helpers.js';

const opened = new Opened();
afterEach(() => opened.closeAll());

/** A throwaway ACL user, removed in afterAll. */
const aclUser = `pool-test-${process.pid}`;
const aclPassword = 'p@ss w0rd-secret';
afterAll(async () => {
  const admin = await opened.open();
  await admin.send({ args: ['ACL', 'DELUSER', aclUser] });
  admin.destroy();
});

describe('Connection handshake', () => {
  it('negotiates RESP3 by default and reads the server version', async () => {
    const connection = await opened.open();
    expect(connection.protocol).toBe(3);
    expect(connection.serverVersion).toBe(standalone().version);
    expect(typeof connection.clientId).toBe('number');
    expect(await connection.send({ args: ['HSET', key('h'), 'f', 'v'] })).toBe(1);
    // RESP3 map: a null-prototype object.
    expect(await connection.send({ args: ['CONFIG', 'GET', 'maxmemory-policy'] })).toEqual(
      Object.assign(Object.create(null), { 'maxmemory-policy': 'noeviction' }),
    );
  });

  it('speaks RESP2 when asked (protocol: 2)', async () => {
    const connection = await opened.open({ protocol: 2 });
    expect(connection.protocol).toBe(2);
    expect(await connection.send({ args: ['CONFIG', 'GET', 'maxmemory-policy'] })).toEqual([
      'maxmemory-policy',
      'noeviction',
    ]);
  });

  it('authenticates an ACL user, selects the db, sets the name and library info', async () => {
    const admin = await opened.open();
    await admin.send({
      args: ['ACL', 'SETUSER', aclUser, 'on', `>${aclPassword}`, '~*', '&*', '+@all'],
    });
    const name = `pool-test-${process.pid}`;
    for (const protocol of [2, 3] as const) {
      const connection = await opened.open({
        protocol,
        username: aclUser,
        password: aclPassword,
        db: 3,
        clientName: name,
        libName: 'fusedis-pool-test',
        libVersion: '1.2.3',
      });
      expect(await connection.send({ args: ['ACL', 'WHOAMI'] })).toBe(aclUser);
      const info = String(await connection.send({ args: ['CLIENT', 'INFO'] }));
      expect(info).toContain(`name=${name} `);
      expect(info).toContain(' db=3 ');
      expect(info).toContain('lib-name=fusedis-pool-test');
      expect(info).toContain('lib-ver=1.2.3');
      const list = String(await admin.send({ args: ['CLIENT', 'LIST'] }));
      expect(list).toContain(`name=${name}`);
      // The password is in no enumerable or inspectable place.
      expect(inspect(connection, { showHidden: true, depth: 5 })).not.toContain(aclPassword);
      expect(JSON.stringify(connection)).not.toContain(aclPassword);
      connection.destroy();
    }
  });

  it('rejects a wrong password with the server error, without the password in it', async () => {
    const err = await opened
      .open({ username: aclUser, password: 'not-the-password' })
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(ReplyError);
    expect((err as ReplyError).code).toBe('WRONGPASS');
    expect(String(err)).not.toContain('not-the-password');
  });

  it('falls back to RESP2 with AUTH and CLIENT SETNAME when the server does not know HELLO', async () => {
    // A server with HELLO renamed away answers like Redis 5: "ERR unknown command 'HELLO'".
    const old = await startRedis({ args: ['--rename-command', 'HELLO', '', '--requirepass', 'legacy-pw'] });
    try {
      const connection = opened.add(
        await Connection.open({
          transport: tcp({ host: old.host, port: old.port }),
          password: 'legacy-pw',
          clientName: 'legacy-client',
          db: 2,
        }),
      );
      expect(connection.protocol).toBe(2);
      expect(connection.serverVersion).toBeUndefined();
      const info = String(await connection.send({ args: ['CLIENT', 'INFO'] }));
      expect(info).toContain('name=legacy-client ');
      expect(info).toContain(' db=2 ');
      expect(info).toContain(' resp=2 ');
      const refused = await Connection.open({
        transport: tcp({ host: old.host, port: old.port }),
        password: 'wrong',
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ReplyError);
      expect((refused as ReplyError).code).toBe('WRONGPASS');
    } finally {
      opened.closeAll();
      await old.stop();
    }
  });

  it.skipIf(!existsSync('/usr/bin/redis-server'))(
    "ignores CLIENT SETINFO errors from servers older than 7.2 (Debian's redis-server; skipped without it)",
    async () => {
      const old = await startRedis({ redisServer: '/usr/bin/redis-server' });
      try {
        const connection = opened.add(
          await Connection.open({
            transport: tcp({ host: old.host, port: old.port }),
            libName: 'fusedis',
            libVersion: '0.0.0',
            db: 1,
          }),
        );
        expect(connection.serverVersion).toBe(old.version);
        expect(
          await connection.send({ args: ['CLIENT', 'SETINFO', 'LIB-NAME', 'x'] }).catch((e: unknown) => e),
        ).toBeInstanceOf(ReplyError); // the server really lacks it
        expect(String(await connection.send({ args: ['CLIENT', 'INFO'] }))).toContain(' db=1 ');
      } finally {
        opened.closeAll();
        await old.stop();
      }
    },
  );

  it('decodes with any DecoderFactory and decodeOptions it is given', async () => {
    let feeds = 0;
    const counting: DecoderFactory = (sink, options) => {
      const inner = createJsDecoder(sink, options);
      return {
        feed: (chunk) => {
          feeds++;
          inner.feed(chunk);
        },
        reset: () => inner.reset(),
      };
    };
    const connection = await opened.open({
      decoder: counting,
      decodeOptions: { maps: 'map', integers: 'bigint' },
    });
    const k = key('map');
    await connection.send({ args: ['HSET', k, 'f', 'v'] });
    expect(await connection.send({ args: ['HGETALL', k] })).toEqual(new Map([['f', 'v']]));
    expect(await connection.send({ args: ['INCR', key('n')] })).toBe(1n);
    expect(feeds).toBeGreaterThanOrEqual(3);
  });

  it('validates options before connecting', async () => {
    await expect(Connection.open({ transport: undefined as never })).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
    const { host, port } = standalone();
    await expect(Connection.open({ transport: tcp({ host, port }), protocol: 4 as 3 })).rejects.toThrow(
      /protocol/,
    );
    expect(() => tcp({ port: 70_000 })).toThrow(InvalidOptionError);
  });
});

/** A connection over a transport that counts the socket's writes. */
async function countingConnection(): Promise<{
  connection: Connection;
  counting: ReturnType<typeof countingTransport>;
}> {
  const { host, port } = standalone();
  const counting = countingTransport(host, port);
  const connection = opened.add(await Connection.open({ transport: counting.transport }));
  return { connection, counting };
}

describe('Connection commands', () => {
  it('coalesces the sends of one tick into one write (auto-pipelining)', async () => {
    const { connection, counting } = await countingConnection();
    const k = key('pipe');
    const before = counting.writes();
    const replies = await Promise.all(
      Array.from({ length: 500 }, (_, i) => connection.send({ args: ['RPUSH', k, i] })),
    );
    expect(counting.writes() - before).toBe(1);
    expect(replies).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    // sendMany joins the tick's batch: the sends before and after it, and other batches, share its write.
    const single = connection.send({ args: ['LLEN', k] });
    const many = connection.sendMany([{ args: ['LINDEX', k, 0] }, { args: ['LINDEX', k, -1] }]);
    const more = connection.sendMany([{ args: ['LINDEX', k, 1] }]);
    const after = connection.send({ args: ['LINDEX', k, 2] });
    expect(counting.writes() - before).toBe(1); // not yet: at the end of the tick
    expect(await single).toBe(500);
    expect(await many).toEqual(['0', '499']);
    expect(await more).toEqual(['1']);
    expect(await after).toBe('2');
    expect(counting.writes() - before).toBe(2);
  });

  it('writes a burst of more than 1,024 sends in parts, the first before the burst ends', async () => {
    const { connection, counting } = await countingConnection();
    const k = key('parts');
    const before = counting.writes();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 1024; i++) sends.push(connection.send({ args: ['RPUSH', k, i] }));
    // The 1,024th send of the tick wrote the batch: the server can start on it now.
    expect(counting.writes() - before).toBe(1);
    for (let i = 1024; i < 2500; i++) sends.push(connection.send({ args: ['RPUSH', k, i] }));
    expect(counting.writes() - before).toBe(2);
    const replies = await Promise.all(sends);
    // The rest (452) went out at the end of the tick.
    expect(counting.writes() - before).toBe(3);
    expect(replies).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(await connection.send({ args: ['LRANGE', k, 2498, -1] })).toEqual(['2498', '2499']);
  });

  it('writes a large sendMany in parts of 1,024 commands, replies in order', async () => {
    const { connection, counting } = await countingConnection();
    const k = key('many-parts');
    const before = counting.writes();
    const many = connection.sendMany(Array.from({ length: 3000 }, (_, i) => ({ args: ['RPUSH', k, i] })));
    expect(counting.writes() - before).toBe(3);
    expect(await many).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
  });

  it('keeps a large sendMany in order with the sends queued before and after it in the tick', async () => {
    const { connection } = await countingConnection();
    const k = key('many-mixed');
    const first = connection.send({ args: ['ECHO', 'first'] });
    const many = connection.sendMany(Array.from({ length: 2500 }, (_, i) => ({ args: ['RPUSH', k, i] })));
    const last = connection.send({ args: ['LLEN', k] });
    const alone = connection.sendMany(Array.from({ length: 1500 }, (_, i) => ({ args: ['LINDEX', k, i] })));
    expect(await first).toBe('first');
    expect(await many).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(await last).toBe(2500);
    expect(await alone).toEqual(Array.from({ length: 1500 }, (_, i) => String(i)));
  });

  it('refuses a large sendMany with one bad command before writing any part of it', async () => {
    const { connection, counting } = await countingConnection();
    const k = key('many-bad');
    const commands = Array.from({ length: 3000 }, (_, i) => ({
      args: i === 2800 ? ['RPUSH', k, Number.NaN] : ['RPUSH', k, i],
    }));
    const before = counting.writes();
    const neighbour = connection.send({ args: ['ECHO', 'neighbour'] });
    await expect(connection.sendMany(commands)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(await neighbour).toBe('neighbour');
    // Only the neighbour went out (one buffer); no RPUSH reached the server.
    expect(counting.writes() - before).toBe(1);
    expect(await connection.send({ args: ['EXISTS', k] })).toBe(0);
    expect(connection.inFlight).toBe(0);
  });

  it('writes each send at once with autoPipeline: false', async () => {
    const { host, port } = standalone();
    const counting = countingTransport(host, port);
    const connection = opened.add(
      await Connection.open({ transport: counting.transport, autoPipeline: false }),
    );
    const before = counting.writes();
    const replies = await Promise.all([1, 2, 3].map((n) => connection.send({ args: ['ECHO', n] })));
    expect(counting.writes() - before).toBe(3);
    expect(replies).toEqual(['1', '2', '3']);
  });

  it('keeps ReplyErrors in place in sendMany and rejects a single send with one', async () => {
    const connection = await opened.open();
    const k = key('str');
    const replies = await connection.sendMany([
      { args: ['SET', k, 'v'] },
      { args: ['LPUSH', k, 'x'] },
      { args: ['GET', k] },
    ]);
    expect(replies[0]).toBe('OK');
    expect(replies[1]).toBeInstanceOf(ReplyError);
    expect((replies[1] as ReplyError).code).toBe('WRONGTYPE');
    expect(replies[2]).toBe('v');
    await expect(connection.send({ args: ['LPUSH', k, 'x'] })).rejects.toMatchObject({ code: 'WRONGTYPE' });
    expect(await connection.send({ args: ['GET', k] })).toBe('v');
  });

  it('decodes strings per command: Buffer for one, string for its neighbours', async () => {
    const connection = await opened.open();
    const k = key('bin');
    const bytes = Buffer.from([0xff, 0x00, 0xfe]);
    await connection.send({ args: ['SET', k, bytes] });
    const [asText, asBytes, again] = await Promise.all([
      connection.send({ args: ['ECHO', 'hi'] }),
      connection.send({ args: ['GET', k], stringMode: 'buffer' }),
      connection.send({ args: ['ECHO', 'ho'] }),
    ]);
    expect(asText).toBe('hi');
    expect(Buffer.isBuffer(asBytes) && asBytes.equals(bytes)).toBe(true);
    expect(again).toBe('ho');
    const mixed = await connection.sendMany([
      { args: ['GET', k] },
      { args: ['GET', k], stringMode: 'buffer' },
    ]);
    expect(typeof mixed[0]).toBe('string');
    expect(Buffer.isBuffer(mixed[1])).toBe(true);
  });

  it('rejects only the command whose argument cannot be encoded; its batch-mates go out', async () => {
    const connection = await opened.open();
    const [before, bad, after] = await Promise.allSettled([
      connection.send({ args: ['ECHO', 'before'] }),
      connection.send({ args: ['ECHO', Number.NaN] }),
      connection.send({ args: ['ECHO', 'after'] }),
    ]);
    expect(before).toEqual({ status: 'fulfilled', value: 'before' });
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'ERR_INVALID_ARGUMENT' } });
    expect(after).toEqual({ status: 'fulfilled', value: 'after' });
    await expect(connection.sendMany([{ args: ['SUBSCRIBE', 'x'] }])).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
    expect(connection.inFlight).toBe(0);
  });

  it('refuses sends past maxInFlight with QueueFullError', async () => {
    const connection = await opened.open({ maxInFlight: 2 });
    const a = connection.send({ args: ['PING'] });
    const b = connection.send({ args: ['PING'] });
    await expect(connection.send({ args: ['PING'] })).rejects.toBeInstanceOf(QueueFullError);
    expect(connection.inFlight).toBe(2);
    expect(await Promise.all([a, b])).toEqual(['PONG', 'PONG']);
    expect(connection.inFlight).toBe(0);
  });

  it('close() waits for pending replies, then refuses new commands and emits close once', async () => {
    const connection = await opened.open();
    const closes: (Error | undefined)[] = [];
    connection.on('close', (err) => closes.push(err));
    const pending = connection.send({ args: ['ECHO', 'last'] });
    const closing = connection.close();
    expect(connection.closed).toBe(true);
    await expect(connection.send({ args: ['PING'] })).rejects.toMatchObject({ written: false });
    expect(await pending).toBe('last');
    await closing;
    connection.destroy();
    expect(closes).toEqual([undefined]);
    // A listener added after the close still hears about it, once.
    const late = await new Promise<Error | undefined>((resolve) => connection.on('close', resolve));
    expect(late).toBeUndefined();
  });

  it('rejects pending commands with ConnectionClosedError when the server kills the connection', async () => {
    const connection = await opened.open();
    const admin = await opened.open();
    const closes: (Error | undefined)[] = [];
    connection.on('close', (err) => closes.push(err));
    const blocked = connection
      .send({ args: ['BLPOP', key('never'), 0], timeout: 0 })
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await admin.send({ args: ['CLIENT', 'KILL', 'ID', connection.clientId as number] });
    const err = await blocked;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err).toMatchObject({ written: true, code: 'ERR_CONNECTION_CLOSED' });
    expect(connection.closed).toBe(true);
    expect(closes).toHaveLength(1);
  });
});
