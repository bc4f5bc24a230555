import { type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient, ReplyError } from '../../src/index.js';
import { BUFFER_METHODS } from '../../src/internal/buffer-methods.js';

// ioredis's `…Buffer` twins (`getBuffer`, `hgetallBuffer`…): for every command that has one, on
// the client, a pipeline and a transaction, over RESP2 and RESP3, the twin's reply holds no string
// (what its type, the plain reply's with each string a Buffer, promises) and its bytes are the
// plain reply's text. The server is this file's own: other files flush scripts (EVALSHA) on the
// shared one, and RANDOMKEY needs a database nobody else writes.

type Target = Record<string, (...args: unknown[]) => unknown>;

type Name = (typeof BUFFER_METHODS)[number];
/** A method's parameters (`Parameters` cannot read a readonly rest parameter such as MGET's). */
type ArgsOf<F> = F extends (...args: infer A extends readonly unknown[]) => unknown ? A : never;

interface Case<K extends Name> {
  /** Puts the data the call reads (again before each call: many pop or delete what they read). */
  readonly setup: (redis: Client, key: (name: string) => string) => Promise<unknown>;
  /** The call's arguments, as the method types them. */
  readonly args: (key: (name: string) => string) => ArgsOf<Client[K]>;
}

const list = (redis: Client, k: (n: string) => string): Promise<unknown> =>
  redis.del(k('l')).then(() => redis.rpush(k('l'), 'ä1', 'b2', 'c3'));
const zset = (redis: Client, k: (n: string) => string): Promise<unknown> =>
  redis
    .del(k('z'), k('z2'))
    .then(() => redis.call('ZADD', k('z'), 1, 'ä', 2, 'b', 3, 'c'))
    .then(() => redis.call('ZADD', k('z2'), 2, 'b'));
const one = (redis: Client, k: (n: string) => string): Promise<unknown> =>
  redis
    .del(k('s'), k('h1'), k('z1'))
    .then(() =>
      Promise.all([
        redis.sadd(k('s'), 'ñ'),
        redis.hset(k('h1'), 'fé', 'vé'),
        redis.call('ZADD', k('z1'), 5, 'mé'),
      ]),
    );
const hash = (redis: Client, k: (n: string) => string): Promise<unknown> =>
  redis.del(k('h')).then(() => redis.hset(k('h'), { fä: 'v1', g: 'v2' }));
const sets = (redis: Client, k: (n: string) => string): Promise<unknown> =>
  redis
    .del(k('a'), k('b'))
    .then(() => Promise.all([redis.sadd(k('a'), 'x', 'ÿ'), redis.sadd(k('b'), 'ÿ', 'z')]));
const strings = (redis: Client, k: (n: string) => string): Promise<unknown> =>
  Promise.all([redis.set(k('s1'), 'héllo wörld'), redis.set(k('s2'), 'hé wö')]);
const stream = async (redis: Client, k: (n: string) => string): Promise<unknown> => {
  if ((await redis.exists(k('x'))) === 1) return;
  await redis.xadd(k('x'), '1-1', { fé: 'vé' });
  await redis.xadd(k('x'), '2-1', { g: 'w' });
  await redis.call('XGROUP', 'CREATE', k('x'), 'grp', '0');
  return redis.xreadgroup('grp', 'c1', [[k('x'), '>']]);
};

const SCRIPT = 'return {KEYS[1], ARGV[1], 7, {ARGV[1]}}';
const LIBRARY = `#!lua name=fusedis_buffer_twins
redis.register_function('twin_echo', function(keys, args) return {keys[1], args[1]} end)
redis.register_function{function_name='twin_echo_ro', callback=function(keys, args) return {keys[1], args[1]} end, flags={'no-writes'}}`;

