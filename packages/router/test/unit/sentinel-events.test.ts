import { describe, expect, it } from 'vitest';
import { sameAddress } from '../../src/node-link.js';
import { sentinelEvent } from '../../src/sentinel-events.js';

describe('sentinelEvent', () => {
  it.each([
    [
      '+switch-master (the master it watches)',
      '+switch-master',
      'mymaster 127.0.0.1 6379 127.0.0.1 6380',
      { kind: 'switch-master', master: { host: '127.0.0.1', port: 6380 } },
    ],
    [
      '+selected-slave (the replica a failover promotes)',
      '+selected-slave',
      'slave 10.0.0.7:6380 10.0.0.7 6380 @ mymaster 10.0.0.5 6379',
      { kind: 'selected-replica', replica: { host: '10.0.0.7', port: 6380 } },
    ],
    [
      '+sentinel (another sentinel of the master it watches)',
      '+sentinel',
      'sentinel 6fb5e36b 10.0.0.9 26380 @ mymaster 10.0.0.5 6379',
      { kind: 'sentinel-added', sentinel: { host: '10.0.0.9', port: 26380 } },
    ],
  ] as const)('reads %s, for its master only', (_, channel, payload, event) => {
    const push = ['message', channel, payload];
    expect(sentinelEvent(push, 'mymaster')).toEqual(event);
    expect(sentinelEvent(push, 'other')).toBeUndefined();
  });

  it('reads +sentinel only when it names a sentinel', () => {
    expect(
      sentinelEvent(
        ['message', '+sentinel', 'slave 10.0.0.9:1 10.0.0.9 1 @ mymaster 10.0.0.5 6379'],
        'mymaster',
      ),
    ).toBeUndefined();
  });

  it('ignores other pushes, other channels and payloads it cannot read', () => {
    expect(sentinelEvent(['subscribe', '+switch-master', 1], 'mymaster')).toBeUndefined();
    expect(
      sentinelEvent(['message', '+sdown', 'master mymaster 127.0.0.1 6379'], 'mymaster'),
    ).toBeUndefined();
    expect(
      sentinelEvent(['message', '+switch-master', 'mymaster 127.0.0.1 6379'], 'mymaster'),
    ).toBeUndefined();
    expect(
      sentinelEvent(['message', '+selected-slave', 'slave a:b a b @ mymaster 127.0.0.1 6379'], 'mymaster'),
    ).toBeUndefined();
    expect(
      sentinelEvent(
        ['message', '+selected-slave', 'sentinel x 127.0.0.1 26379 @ mymaster 127.0.0.1 6379'],
        'mymaster',
      ),
    ).toBeUndefined();
  });

  it('compares addresses by host and port', () => {
    expect(sameAddress({ host: 'a', port: 1 }, { host: 'a', port: 1 })).toBe(true);
    expect(sameAddress({ host: 'a', port: 1 }, { host: 'a', port: 2 })).toBe(false);
    expect(sameAddress({ host: 'a', port: 1 }, { host: 'b', port: 1 })).toBe(false);
  });
});
