import { describe, expect, it } from 'vitest';
import {
  brandErrorClass,
  FusedisError,
  InvalidArgumentError,
  ReplyError,
  RespProtocolError,
  replyErrorCode,
} from '../../src/index.js';

/*
 * A second copy of the error classes, as a second install of @fusedis/resp would load them:
 * unrelated prototypes, the same Symbol.for brands.
 */
class OtherFusedisError extends Error {
  static readonly brand: symbol = Symbol.for('fusedis.error.FusedisError');
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about; each checks its own brand.
    const brand = this.brand;
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
brandErrorClass(OtherFusedisError, 'FusedisError');
class OtherReplyError extends OtherFusedisError {
  static override readonly brand: symbol = Symbol.for('fusedis.error.ReplyError');
}
brandErrorClass(OtherReplyError, 'ReplyError');

describe('FusedisError', () => {
  it('carries message, code, cause and its name', () => {
    const cause = new Error('root');
    const err = new FusedisError('went wrong', 'ERR_SOMETHING', { cause });
    expect(err.message).toBe('went wrong');
    expect(err.code).toBe('ERR_SOMETHING');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('FusedisError');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(FusedisError);
    expect(String(err)).toBe('FusedisError: went wrong');
  });

  it('is not matched by plain errors, primitives or null', () => {
    expect(new Error('x') instanceof FusedisError).toBe(false);
    expect((null as unknown) instanceof FusedisError).toBe(false);
    expect(('ReplyError' as unknown) instanceof FusedisError).toBe(false);
    expect(({} as unknown) instanceof FusedisError).toBe(false);
  });

  it('lets a subclass defined elsewhere take part through brandErrorClass', () => {
    class PoolClosedError extends FusedisError {
      static override readonly brand: symbol = Symbol.for('fusedis.error.test.PoolClosedError');
    }
    brandErrorClass(PoolClosedError, 'PoolClosedError');
    const err = new PoolClosedError('closed', 'ERR_POOL_CLOSED');
    expect(err).toBeInstanceOf(PoolClosedError);
    expect(err).toBeInstanceOf(FusedisError);
    expect(err).not.toBeInstanceOf(ReplyError);
    expect(err.name).toBe('PoolClosedError');
    expect(err.stack?.startsWith('PoolClosedError: closed')).toBe(true);
  });
});

describe('ReplyError', () => {
  it('takes its code from the first word of the server message', () => {
    const err = new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(err.code).toBe('WRONGTYPE');
    expect(err.message).toBe('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(new ReplyError('MOVED 3999 127.0.0.1:6381').code).toBe('MOVED');
    expect(new ReplyError('ERR').code).toBe('ERR');
    expect(new ReplyError('').code).toBe('');
  });

  it('exposes the same parsing as replyErrorCode', () => {
    expect(replyErrorCode('NOSCRIPT No matching script. Please use EVAL.')).toBe('NOSCRIPT');
    expect(replyErrorCode('BUSY')).toBe('BUSY');
  });

  it('is named ReplyError, in name, String() and stack', () => {
    const err = new ReplyError('ERR unknown command');
    expect(err.name).toBe('ReplyError');
    expect(String(err)).toBe('ReplyError: ERR unknown command');
    expect(err.stack?.startsWith('ReplyError: ERR unknown command')).toBe(true);
  });

  it('is a FusedisError and an Error, and not a RespProtocolError', () => {
    const err = new ReplyError('ERR x');
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toBeInstanceOf(FusedisError);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(RespProtocolError);
    expect(err).not.toBeInstanceOf(InvalidArgumentError);
  });

  it('matches instanceof across a duplicate copy of the class with the same brand', () => {
    const foreign = new OtherReplyError('ERR from another copy');
    expect(foreign).toBeInstanceOf(ReplyError);
    expect(foreign).toBeInstanceOf(FusedisError);
    expect(foreign).not.toBeInstanceOf(RespProtocolError);
    const local = new ReplyError('ERR from this copy');
    expect(local).toBeInstanceOf(OtherReplyError);
    expect(local).toBeInstanceOf(OtherFusedisError);
    expect(new RespProtocolError('invalid-type', 'x')).not.toBeInstanceOf(OtherReplyError);
  });

  it('matches instanceof across a second load of the module itself', async () => {
    // A query string makes the module loader evaluate the file again: a true second copy of the class.
    const url = new URL('../../src/reply-error.ts?second-copy', import.meta.url).href;
    const second = (await import(/* @vite-ignore */ url)) as { ReplyError: typeof ReplyError };
    expect(second.ReplyError).not.toBe(ReplyError);
    expect(new second.ReplyError('ERR a')).toBeInstanceOf(ReplyError);
    expect(new ReplyError('ERR b')).toBeInstanceOf(second.ReplyError);
  });
});

describe('RespProtocolError', () => {
  it('carries its reason, offset, code and cause', () => {
    const cause = new Error('inner');
    const err = new RespProtocolError('too-deep', 'nesting deeper than maxDepth 512', 2052, { cause });
    expect(err.reason).toBe('too-deep');
    expect(err.offset).toBe(2052);
    expect(err.code).toBe('ERR_RESP_PROTOCOL');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('RespProtocolError');
    expect(err.message).toContain('too-deep');
    expect(err.message).toContain('nesting deeper than maxDepth 512');
    expect(err).toBeInstanceOf(FusedisError);
    expect(err).not.toBeInstanceOf(ReplyError);
  });

  it('has offset -1 when none is known', () => {
    expect(new RespProtocolError('decoder-poisoned', 'x').offset).toBe(-1);
  });
});

describe('InvalidArgumentError', () => {
  it('has its code and name and is a FusedisError', () => {
    const err = new InvalidArgumentError('bad argument', { cause: 'why' });
    expect(err.code).toBe('ERR_INVALID_ARGUMENT');
    expect(err.name).toBe('InvalidArgumentError');
    expect(err.cause).toBe('why');
    expect(err).toBeInstanceOf(FusedisError);
    expect(err).not.toBeInstanceOf(ReplyError);
  });
});