const CASES: { readonly [K in Name]: Case<K> } = {
  get: { setup: strings, args: (k) => [k('s1')] },
  getdel: { setup: strings, args: (k) => [k('s1')] },
  getex: { setup: strings, args: (k) => [k('s1'), { EX: 100 }] },
  getset: { setup: strings, args: (k) => [k('s1'), 'new'] },
  getrange: { setup: strings, args: (k) => [k('s1'), 0, 5] },
  substr: { setup: strings, args: (k) => [k('s1'), 1, 4] },
  mget: { setup: strings, args: (k) => [[k('s1'), k('missing'), k('s2')]] },
  lcs: { setup: strings, args: (k) => [k('s1'), k('s2')] },
  hget: { setup: hash, args: (k) => [k('h'), 'fä'] },
  hmget: { setup: hash, args: (k) => [k('h'), 'fä', 'nope', 'g'] },
  hgetall: { setup: hash, args: (k) => [k('h')] },
  hkeys: { setup: hash, args: (k) => [k('h')] },
  hvals: { setup: hash, args: (k) => [k('h')] },
  hrandfield: { setup: one, args: (k) => [k('h1')] },
  hrandfieldCount: { setup: one, args: (k) => [k('h1'), 3] },
  hrandfieldWithValues: { setup: one, args: (k) => [k('h1'), 3] },
  hgetdel: { setup: hash, args: (k) => [k('h'), ['fä', 'nope']] },
  hgetex: { setup: hash, args: (k) => [k('h'), ['g', 'fä'], { EX: 100 }] },
  lpop: { setup: list, args: (k) => [k('l')] },
  rpop: { setup: list, args: (k) => [k('l')] },
  lpopCount: { setup: list, args: (k) => [k('l'), 2] },
  rpopCount: { setup: list, args: (k) => [k('l'), 2] },
  lrange: { setup: list, args: (k) => [k('l'), 0, -1] },
  lindex: { setup: list, args: (k) => [k('l'), 0] },
  lmove: { setup: list, args: (k) => [k('l'), k('l'), 'LEFT', 'RIGHT'] },
  rpoplpush: { setup: list, args: (k) => [k('l'), k('l')] },
  lmpop: { setup: list, args: (k) => [[k('l')], 'LEFT', 2] },
  blpop: { setup: list, args: (k) => [[k('l')], 1] },
  brpop: { setup: list, args: (k) => [[k('l')], 1] },
  blmove: { setup: list, args: (k) => [k('l'), k('l'), 'RIGHT', 'LEFT', 1] },
  brpoplpush: { setup: list, args: (k) => [k('l'), k('l'), 1] },
  blmpop: { setup: list, args: (k) => [1, [k('l')], 'RIGHT', 2] },
  smembers: { setup: one, args: (k) => [k('s')] },
  spop: { setup: one, args: (k) => [k('s')] },
  spopCount: { setup: one, args: (k) => [k('s'), 3] },
  srandmember: { setup: one, args: (k) => [k('s')] },
  srandmemberCount: { setup: one, args: (k) => [k('s'), 3] },
  sinter: { setup: sets, args: (k) => [[k('a'), k('b')]] },
  sunion: { setup: sets, args: (k) => [[k('a'), k('missing')]] },
  sdiff: { setup: sets, args: (k) => [[k('a'), k('b')]] },
  zrange: { setup: zset, args: (k) => [k('z'), 0, -1] },
  zrangeWithScores: { setup: zset, args: (k) => [k('z'), 0, -1] },
  zrevrange: { setup: zset, args: (k) => [k('z'), 0, 1] },
  zrevrangeWithScores: { setup: zset, args: (k) => [k('z'), 0, 1] },
  zrangebyscore: { setup: zset, args: (k) => [k('z'), 1, 2] },
  zrangebyscoreWithScores: { setup: zset, args: (k) => [k('z'), 1, 3] },
  zrevrangebyscore: { setup: zset, args: (k) => [k('z'), 3, 1] },
  zrevrangebyscoreWithScores: { setup: zset, args: (k) => [k('z'), 3, 2] },
  zrangebylex: { setup: zset, args: (k) => [k('z2'), '-', '+'] },
  zrevrangebylex: { setup: zset, args: (k) => [k('z2'), '+', '-'] },
  zpopmin: { setup: zset, args: (k) => [k('z'), 2] },
  zpopmax: { setup: zset, args: (k) => [k('z')] },
  bzpopmin: { setup: zset, args: (k) => [[k('z')], 1] },
  bzpopmax: { setup: zset, args: (k) => [[k('z')], 1] },
  zrandmember: { setup: one, args: (k) => [k('z1')] },
  zrandmemberCount: { setup: one, args: (k) => [k('z1'), 2] },
  zrandmemberWithScores: { setup: one, args: (k) => [k('z1'), 2] },
  zmpop: { setup: zset, args: (k) => [[k('z')], 'MIN', 2] },
  bzmpop: { setup: zset, args: (k) => [1, [k('z')], 'MAX', 2] },
  zunion: { setup: zset, args: (k) => [[k('z'), k('z2')]] },
  zunionWithScores: { setup: zset, args: (k) => [[k('z'), k('z2')]] },
  zinter: { setup: zset, args: (k) => [[k('z'), k('z2')]] },
  zinterWithScores: { setup: zset, args: (k) => [[k('z'), k('z2')]] },
  zdiff: { setup: zset, args: (k) => [[k('z'), k('z2')]] },
  zdiffWithScores: { setup: zset, args: (k) => [[k('z'), k('z2')]] },
  xrange: { setup: stream, args: (k) => [k('x'), '-', '+'] },
  xrevrange: { setup: stream, args: (k) => [k('x'), '+', '-'] },
  xread: { setup: stream, args: (k) => [[[k('x'), '0']]] },
  xreadgroup: { setup: stream, args: (k) => ['grp', 'c1', [[k('x'), '0']]] },
  keys: { setup: strings, args: (k) => [k('s1*')] },
  randomkey: {
    // The one key: the one a transaction's twin reads beside the call.
    setup: (redis, k) => redis.flushdb().then(() => redis.set(k('side'), 'sidé')),
    args: () => [],
  },
  sort: { setup: list, args: (k) => [k('l'), { ALPHA: true }] },
  sortRo: { setup: list, args: (k) => [k('l'), { ALPHA: true, LIMIT: { offset: 1, count: 2 } }] },
  eval: { setup: async () => {}, args: (k) => [SCRIPT, [k('é')], ['ä']] },
  evalsha: { setup: async () => {}, args: (k) => [sha1Of(SCRIPT), [k('é')], ['ä']] },
  evalRo: { setup: async () => {}, args: (k) => [SCRIPT, [k('é')], ['ä']] },
  evalshaRo: { setup: async () => {}, args: (k) => [sha1Of(SCRIPT), [k('é')], ['ä']] },
  fcall: { setup: async () => {}, args: (k) => ['twin_echo', [k('é')], ['ä']] },
  fcallRo: { setup: async () => {}, args: (k) => ['twin_echo_ro', [k('é')], ['ä']] },
};

