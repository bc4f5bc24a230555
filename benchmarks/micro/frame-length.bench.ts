import { frameLength } from '@fusedis/resp';
import { bench, do_not_optimize, group } from 'mitata';
import { arrayOf, bigBulk, mapOf } from './wire.js';

const OK = Buffer.from('+OK\r\n', 'latin1');
const ARRAY_1000 = arrayOf(1000, (i) => `v${String(i).padStart(9, '0')}`);
const MAP_100 = mapOf(100);
const BULK_1MIB = bigBulk(1024 * 1024);
const NESTED = Buffer.from(`${'*1\r\n'.repeat(100)}:1\r\n`, 'latin1');

group('frameLength', () => {
  bench('+OK', () => do_not_optimize(frameLength(OK)));
  bench('array of 1000 ten-byte bulks', () => do_not_optimize(frameLength(ARRAY_1000)));
  bench('map of 100 entries', () => do_not_optimize(frameLength(MAP_100)));
  bench('1 MiB bulk (body skipped)', () => do_not_optimize(frameLength(BULK_1MIB)));
  bench('100 nested arrays', () => do_not_optimize(frameLength(NESTED)));
  bench('1 MiB bulk, first half only (incomplete)', () =>
    do_not_optimize(frameLength(BULK_1MIB.subarray(0, BULK_1MIB.length >> 1))),
  );
});
