import { InvalidArgumentError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';

const { get, set, mget, mset, del, exists, hset, hgetall, lrange, zadd, zrange, zrangeWithScores } = COMMANDS;

/** The key arguments a command marks, read back through its keyIndexes. */
const keysOf = (cmd: { args: readonly unknown[]; keyIndexes?: readonly number[] }) =>
  (cmd.keyIndexes ?? []).map((i) => cmd.args[i]);

describe('hot-path commands build lean, shared shapes', () => {
  it('GET and SET share one frozen keyIndexes array; plain SET and GET are idempotent', () => {
    const a = get.build('k1');
    const b = get.build('k2');
    expect(a).toEqual({ args: ['GET', 'k1'], keyIndexes: [1], readOnly: true, idempotent: true });
    expect(a.keyIndexes).toBe(b.keyIndexes);
    expect(Object.isFrozen(a.keyIndexes)).toBe(true);
    expect(set.build('k', 'v')).toEqual({ args: ['SET', 'k', 'v'], keyIndexes: [1], idempotent: true });
    expect(set.build('k', 'v').keyIndexes).toBe(a.keyIndexes);
    expect(hgetall.build('h').keyIndexes).toBe(a.keyIndexes);
    expect(lrange.build('l', 0, -1)).toEqual({
      args: ['LRANGE', 'l', 0, -1],
      keyIndexes: [1],
      readOnly: true,
      idempotent: true,
    });
  });

  it('SET with options is not idempotent and orders its tokens as Redis documents them', () => {
    const cmd = set.build('k', 'v', { KEEPTTL: true, GET: true, NX: true });
    expect(cmd.args).toEqual(['SET', 'k', 'v', 'NX', 'GET', 'KEEPTTL']);
    expect(cmd.idempotent).toBeUndefined();
    expect(set.build('k', 'v', { PX: 5, XX: true }).args).toEqual(['SET', 'k', 'v', 'XX', 'PX', 5]);
    expect(set.build('k', 'v', { EXAT: 9 }).args).toEqual(['SET', 'k', 'v', 'EXAT', 9]);
    expect(set.build('k', 'v', { NX: false }).args).toEqual(['SET', 'k', 'v']);
  });

  it('MGET takes keys one by one or as an array, and marks each as a key', () => {
    const many = Array.from({ length: 100 }, (_, i) => `k${i}`);
    const cmd = mget.build(many);
    expect(cmd.args).toEqual(['MGET', ...many]);
    expect(keysOf(cmd)).toEqual(many);
    expect(cmd.readOnly).toBe(true);
    expect(mget.build('a', 'b')).toEqual(mget.build(['a', 'b']));
    expect(mget.build('a', ['b', 'c'], 'd').args).toEqual(['MGET', 'a', 'b', 'c', 'd']);
    expect(mget.build('a', 'b').keyIndexes).toBe(mget.build('x', 'y').keyIndexes);
  });
});

describe('multi-key commands mark every key', () => {
  it('DEL/EXISTS and MSET (object, Map, tuples, flat)', () => {
    expect(keysOf(del.build('a', ['b', 'c']))).toEqual(['a', 'b', 'c']);
    expect(exists.build('a').readOnly).toBe(true);
    const fromObject = mset.build({ a: '1', b: '2' });
    expect(fromObject.args).toEqual(['MSET', 'a', '1', 'b', '2']);
    expect(keysOf(fromObject)).toEqual(['a', 'b']);
    expect(mset.build(new Map([['a', '1']])).args).toEqual(['MSET', 'a', '1']);
    expect(mset.build([['a', 1]]).args).toEqual(['MSET', 'a', 1]);
    expect(mset.build('a', '1', 'b', '2')).toEqual(fromObject);
    expect(() => mset.build('a', '1', 'b')).toThrow(InvalidArgumentError);
    expect(COMMANDS.msetnx.build({ a: '1' }).idempotent).toBeUndefined();
  });

  it('a one-byte-array value is a value, not a container of pairs', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(mset.build('k', bytes).args).toEqual(['MSET', 'k', bytes]);
    expect(hset.build('h', 'f', bytes).args).toEqual(['HSET', 'h', 'f', bytes]);
  });

  it('store and combine commands mark the destination and every source', () => {
    expect(
      keysOf(COMMANDS.zunionstore.build('dst', ['a', 'b'], { WEIGHTS: [1, 2], AGGREGATE: 'MAX' })),
    ).toEqual(['dst', 'a', 'b']);
    expect(COMMANDS.zunionstore.build('dst', ['a', 'b'], { WEIGHTS: [1, 2], AGGREGATE: 'MAX' }).args).toEqual(
      ['ZUNIONSTORE', 'dst', 2, 'a', 'b', 'WEIGHTS', 1, 2, 'AGGREGATE', 'MAX'],
    );
    expect(keysOf(COMMANDS.sinterstore.build('dst', 'a', 'b'))).toEqual(['dst', 'a', 'b']);
    expect(keysOf(COMMANDS.bitop.build('AND', 'dst', 'a', ['b']))).toEqual(['dst', 'a', 'b']);
    expect(keysOf(COMMANDS.pfmerge.build('dst', 'a', 'b'))).toEqual(['dst', 'a', 'b']);
    expect(keysOf(COMMANDS.zrangestore.build('dst', 'src', 0, -1))).toEqual(['dst', 'src']);
    expect(keysOf(COMMANDS.smove.build('a', 'b', 'm'))).toEqual(['a', 'b']);
    const sorted = COMMANDS.sortStore.build('src', 'dst', { BY: 'w_*', GET: ['#', 'o_*'] });
    expect(sorted.args).toEqual(['SORT', 'src', 'BY', 'w_*', 'GET', '#', 'GET', 'o_*', 'STORE', 'dst']);
    // The BY / GET patterns that name keys count too (the key prefix reaches them); '#' does not.
    expect(keysOf(sorted)).toEqual(['src', 'w_*', 'o_*', 'dst']);
    expect(keysOf(COMMANDS.sort.build('src', { BY: 'nosort', GET: '#' }))).toEqual(['src']);
  });

  it('numkeys commands count the keys and mark them after the count', () => {
    const lmpop = COMMANDS.lmpop.build(['a', 'b'], 'LEFT', 3);
    expect(lmpop.args).toEqual(['LMPOP', 2, 'a', 'b', 'LEFT', 'COUNT', 3]);
    expect(keysOf(lmpop)).toEqual(['a', 'b']);
    expect(COMMANDS.sintercard.build('a', { LIMIT: 5 }).args).toEqual(['SINTERCARD', 1, 'a', 'LIMIT', 5]);
    const zmpop = COMMANDS.bzmpop.build(2, ['a', 'b'], 'MAX');
    expect(zmpop.args).toEqual(['BZMPOP', 2, 2, 'a', 'b', 'MAX']);
    expect(keysOf(zmpop)).toEqual(['a', 'b']);
  });

  it('MIGRATE sends one key in place or several after KEYS', () => {
    const one = COMMANDS.migrate.build('h', 6379, 'k', 0, 1000, { REPLACE: true });
    expect(one.args).toEqual(['MIGRATE', 'h', 6379, 'k', 0, 1000, 'REPLACE']);
    expect(keysOf(one)).toEqual(['k']);
    const many = COMMANDS.migrate.build('h', 6379, ['a', 'b'], 0, 1000, {
      COPY: true,
      AUTH2: { username: 'u', password: 'p' },
    });
    expect(many.args).toEqual([
      'MIGRATE',
      'h',
      6379,
      '',
      0,
      1000,
      'COPY',
      'AUTH2',
      'u',
      'p',
      'KEYS',
      'a',
      'b',
    ]);
    expect(keysOf(many)).toEqual(['a', 'b']);
  });
});

