import { FusedisError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  InvalidOptionError,
  PoolClosedError,
  QueueFullError,
  TimeoutError,
} from '../../src/index.js';

describe('errors', () => {
  it('carry a literal name, a code, their fields and a cause', () => {
    const cause = new Error('ECONNRESET');
    const closed = new ConnectionClosedError('closed', true, { cause });
    expect(closed).toMatchObject({
      name: 'ConnectionClosedError',
      code: 'ERR_CONNECTION_CLOSED',
      written: true,
    });
    expect(closed.cause).toBe(cause);
    const timeout = new TimeoutError('command', 250, true);
    expect(timeout).toMatchObject({
      name: 'TimeoutError',
      code: 'ERR_TIMEOUT',
      phase: 'command',
      timeout: 250,
    });
    expect(timeout.message).toBe('command timed out after 250 ms');
    expect(new PoolClosedError()).toMatchObject({ name: 'PoolClosedError', code: 'ERR_POOL_CLOSED' });
    expect(new InvalidOptionError('bad')).toMatchObject({
      name: 'InvalidOptionError',
      code: 'ERR_INVALID_OPTION',
    });
    expect(new QueueFullError('full', 10)).toMatchObject({
      name: 'QueueFullError',
      code: 'ERR_QUEUE_FULL',
      limit: 10,
    });
  });

  it('answer instanceof by brand, so a second copy of the package still matches', () => {
    const err = new TimeoutError('acquire', 1, false);
    expect(err).toBeInstanceOf(FusedisError);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ConnectionClosedError);
    // An object from "another copy": same brand, different prototype chain.
    const foreign = Object.create(Error.prototype, {
      [Symbol.for('fusedis.error.TimeoutError')]: { value: true },
    }) as unknown;
    expect(foreign instanceof TimeoutError).toBe(true);
  });
});
