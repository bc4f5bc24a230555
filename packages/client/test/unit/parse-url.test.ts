import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/index.js';
import { parseRedisUrl } from '../../src/parse-url.js';

describe('parseRedisUrl', () => {
  it('reads host, port, db, user and password from redis://', () => {
    expect(parseRedisUrl('redis://alice:p%40ss@cache.local:6380/3')).toEqual({
      host: 'cache.local',
      port: 6380,
      db: 3,
      username: 'alice',
      password: 'p@ss',
    });
  });

  it('takes a password alone, and leaves absent parts out', () => {
    expect(parseRedisUrl('redis://:secret@localhost')).toEqual({ host: 'localhost', password: 'secret' });
    expect(parseRedisUrl('redis://localhost')).toEqual({ host: 'localhost' });
  });

  it('turns TLS on for rediss://', () => {
    expect(parseRedisUrl('rediss://example.com:6390')).toEqual({
      host: 'example.com',
      port: 6390,
      tls: true,
    });
  });

  it('strips the brackets of an IPv6 host', () => {
    expect(parseRedisUrl('redis://[::1]:7000')).toEqual({ host: '::1', port: 7000 });
  });

  it('reads unix:// paths with query options', () => {
    expect(parseRedisUrl('unix:///var/run/redis.sock?db=2&password=pw')).toEqual({
      path: '/var/run/redis.sock',
      db: 2,
      password: 'pw',
    });
  });

  it('reads the query options', () => {
    expect(
      parseRedisUrl(
        'redis://h?protocol=2&commandTimeout=500&connectTimeout=100&clientName=web&keyPrefix=app:&lazyConnect=false&autoPipelining=0&returnBuffers=true&decoder=js',
      ),
    ).toEqual({
      host: 'h',
      protocol: 2,
      commandTimeout: 500,
      connectTimeout: 100,
      clientName: 'web',
      keyPrefix: 'app:',
      lazyConnect: false,
      autoPipelining: false,
      returnBuffers: true,
      decoder: 'js',
    });
  });

  it('refuses unknown schemes, unknown options and bad values, without echoing the password', () => {
    expect(() => parseRedisUrl('http://h')).toThrow(InvalidOptionError);
    expect(() => parseRedisUrl('redis://h?timeout=5')).toThrow(/unknown option "timeout"/);
    expect(() => parseRedisUrl('redis://h?protocol=4')).toThrow(InvalidOptionError);
    expect(() => parseRedisUrl('redis://h/x')).toThrow(InvalidOptionError);
    const err = (() => {
      try {
        parseRedisUrl('redis://u:hunter2@ho st');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err?.message).not.toContain('hunter2');
  });
});