describe('blocking commands', () => {
  it('are marked blocking, with a reply deadline past their own wait (none for a wait forever)', () => {
    const blpop = COMMANDS.blpop.build(['a', 'b'], 2);
    expect(blpop).toMatchObject({ args: ['BLPOP', 'a', 'b', 2], blocking: true, timeout: 3000 });
    expect(keysOf(blpop)).toEqual(['a', 'b']);
    expect(COMMANDS.brpop.build('a', 0)).toMatchObject({ blocking: true, timeout: 0 });
    expect(COMMANDS.blmove.build('a', 'b', 'LEFT', 'RIGHT', 0.5)).toMatchObject({
      args: ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', 0.5],
      blocking: true,
      timeout: 1500,
    });
    for (const cmd of [
      COMMANDS.brpoplpush.build('a', 'b', 1),
      COMMANDS.blmpop.build(1, 'a', 'LEFT'),
      COMMANDS.bzpopmin.build('a', 1),
      COMMANDS.bzpopmax.build('a', 1),
      COMMANDS.bzmpop.build(1, 'a', 'MIN'),
    ]) {
      expect(cmd.blocking).toBe(true);
    }
    expect(COMMANDS.lpop.build('a').blocking).toBeUndefined();
  });
});

describe('option flags come out in the documented order', () => {
  it('ZADD: NX|XX, GT|LT, CH, then INCR, then score/member pairs', () => {
    expect(
      zadd.build('z', [{ score: 1, value: 'a' }, [2, 'b']], { CH: true, GT: true, XX: true }).args,
    ).toEqual(['ZADD', 'z', 'XX', 'GT', 'CH', 1, 'a', 2, 'b']);
    expect(COMMANDS.zaddIncr.build('z', 5, 'm', { NX: true }).args).toEqual([
      'ZADD',
      'z',
      'NX',
      'INCR',
      5,
      'm',
    ]);
  });

  it('ZADD refuses a member of another shape by name (it was "argument 2 is undefined")', () => {
    const refusal = (members: unknown) => () => zadd.build('z', members as never);
    expect(refusal(1)).toThrow(
      new InvalidArgumentError(
        'zadd: a member is { score, value } or [score, member] (several in an array), not a number',
      ),
    );
    expect(refusal({ score: 1, member: 'a' })).toThrow(/not an object with score, member$/);
    expect(refusal([[1, 'a'], [2]])).toThrow(/not an array of 1$/);
    expect(refusal([null])).toThrow(/not null$/);
    expect(zadd.build('z', { score: 3, value: 'c' }).args).toEqual(['ZADD', 'z', 3, 'c']);
  });

  it('ZRANGE: bounds, BY*, REV, LIMIT, then WITHSCORES', () => {
    expect(
      zrangeWithScores.build('z', '(1', '+inf', { LIMIT: { offset: 0, count: 5 }, REV: true, BYSCORE: true })
        .args,
    ).toEqual(['ZRANGE', 'z', '(1', '+inf', 'BYSCORE', 'REV', 'LIMIT', 0, 5, 'WITHSCORES']);
    expect(zrange.build('z', '[a', '+', { BYLEX: true }).args).toEqual(['ZRANGE', 'z', '[a', '+', 'BYLEX']);
  });

  it('hash field expiration: condition before FIELDS, then the count and the fields', () => {
    expect(COMMANDS.hexpire.build('h', 10, ['a', 'b'], 'NX').args).toEqual([
      'HEXPIRE',
      'h',
      10,
      'NX',
      'FIELDS',
      2,
      'a',
      'b',
    ]);
    expect(COMMANDS.httl.build('h', 'a').args).toEqual(['HTTL', 'h', 'FIELDS', 1, 'a']);
    expect(COMMANDS.hgetex.build('h', ['a'], { EX: 5 }).args).toEqual([
      'HGETEX',
      'h',
      'EX',
      5,
      'FIELDS',
      1,
      'a',
    ]);
    expect(COMMANDS.hsetex.build('h', { a: '1', b: '2' }, { FXX: true, KEEPTTL: true }).args).toEqual([
      'HSETEX',
      'h',
      'FXX',
      'KEEPTTL',
      'FIELDS',
      2,
      'a',
      '1',
      'b',
      '2',
    ]);
  });

  it('LPOS, BITCOUNT, BITPOS, BITFIELD, SCAN, RESTORE, COPY, EXPIRE, LCS IDX', () => {
    expect(COMMANDS.lposCount.build('l', 'x', 0, { MAXLEN: 9, RANK: -1 }).args).toEqual([
      'LPOS',
      'l',
      'x',
      'RANK',
      -1,
      'COUNT',
      0,
      'MAXLEN',
      9,
    ]);
    expect(COMMANDS.bitcount.build('b', { start: 1, end: 2, unit: 'BIT' }).args).toEqual([
      'BITCOUNT',
      'b',
      1,
      2,
      'BIT',
    ]);
    expect(COMMANDS.bitpos.build('b', 1, { start: 3 }).args).toEqual(['BITPOS', 'b', 1, 3]);
    // A unit without an end would be dropped silently (Redis's grammar): refused up front.
    expect(() => COMMANDS.bitpos.build('b', 1, { start: 3, unit: 'BIT' })).toThrow(InvalidArgumentError);
    expect(
      COMMANDS.bitfield.build('b', [{ OVERFLOW: 'SAT' }, { INCRBY: ['u8', '#2', 1] }, { GET: ['i4', 0] }])
        .args,
    ).toEqual(['BITFIELD', 'b', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '#2', 1, 'GET', 'i4', 0]);
    expect(COMMANDS.scan.build('0', { TYPE: 'hash', COUNT: 5, MATCH: 'a*' })).toEqual({
      args: ['SCAN', '0', 'MATCH', 'a*', 'COUNT', 5, 'TYPE', 'hash'],
      readOnly: true,
      idempotent: true,
    });
    const payload = new Uint8Array([1]);
    expect(
      COMMANDS.restore.build('k', 0, payload, { FREQ: 3, IDLETIME: 2, ABSTTL: true, REPLACE: true }).args,
    ).toEqual(['RESTORE', 'k', 0, payload, 'REPLACE', 'ABSTTL', 'IDLETIME', 2, 'FREQ', 3]);
    expect(COMMANDS.copy.build('a', 'b', { REPLACE: true, DB: 2 }).args).toEqual([
      'COPY',
      'a',
      'b',
      'DB',
      2,
      'REPLACE',
    ]);
    expect(COMMANDS.expire.build('k', 5).args).toEqual(['EXPIRE', 'k', 5]);
    expect(COMMANDS.pexpireat.build('k', 5, 'LT').args).toEqual(['PEXPIREAT', 'k', 5, 'LT']);
    expect(COMMANDS.lcsIdx.build('a', 'b', { WITHMATCHLEN: true, MINMATCHLEN: 2 }).args).toEqual([
      'LCS',
      'a',
      'b',
      'IDX',
      'MINMATCHLEN',
      2,
      'WITHMATCHLEN',
    ]);
  });

  it('HSET keeps __proto__ as a field, and OBJECT marks its key at position 2', () => {
    const fields = JSON.parse('{"__proto__":"x","a":"1"}') as Record<string, string>;
    expect(hset.build('h', fields).args).toEqual(['HSET', 'h', '__proto__', 'x', 'a', '1']);
    expect(keysOf(COMMANDS.objectEncoding.build('k'))).toEqual(['k']);
    expect(COMMANDS.dump.build('k').stringMode).toBe('buffer');
  });
});

