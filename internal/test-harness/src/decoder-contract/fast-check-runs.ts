/**
 * fast-check run settings for the property suites: `FC_NUM_RUNS` raises (or lowers) the base count
 * locally, `FC_SEED` replays a failure fast-check reported; otherwise every run explores anew.
 */
export interface FastCheckRuns {
  /** The base number of runs (`FC_NUM_RUNS`, else the suite's default). */
  readonly base: number;
  /** Parameters for `fc.assert`: `numRuns`, and the seed when one is being replayed. */
  runs(numRuns: number): { numRuns: number; seed?: number };
}

export function fastCheckRuns(defaultRuns: number): FastCheckRuns {
  const base = Number(process.env.FC_NUM_RUNS ?? defaultRuns);
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  return {
    base,
    runs: (numRuns) => (seed === undefined ? { numRuns } : { numRuns, seed }),
  };
}
