import type { Command } from '@fusedis/resp';
import { describe, expect, inject, it } from 'vitest';
import type { SpecArgs } from '../../src/command-spec.js';
import { bitmapCommands } from '../../src/commands/bitmap.js';
import { keyCommands } from '../../src/commands/generic.js';
import { hashCommands } from '../../src/commands/hash.js';
import { hyperLogLogCommands } from '../../src/commands/hyperloglog.js';
import { COMMANDS, type Commands } from '../../src/commands/index.js';
import { listCommands } from '../../src/commands/list.js';
import { setCommands } from '../../src/commands/set.js';
import { sortedSetCommands } from '../../src/commands/sorted-set.js';
import { stringCommands } from '../../src/commands/string.js';
import { vectorSetCommands } from '../../src/commands/vector-set.js';
import { openSpecRunner } from '../support/spec-runner.js';

/**
 * The core command tables checked against the running server's own metadata: every command of
 * the groups has a method, and each method's keys, read-only and blocking marks match what
 * `COMMAND GETKEYS` and `COMMAND INFO` say.
 */
describe('the command tables cover the core groups of the running server', () => {
  /** Server commands these tables leave out on purpose, and where they are instead. */
  const ELSEWHERE = new Set(['wait', 'waitaof', 'pfdebug', 'pfselftest']);
  const GROUPS = new Set(['string', 'generic', 'hash', 'list', 'set', 'sorted-set', 'bitmap', 'hyperloglog']);

  it('has a method for every command (and container subcommand) of these groups', async () => {
    const redis = await openSpecRunner(inject('servers').standalone, { protocol: 3 });
    try {
      const docs = (await redis.raw('COMMAND', 'DOCS')) as Record<string, Record<string, unknown>>;
      const missing: string[] = [];
      let checked = 0;
      for (const [name, doc] of Object.entries(docs)) {
        if (!GROUPS.has(String(doc.group)) || ELSEWHERE.has(name)) continue;
        const subcommands = doc.subcommands as Record<string, unknown> | undefined;
        const names =
          subcommands === undefined
            ? [name]
            : Object.keys(subcommands).filter((sub) => !sub.endsWith('|help'));
        for (const full of names) {
          const method = full.replace(/[|_]([a-z])/g, (_, c: string) => c.toUpperCase());
          checked++;
          if (!(method in COMMANDS)) missing.push(full);
        }
      }
      // Vector sets (Redis 8) come from a module: group 'module', names in capitals.
      const vectorSet = Object.keys(docs).filter((name) => /^V[A-Z]+$/.test(name));
      expect(vectorSet.length).toBeGreaterThanOrEqual(12);
      for (const name of vectorSet) if (!(name.toLowerCase() in COMMANDS)) missing.push(name);
      expect(missing).toEqual([]);
      expect(checked).toBeGreaterThan(150);
    } finally {
      await redis.close();
    }
  });
});

