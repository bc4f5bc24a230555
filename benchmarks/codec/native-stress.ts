/**
 * Stress loop for @fusedis/native-codec (issue 6): decodes a mix of replies — a2 rows and a5 maps
 * in 1,460-byte chunks, a 1 MiB bulk, and every hostile input — for `--minutes` (default 10),
 * sampling heap and RSS every 10 s after a forced GC, and says whether memory stayed flat.
 * Not part of CI: `node --expose-gc --import tsx codec/native-stress.ts --minutes 10 [--decoder js]`.
 */
import { parseArgs } from 'node:util';
import { createNativeDecoder } from '@fusedis/native-codec';
import { createJsDecoder } from '@fusedis/resp';
import { HOSTILE_CASES } from '@fusedis/test-harness/decoder-contract';
import { decodeCase, feedChunks } from './cases.js';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, decoder: { type: 'string', default: 'native' } },
});
// `--decoder js` runs the same loop on the JS decoder: a baseline for how RSS moves on its own.
const createDecoder = values.decoder === 'js' ? createJsDecoder : createNativeDecoder;
const minutes = Number(values.minutes);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const inputs = [
  ...['a2', 'a5'].map((id) => feedChunks(decodeCase(id).build(), 'chunked')),
  [Buffer.concat([Buffer.from(`$${1 << 20}\r\n`), Buffer.alloc(1 << 20, 0x61), Buffer.from('\r\n')])],
];
/** The last reply, kept until the next, as a client would hold it. */
const last: { value: unknown } = { value: undefined };
const sink = {
  reply: (v: unknown) => {
    last.value = v;
  },
  push: () => {},
  error: () => {},
};

function round(): void {
  for (const chunks of inputs) {
    const decoder = createDecoder(sink);
    for (const chunk of chunks) decoder.feed(chunk);
  }
  for (const hostile of HOSTILE_CASES) {
    const decoder = createDecoder(
      sink,
      hostile.limits === undefined ? undefined : { limits: hostile.limits },
    );
    decoder.feed(hostile.bytes);
  }
}

const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
const samples: { heap: number; rss: number }[] = [];
const end = Date.now() + minutes * 60_000;
let next = Date.now();
let rounds = 0;
while (Date.now() < end) {
  round();
  rounds++;
  if (Date.now() >= next) {
    last.value = undefined;
    gc();
    const { heapUsed, rss } = process.memoryUsage();
    samples.push({ heap: heapUsed, rss });
    console.log(
      `${samples.length * 10 - 10}s  rounds ${rounds}  heap ${mib(heapUsed)} MiB  rss ${mib(rss)} MiB`,
    );
    next += 10_000;
  }
}
// Flat: the second half's floor is within 10 % (+8 MiB) of the first half's. Floors, not peaks:
// RSS swings by hundreds of MiB as malloc and V8 take and return large blocks; a leak lifts the floor.
const half = Math.max(1, Math.floor(samples.length / 2));
const floor = (list: typeof samples, key: 'heap' | 'rss') => Math.min(...list.map((s) => s[key]));
const verdicts = (['heap', 'rss'] as const).map((key) => {
  const early = floor(samples.slice(0, half), key);
  const late = floor(samples.slice(half), key);
  return { key, early, late, flat: samples.length < 2 || late <= early * 1.1 + 8 * 1024 * 1024 };
});
for (const v of verdicts)
  console.log(
    `${v.key}: first half floor ${mib(v.early)} MiB, second half ${mib(v.late)} MiB: ${v.flat ? 'flat' : 'GROWING'}`,
  );
process.exit(verdicts.every((v) => v.flat) ? 0 : 1);