/** Strings a twin keeps, as its type says: a stream's name (a map key in RESP3). */
const KEPT_STRINGS: Partial<Record<Name, RegExp>> = {
  xread: /^\$\.\d+\.name$/,
  xreadgroup: /^\$\.\d+\.name$/,
};

let scriptSha = '';
function sha1Of(_script: string): string {
  return scriptSha;
}

/** Calls `target[name](...args)`; a method that is missing fails the test by its name. */
function invoke(target: object, name: string, args: readonly unknown[]): unknown {
  const method = (target as Target)[name];
  if (typeof method !== 'function') throw new Error(`no method ${name}`);
  return method.apply(target, args as unknown[]);
}

/** Where a string is left in a reply (object keys aside: the decoder makes them strings). */
function stringsIn(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return [path];
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return [];
  return Object.entries(value).flatMap(([key, entry]) => stringsIn(entry, `${path}.${key}`));
}

/** A reply with every string and Buffer written as its bytes in hex, to compare the two kinds. */
function asBytes(value: unknown): unknown {
  if (typeof value === 'string') return `bytes:${Buffer.from(value, 'utf8').toString('hex')}`;
  if (Buffer.isBuffer(value)) return `bytes:${value.toString('hex')}`;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(asBytes);
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, asBytes(entry)]));
}

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