describe('no build reads one argument as a container of several', () => {
  it('a string or a Buffer at any position is sent whole or refused, never split into its characters or bytes', () => {
    const builds = COMMANDS as unknown as Record<
      string,
      { build: (...args: unknown[]) => { args: unknown[] } }
    >;
    // Fillers for the other positions: none holds w, x, y, z or the bytes 119–122 on its own.
    const fillers: unknown[] = ['k', 1, { a: '1' }, ['a', 'b'], [['a', '1']]];
    const probes: [probe: unknown, pieces: string[]][] = [
      ['wxyz', ['w', 'x', 'y', 'z']],
      [Buffer.from('wxyz'), ['119', '120', '121', '122']],
    ];
    const split: string[] = [];
    let built = 0;
    for (const [name, spec] of Object.entries(builds)) {
      for (let count = 1; count <= 6; count++) {
        for (let at = 0; at < count; at++) {
          for (const filler of fillers) {
            for (const [probe, pieces] of probes) {
              const args: unknown[] = Array.from({ length: count }, () => filler);
              args[at] = probe;
              let sent: string[];
              try {
                sent = spec
                  .build(...args)
                  .args.map((arg) => (Buffer.isBuffer(arg) ? arg.toString() : String(arg)));
              } catch {
                continue; // refused: what the check wants for a wrong shape
              }
              built++;
              if (pieces.every((piece) => sent.includes(piece)))
                split.push(`${name}(${count} args) at ${at}`);
            }
          }
        }
      }
    }
    expect(built).toBeGreaterThan(1000); // the sweep reached the builds, not only their refusals
    expect([...new Set(split)]).toEqual([]);
  });
});
