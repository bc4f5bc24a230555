import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultProxy } from '@fusedis/test-harness';
import fc from 'fast-check';

/**
 * What a fuzz schedule does to its links after a wave (`hold` ms long): nothing; reset them; drop
 * the replies then reset; forward nothing then reset; drip the replies a byte at a time; send a
 * byte no server sends; or stall the server itself (`DEBUG SLEEP`: every link goes silent, and
 * the replies come late, after short command timeouts have fired).
 */
export type Fault =
  | 'none'
  | 'reset'
  | 'swallow-then-reset'
  | 'blackhole-then-reset'
  | 'split'
  | 'garbage'
  | 'stall';

/** Every fault, for a schedule to draw from. */
export const anyFaultArb: fc.Arbitrary<Fault> = fc.constantFrom<Fault>(
  'none',
  'reset',
  'swallow-then-reset',
  'blackhole-then-reset',
  'split',
  'garbage',
  'stall',
);

/** What a fault needs besides the proxies. */
export interface FaultContext {
  /** Resolves once nothing is in flight (the garbage byte waits for it). */
  readonly quiet: () => Promise<unknown>;
  /** Stalls the server (or one node of it) for `ms`. */
  readonly stall: (ms: number) => Promise<unknown>;
}

/** Which of `proxies` proxies a fault hits: an index, or all of them. */
export function faultTargetArb(proxies: number): fc.Arbitrary<number | 'all'> {
  const all = fc.constant('all' as const);
  return proxies === 1 ? all : fc.oneof(all, fc.nat(proxies - 1));
}

/**
 * Applies `fault` to `proxies` for `hold` ms, leaving them passing. The garbage byte waits for a
 * quiet link: inside a bulk string it would be data, not an error.
 */
export async function injectFault(
  proxies: readonly FaultProxy[],
  fault: Fault,
  hold: number,
  context: FaultContext,
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
    case 'stall':
      await context.stall(hold);
      return;
    case 'garbage':
      await context.quiet();
      each((p) => p.injectToClients(Buffer.from([0x01, 0x0d, 0x0a])));
      await sleep(hold);
      return;
  }
}