describe.each([2, 3] as const)('…Buffer methods over RESP%i', (protocol) => {
  const key = (name: string): string => `bufm:${protocol}:${name}`;
  let redis: Client;

  beforeAll(async () => {
    redis = createClient({ host: server.host, port: server.port, protocol, db: 1 });
    await redis.flushdb();
    scriptSha = await redis.scriptLoad(SCRIPT);
    await redis.call('FUNCTION', 'LOAD', 'REPLACE', LIBRARY);
  });
  afterAll(async () => {
    await redis.quit();
  });

  type Exec = { exec(): Promise<[Error | null, unknown][]> };
  const callers = {
    client: (name: string, args: readonly unknown[]) => invoke(redis, name, args),
    pipeline: async (name: string, args: readonly unknown[]) => {
      const [[error, value]] = (await (invoke(redis.pipeline(), name, args) as Exec).exec()) as [
        [Error | null, unknown],
      ];
      if (error !== null) throw error;
      return value;
    },
    'watch scope': (name: string, args: readonly unknown[]) =>
      redis.watch(key('watched'), (scope) => invoke(scope, name, args)),
    transaction: async (name: string, args: readonly unknown[]) => {
      await redis.set(key('side'), 'sidé');
      // A twin beside every call: one EXEC reply, read as bytes, carries both kinds, and the
      // plain command's reply is made text again from those bytes.
      const chained = invoke(invoke(redis.multi(), name, args) as object, 'getBuffer', [key('side')]) as Exec;
      const [[error, value], [, side]] = (await chained.exec()) as [[Error | null, unknown], [null, unknown]];
      expect(side).toEqual(Buffer.from('sidé'));
      if (error !== null) throw error;
      return value;
    },
  } as const;

  it.each(Object.keys(callers) as (keyof typeof callers)[])(
    'on a %s: every twin reads Buffers where its command reads strings, the same bytes',
    async (caller) => {
      const run = callers[caller];
      for (const name of BUFFER_METHODS) {
        const { setup, args } = CASES[name] as Case<Name>;
        await setup(redis, key);
        const plain = await run(name, args(key));
        await setup(redis, key);
        const twin = await run(`${name}Buffer`, args(key));
        expect({ name, strings: stringsIn(plain).length > 0 }).toEqual({ name, strings: true });
        const left = stringsIn(twin).filter((path) => !KEPT_STRINGS[name]?.test(path));
        expect({ name, left }).toEqual({ name, left: [] });
        expect({ name, bytes: asBytes(twin) }).toEqual({ name, bytes: asBytes(plain) });
      }
    },
  );

  it('keeps bytes that are not UTF-8, which the plain methods cannot', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80]);
    await redis.set(key('bin'), bytes);
    await redis.del(key('binl'), key('binh'));
    await redis.rpush(key('binl'), bytes, 'x');
    await redis.hset(key('binh'), 'f', bytes);
    expect(await redis.getBuffer(key('bin'))).toEqual(bytes);
    expect(await redis.get(key('bin'))).not.toEqual(bytes.toString('latin1'));
    expect(await redis.lrangeBuffer(key('binl'), 0, -1)).toEqual([bytes, Buffer.from('x')]);
    expect(await redis.hgetallBuffer(key('binh'))).toEqual({ f: bytes });
    expect(await redis.withOptions({ timeout: 1_000 }).mgetBuffer([key('bin'), key('none')])).toEqual([
      bytes,
      null,
    ]);
    expect(await redis.pipeline().getBuffer(key('bin')).exec()).toEqual([[null, bytes]]);
    // One EXEC reply with both kinds: the twin's bytes exact, the plain reply text, an error in place.
    const inTx = await redis
      .multi()
      .getBuffer(key('bin'))
      .set(key('t'), 'té')
      .get(key('t'))
      .get(key('binl'))
      .exec();
    expect(inTx.slice(0, 3)).toEqual([
      [null, bytes],
      [null, 'OK'],
      [null, 'té'],
    ]);
    expect(inTx[3]?.[0]).toBeInstanceOf(ReplyError);
  });

  it('DUMP keeps its exact bytes in a transaction and in a pipeline that asks for strings', async () => {
    await redis.set(key('d'), Buffer.from([0xc3, 0xa9, 0x00, 0xff]));
    const dumped = await redis.dump(key('d'));
    if (dumped === null) throw new Error('nothing dumped');
    const [[, inTx], [, text]] = (await redis.multi().dump(key('d')).get(key('d')).exec()) as [
      [null, unknown],
      [null, unknown],
    ];
    expect(inTx).toEqual(dumped);
    expect(text).toBe(Buffer.from([0xc3, 0xa9, 0x00, 0xff]).toString('utf8'));
    const [[, piped]] = (await redis.pipeline({ returnBuffers: false }).dump(key('d')).exec()) as [
      [null, unknown],
    ];
    expect(piped).toEqual(dumped);
    await redis.del(key('d'));
    expect(await redis.restore(key('d'), 0, inTx as Buffer)).toBe('OK');
    expect(await redis.getBuffer(key('d'))).toEqual(Buffer.from([0xc3, 0xa9, 0x00, 0xff]));
  });

  it('reads the same with a key prefix, and on a view that asks for strings', async () => {
    const prefixed = createClient({
      host: server.host,
      port: server.port,
      protocol,
      db: 1,
      keyPrefix: key('p:'),
    });
    try {
      await prefixed.set('k', 'vé');
      expect(await prefixed.getBuffer('k')).toEqual(Buffer.from('vé'));
      expect(await redis.getBuffer(key('p:k'))).toEqual(Buffer.from('vé'));
      expect(await prefixed.withOptions({ returnBuffers: false }).getBuffer('k')).toEqual(Buffer.from('vé'));
      expect(await prefixed.pipeline({ returnBuffers: false }).getBuffer('k').exec()).toEqual([
        [null, Buffer.from('vé')],
      ]);
    } finally {
      await prefixed.quit();
    }
  });
});
