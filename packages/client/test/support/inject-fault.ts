import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultProxy } from '@fusedis/test-harness';
import fc from 'fast-check';

/**
 * What a fuzz schedule does to its links after a wave (`hold` ms long): nothing; reset them; drop
 * the replies then reset; forward nothing then reset; drip the replies a byte at a time; or send
 * a byte no server sends.
 */
export type Fault = 'none' | 'reset' | 'swallow-then-reset' | 'blackhole-then-reset' | 'split' | 'garbage';

/** Which of `proxies` proxies a fault hits: an index, or all of them. */
export function faultTargetArb(proxies: number): fc.Arbitrary<number | 'all'> {
  const all = fc.constant('all' as const);
  return proxies === 1 ? all : fc.oneof(all, fc.nat(proxies - 1));
}

/**
 * Applies `fault` to `proxies` for `hold` ms, leaving them passing. `quiet` resolves once nothing
 * is in flight: the garbage byte waits for it, since inside a bulk string it would be data, not
 * an error.
 */
export async function injectFault(
  proxies: readonly FaultProxy[],
  fault: Fault,
  hold: number,
  quiet: () => Promise<unknown>,
): Promise<void> {
  const each = (f: (proxy: FaultProxy) => void): void => {
    for (const proxy of proxies) f(proxy);
  };
  switch (fault) {
    case 'none':
      await sleep(hold);
      return;
    case 'reset':
      await sleep(hold);
      each((p) => p.resetAll());
      return;
    case 'swallow-then-reset':
    case 'blackhole-then-reset':
      each((p) => p.setMode(fault === 'swallow-then-reset' ? 'swallow-replies' : 'blackhole'));
      await sleep(hold);
      each((p) => {
        p.resetAll();
        p.setMode('pass');
      });
      return;
    case 'split':
      each((p) => p.setMode('split'));
      await sleep(hold);
      each((p) => p.setMode('pass'));
      return;
    case 'garbage':
      await quiet();
      each((p) => p.injectToClients(Buffer.from([0x01, 0x0d, 0x0a])));
      await sleep(hold);
      return;
  }
}
