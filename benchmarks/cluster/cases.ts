import { type ClusterBenchClient, Unsupported } from './peers.js';

/** The four cluster cases of issue 5. */
export type CaseId = 'c1' | 'c2' | 'c3' | 'c4';
export const CASES: readonly CaseId[] = ['c1', 'c2', 'c3', 'c4'];

export const TITLES: Readonly<Record<CaseId, string>> = {
  c1: 'pipeline of 100,000 SETs over random keys (cross-slot)',
  c2: '100,000 concurrent GETs over random keys',
  c3: 'MGET of 10,000 random keys (cross-slot)',
  c4: '50 concurrent users looping GET/SET',
};

/** Keys every case reads: `bench:c:<n>` spread over all 16,384 slots. */
export const KEY_COUNT = 100_000;
export const key = (n: number): string => `bench:c:${n}`;

/** A deterministic shuffle of 0..n-1, so every peer reads the same "random" keys. */
export function randomKeys(count: number, seed: number): string[] {
  let state = seed >>> 0;
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = key(state % KEY_COUNT);
  }
  return out;
}

/** What one timed pass measured: a duration for c1–c3, a rate for c4. */
export interface Sample {
  readonly ms?: number;
  readonly opsPerSec?: number;
}

/** Runs one pass of `id`; `quick` shortens c4 to 2 s. */
export async function runCase(id: CaseId, client: ClusterBenchClient, quick: boolean): Promise<Sample> {
  if (id === 'c4') return users(client, 50, quick ? 2_000 : 10_000);
  const keys = randomKeys(id === 'c3' ? 10_000 : 100_000, id === 'c1' ? 1 : id === 'c2' ? 2 : 3);
  const started = performance.now();
  if (id === 'c1') await client.pipelineSets(keys, 'v');
  else if (id === 'c2') await Promise.all(keys.map((k) => client.get(k)));
  else {
    const values = await client.mget(keys);
    if (values.length !== keys.length) throw new Unsupported(`MGET returned ${values.length} values`);
  }
  return { ms: performance.now() - started };
}

async function users(client: ClusterBenchClient, count: number, durationMs: number): Promise<Sample> {
  const until = performance.now() + durationMs;
  let ops = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, u) => {
      for (let i = 0; performance.now() < until; i++) {
        const k = key((u * 7919 + i) % KEY_COUNT);
        await client.set(k, 'v');
        await client.get(k);
        ops += 2;
      }
    }),
  );
  return { opsPerSec: (ops * 1000) / durationMs };
}
