import { createJsDecoder, type ReplyDecoder } from '@fusedis/resp';
import { bench, do_not_optimize, group, summary } from 'mitata';
import RedisParser from 'redis-parser';
import { arrayOf, mapOf } from './wire.js';

function fail(err: unknown): never {
  throw err instanceof Error ? err : new Error(String(err));
}

/** One long-lived decoder per shape, as a connection has; every reply lands in `last`. */
let last: unknown;
const reply = (value: unknown): void => {
  last = value;
};
const utf8 = createJsDecoder({ reply, push: fail, error: fail }, { strings: 'utf8' });
const buffers = createJsDecoder({ reply, push: fail, error: fail }, { strings: 'buffer' });
const maps = createJsDecoder({ reply, push: fail, error: fail }, { maps: 'map' });
const parser = new RedisParser({ returnReply: reply, returnError: fail });

const OK = Buffer.from('+OK\r\n', 'latin1');
const INT = Buffer.from(':1234567\r\n', 'latin1');
const ASCII_100 = arrayOf(100, (i) => `v${String(i).padStart(9, '0')}`);
const UTF8_100 = arrayOf(100, (i) => `größe-${i}-€`);
const MAP_100 = mapOf(100);

function feed(decoder: ReplyDecoder, bytes: Buffer): unknown {
  decoder.feed(bytes);
  return last;
}

group('decode one reply', () => {
  summary(() => {
    bench('fusedis +OK', () => do_not_optimize(feed(utf8, OK)));
    bench('redis-parser +OK', () => {
      parser.execute(OK);
      do_not_optimize(last);
    });
  });
  bench('fusedis :1234567', () => do_not_optimize(feed(utf8, INT)));
  summary(() => {
    bench('fusedis array of 100 ASCII bulks', () => do_not_optimize(feed(utf8, ASCII_100)));
    bench('redis-parser array of 100 ASCII bulks', () => {
      parser.execute(ASCII_100);
      do_not_optimize(last);
    });
  });
  bench('fusedis array of 100 UTF-8 bulks', () => do_not_optimize(feed(utf8, UTF8_100)));
  bench('fusedis array of 100 bulks, buffer mode', () => do_not_optimize(feed(buffers, ASCII_100)));
  bench('fusedis map of 100, object', () => do_not_optimize(feed(utf8, MAP_100)));
  bench('fusedis map of 100, Map', () => do_not_optimize(feed(maps, MAP_100)));
});
