import { InvalidOptionError } from '@fusedis/pool';
import { describe, expect, it } from 'vitest';
import { checkedNatMap, checkedRetryDelay } from '../../src/checked-callbacks.js';
import type { NodeAddress } from '../../src/index.js';

const announced = { host: '10.0.0.5', port: 7000 };

/** The message of the InvalidOptionError `call` threw. */
function refusal(call: () => unknown): string {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    return (err as Error).message;
  }
  throw new Error('expected InvalidOptionError, the call returned');
}

describe('checkedNatMap', () => {
  it('is the identity without a map, and keeps the address when the map returns nothing', () => {
    expect(checkedNatMap(undefined, 'ClusterRouter')(announced)).toBe(announced);
    expect(checkedNatMap(() => undefined as never, 'ClusterRouter')(announced)).toBe(announced);
    expect(checkedNatMap(() => null as never, 'ClusterRouter')(announced)).toBe(announced);
  });

  it('returns what the map gives as a plain { host, port }', () => {
    const map = checkedNatMap(() => ({ host: '203.0.113.9', port: 17000, extra: 1 }) as NodeAddress, 'x');
    expect(map(announced)).toEqual({ host: '203.0.113.9', port: 17000 });
  });

  it.each([
    ['a string', '203.0.113.9:17000', "the string '203.0.113.9:17000'"],
    ['a misspelt port', { host: '203.0.113.9', prot: 17000 }, 'an object with host, prot'],
    ['port 0', { host: 'h', port: 0 }, 'an object with host, port'],
    ['port 65536', { host: 'h', port: 65_536 }, 'an object with host, port'],
    ['a port as text', { host: 'h', port: '17000' }, 'an object with host, port'],
    ['an empty host', { host: '', port: 17000 }, 'an object with host, port'],
    ['an array', ['h', 17000], 'an array'],
    ['a number', 17000, '17000'],
  ])('refuses %s, naming the router, the address and what came back', (_, result, shown) => {
    const map = checkedNatMap(() => result as never, 'SentinelRouter');
    const message = refusal(() => map(announced));
    expect(message).toContain(`SentinelRouter: natMap returned ${shown} for 10.0.0.5:7000`);
    expect(message).toContain('{ host, port }');
  });

  it('names the keys of a wrong object, never its values', () => {
    const map = checkedNatMap(() => ({ host: 'h', password: 'hunter2' }) as never, 'ClusterRouter');
    expect(refusal(() => map(announced))).not.toContain('hunter2');
  });
});

describe('checkedRetryDelay', () => {
  it('passes milliseconds through', () => {
    const delay = checkedRetryDelay((n) => n * 10, 'StandaloneRouter');
    expect([delay(0), delay(3)]).toEqual([0, 30]);
  });

  it.each([
    ['text', '100', "the string '100'"],
    ['NaN', Number.NaN, 'NaN'],
    ['a negative number', -1, '-1'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['past setTimeout’s limit', 2 ** 31, String(2 ** 31)],
    ['nothing', undefined, 'undefined'],
  ])('refuses %s, naming the router and the attempt', (_, result, shown) => {
    const delay = checkedRetryDelay(() => result as never, 'ClusterRouter');
    expect(refusal(() => delay(2))).toBe(
      `ClusterRouter: retryDelay(2) returned ${shown}; it must return milliseconds from 0 to ${2 ** 31 - 1}`,
    );
  });
});