describe('keyIndexes, readOnly and blocking agree with the server', () => {
  const BYTES = Buffer.from('x');
  /** One sample call per method; typed, so each sample is a valid call. */
  const SAMPLES: { [K in keyof Commands]?: SpecArgs<Commands[K]> } = {
    get: ['k'],
    set: ['k', 'v', { EX: 1 }],
    setnx: ['k', 'v'],
    setex: ['k', 1, 'v'],
    psetex: ['k', 1, 'v'],
    getset: ['k', 'v'],
    getdel: ['k'],
    getex: ['k', { PERSIST: true }],
    getrange: ['k', 0, 1],
    substr: ['k', 0, 1],
    setrange: ['k', 0, 'v'],
    mget: ['a', ['b', 'c']],
    mset: [{ a: '1', b: '2' }],
    msetnx: ['a', '1', 'b', '2'],
    incr: ['k'],
    incrby: ['k', 1],
    incrbyfloat: ['k', 1.5],
    decr: ['k'],
    decrby: ['k', 1],
    append: ['k', 'v'],
    strlen: ['k'],
    lcs: ['a', 'b'],
    lcsLen: ['a', 'b'],
    lcsIdx: ['a', 'b', { WITHMATCHLEN: true }],
    del: ['a', 'b'],
    unlink: [['a', 'b']],
    exists: ['a', 'b'],
    touch: ['a'],
    expire: ['k', 1, 'NX'],
    pexpire: ['k', 1],
    expireat: ['k', 1],
    pexpireat: ['k', 1],
    ttl: ['k'],
    pttl: ['k'],
    expiretime: ['k'],
    pexpiretime: ['k'],
    persist: ['k'],
    type: ['k'],
    rename: ['a', 'b'],
    renamenx: ['a', 'b'],
    copy: ['a', 'b', { REPLACE: true }],
    move: ['k', 1],
    keys: ['*'],
    scan: ['0', { COUNT: 1 }],
    randomkey: [],
    objectEncoding: ['k'],
    objectFreq: ['k'],
    objectIdletime: ['k'],
    objectRefcount: ['k'],
    dump: ['k'],
    restore: ['k', 0, BYTES, { REPLACE: true }],
    sort: ['k', { BY: 'w_*', GET: '#' }],
    sortRo: ['k'],
    sortStore: ['k', 'dst', { DESC: true }],
    migrate: ['h', 1, ['a', 'b'], 0, 10, { COPY: true }],
    hset: ['h', { f: 'v' }],
    hmset: ['h', 'f', 'v'],
    hsetnx: ['h', 'f', 'v'],
    hget: ['h', 'f'],
    hmget: ['h', 'f', 'g'],
    hgetall: ['h'],
    hdel: ['h', 'f'],
    hexists: ['h', 'f'],
    hincrby: ['h', 'f', 1],
    hincrbyfloat: ['h', 'f', 1],
    hkeys: ['h'],
    hvals: ['h'],
    hlen: ['h'],
    hstrlen: ['h', 'f'],
    hrandfield: ['h'],
    hrandfieldCount: ['h', 2],
    hrandfieldWithValues: ['h', 2],
    hscan: ['h', '0'],
    hscanNoValues: ['h', '0'],
    hexpire: ['h', 1, ['f', 'g'], 'GT'],
    hpexpire: ['h', 1, 'f'],
    hexpireat: ['h', 1, 'f'],
    hpexpireat: ['h', 1, 'f'],
    httl: ['h', 'f'],
    hpttl: ['h', 'f'],
    hexpiretime: ['h', 'f'],
    hpexpiretime: ['h', 'f'],
    hpersist: ['h', 'f'],
    hgetdel: ['h', 'f'],
    hgetex: ['h', 'f', { EX: 1 }],
    hsetex: ['h', { f: 'v' }, { FNX: true }],
    lpush: ['l', 'v'],
    rpush: ['l', 'v'],
    lpushx: ['l', 'v'],
    rpushx: ['l', 'v'],
    lpop: ['l'],
    rpop: ['l'],
    lpopCount: ['l', 2],
    rpopCount: ['l', 2],
    lrange: ['l', 0, -1],
    llen: ['l'],
    lindex: ['l', 0],
    lset: ['l', 0, 'v'],
    linsert: ['l', 'BEFORE', 'p', 'v'],
    lrem: ['l', 0, 'v'],
    ltrim: ['l', 0, 1],
    lpos: ['l', 'v'],
    lposCount: ['l', 'v', 0],
    lmove: ['a', 'b', 'LEFT', 'RIGHT'],
    rpoplpush: ['a', 'b'],
    lmpop: [['a', 'b'], 'LEFT'],
    blpop: [['a', 'b'], 1],
    brpop: ['a', 1],
    blmove: ['a', 'b', 'LEFT', 'LEFT', 1],
    brpoplpush: ['a', 'b', 1],
    blmpop: [1, ['a', 'b'], 'RIGHT', 2],
    sadd: ['s', 'm'],
    srem: ['s', 'm'],
    smembers: ['s'],
    scard: ['s'],
    sismember: ['s', 'm'],
    smismember: ['s', 'm', 'n'],
    smove: ['a', 'b', 'm'],
    spop: ['s'],
    spopCount: ['s', 2],
    srandmember: ['s'],
    srandmemberCount: ['s', 2],
    sinter: ['a', 'b'],
    sunion: ['a', 'b'],
    sdiff: ['a', 'b'],
    sinterstore: ['d', 'a', 'b'],
    sunionstore: ['d', 'a', 'b'],
    sdiffstore: ['d', 'a', 'b'],
    sintercard: [['a', 'b'], { LIMIT: 1 }],
    sscan: ['s', '0'],
    zadd: ['z', { score: 1, value: 'm' }],
    zaddIncr: ['z', 1, 'm'],
    zincrby: ['z', 1, 'm'],
    zrem: ['z', 'm'],
    zcard: ['z'],
    zscore: ['z', 'm'],
    zmscore: ['z', 'm'],
    zrank: ['z', 'm'],
    zrankWithScore: ['z', 'm'],
    zrevrank: ['z', 'm'],
    zrevrankWithScore: ['z', 'm'],
    zcount: ['z', 0, 1],
    zlexcount: ['z', '-', '+'],
    zpopmin: ['z'],
    zpopmax: ['z', 2],
    bzpopmin: [['a', 'b'], 1],
    bzpopmax: ['a', 1],
    zmpop: [['a', 'b'], 'MIN'],
    bzmpop: [1, ['a', 'b'], 'MAX', 2],
    zrandmember: ['z'],
    zrandmemberCount: ['z', 2],
    zrandmemberWithScores: ['z', 2],
    zremrangebyrank: ['z', 0, 1],
    zremrangebyscore: ['z', 0, 1],
    zremrangebylex: ['z', '-', '+'],
    zscan: ['z', '0'],
    zrange: ['z', 0, 1, { REV: true }],
    zrangeWithScores: ['z', 0, 1],
    zrangestore: ['d', 'z', 0, 1],
    zrevrange: ['z', 0, 1],
    zrevrangeWithScores: ['z', 0, 1],
    zrangebyscore: ['z', 0, 1],
    zrangebyscoreWithScores: ['z', 0, 1],
    zrevrangebyscore: ['z', 1, 0],
    zrevrangebyscoreWithScores: ['z', 1, 0],
    zrangebylex: ['z', '-', '+'],
    zrevrangebylex: ['z', '+', '-'],
    zunion: [['a', 'b']],
    zunionWithScores: [['a', 'b'], { AGGREGATE: 'MIN' }],
    zunionstore: ['d', ['a', 'b']],
    zinter: [['a', 'b']],
    zinterWithScores: [['a', 'b']],
    zinterstore: ['d', ['a', 'b'], { WEIGHTS: [1, 2] }],
    zintercard: [['a', 'b']],
    zdiff: [['a', 'b']],
    zdiffWithScores: [['a', 'b']],
    zdiffstore: ['d', ['a', 'b']],
    setbit: ['b', 0, 1],
    getbit: ['b', 0],
    bitcount: ['b', { start: 0, end: 1 }],
    bitpos: ['b', 1],
    bitop: ['AND', 'd', 'a', 'b'],
    bitfield: ['b', [{ GET: ['u8', 0] }]],
    bitfieldRo: ['b', [{ GET: ['u8', 0] }]],
    pfadd: ['p', 'e'],
    pfcount: ['a', 'b'],
    pfmerge: ['d', 'a', 'b'],
    vadd: ['v', [1, 2], 'e', { SETATTR: { a: 1 } }],
    vrem: ['v', 'e'],
    vcard: ['v'],
    vdim: ['v'],
    vemb: ['v', 'e'],
    vgetattr: ['v', 'e'],
    vsetattr: ['v', 'e', '{}'],
    vinfo: ['v'],
    vismember: ['v', 'e'],
    vlinks: ['v', 'e'],
    vlinksWithScores: ['v', 'e'],
    vrandmember: ['v'],
    vrandmemberCount: ['v', 2],
    vsim: ['v', { element: 'e' }],
    vsimWithScores: ['v', [1, 2], { COUNT: 3 }],
    vsimWithAttributes: ['v', new Float32Array([1, 2])],
  };
  const GROUP_TABLES = [
    stringCommands,
    keyCommands,
    hashCommands,
    listCommands,
    setCommands,
    sortedSetCommands,
    bitmapCommands,
    hyperLogLogCommands,
    vectorSetCommands,
  ];

  it('has a sample for every method of these groups', () => {
    const methods = GROUP_TABLES.flatMap((table) => Object.keys(table));
    expect(methods.filter((m) => !(m in SAMPLES))).toEqual([]);
  });

  it('marks the keys COMMAND GETKEYS finds, reads as readonly, blocking commands as blocking', async () => {
    const redis = await openSpecRunner(inject('servers').standalone, { protocol: 2 });
    const table = COMMANDS as Record<string, { build(...args: unknown[]): Command }>;
    const wrong: string[] = [];
    try {
      for (const [method, sample] of Object.entries(SAMPLES)) {
        const cmd = (table[method] as { build(...args: unknown[]): Command }).build(...(sample as unknown[]));
        // SORT's BY / GET patterns are marked so the prefix reaches them (ioredis does the same);
        // the server's GETKEYS does not list them.
        const marked = (cmd.keyIndexes ?? [])
          .filter((i) => !(method.startsWith('sort') && /^(BY|GET)$/.test(String(cmd.args[i - 1]))))
          .map((i) => String(cmd.args[i]));
        const found =
          marked.length === 0
            ? []
            : ((await redis.raw('COMMAND', 'GETKEYS', ...cmd.args)) as string[]).map(String);
        if (marked.join() !== found.join()) wrong.push(`${method} keys: marked ${marked} server ${found}`);
        // OBJECT is a container: its subcommands carry the flags.
        const name =
          cmd.args[0] === 'OBJECT' ? `object|${String(cmd.args[1]).toLowerCase()}` : String(cmd.args[0]);
        const info = (await redis.raw('COMMAND', 'INFO', name)) as [[string, number, string[]]];
        const flags = info[0][2];
        if (flags.includes('readonly') !== (cmd.readOnly === true)) wrong.push(`${method} readOnly`);
        if (flags.includes('blocking') !== (cmd.blocking === true)) wrong.push(`${method} blocking`);
      }
    } finally {
      await redis.close();
    }
    expect(wrong).toEqual([]);
  });
});
