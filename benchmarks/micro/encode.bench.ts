import { encodeCommand, encodePipeline } from '@fusedis/resp';
import { bench, do_not_optimize, group, summary } from 'mitata';

const KEY = 'key:00000001';
const VALUE = 'value-000001-abcdefg';
const UTF8_VALUE = 'größe-€-漢字-value';
const BLOB = Buffer.alloc(1024, 0x61);
const PIPELINE = Array.from({ length: 100 }, (_, i) => ['SET', `key:${i}`, VALUE]);

group('encode', () => {
  summary(() => {
    bench('encodeCommand SET k v (ASCII)', () => do_not_optimize(encodeCommand(['SET', KEY, VALUE])));
    bench('encodeCommand SET k v (UTF-8 value)', () =>
      do_not_optimize(encodeCommand(['SET', KEY, UTF8_VALUE])),
    );
    bench('encodeCommand SET k <1 KiB Buffer>', () => do_not_optimize(encodeCommand(['SET', KEY, BLOB])));
    bench('encodeCommand INCRBY k 42 (number)', () => do_not_optimize(encodeCommand(['INCRBY', KEY, 42])));
  });
  bench('encodePipeline 100 × SET', () => do_not_optimize(encodePipeline(PIPELINE)));
});
