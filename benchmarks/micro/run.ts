/**
 * `pnpm --filter @fusedis/benchmarks run bench:micro`: mitata micro-benchmarks of the codec's
 * parts, one process, TS sources (the `@fusedis/source` condition). For a hot-path change's own
 * evidence, not for CI and not for the side-by-side numbers (that is codec/run.ts).
 * `-- --filter REGEX` runs only the matching benchmarks.
 */
import { parseArgs } from 'node:util';
import { run } from 'mitata';
import './encode.bench.js';
import './frame-length.bench.js';
import './decode.bench.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { filter: { type: 'string' } },
});
await run({
  colors: process.stdout.isTTY === true,
  ...(values.filter === undefined ? {} : { filter: new RegExp(values.filter) }),
});
