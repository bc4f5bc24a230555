import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { type CommandArg, createJsDecoder, type DecodeOptionsInput, encodePipeline } from '@fusedis/resp';
import type { Servers } from '@fusedis/test-harness';
import {
  byteByByte,
  type Chunking,
  decodeAll,
  fixedChunks,
  outcome,
  randomChunks,
  whole,
} from '@fusedis/test-harness/decoder-contract';
import { describe, expect, inject, it } from 'vitest';
import { createNativeDecoder } from '../../src/index.js';

/** Writes `commands` as one pipeline and returns every byte the server sent until the marker echo. */
function capture(commands: readonly (readonly CommandArg[])[]): Promise<Buffer> {
  const { host, port } = (inject('servers') as Servers).standalone;
  const marker = `end-${randomUUID()}`;
  const tail = Buffer.from(`${marker}\r\n`);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no marker from the server within 10 s'));
    }, 10_000);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.subarray(-tail.length).equals(tail)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(all);
      }
    });
    socket.write(encodePipeline([...commands, ['ECHO', marker]]));
  });
}

const key = (name: string) => `native-codec:${randomUUID()}:${name}`;

/** Replies of every RESP3 type a real server sends, errors and attributes included. */
function resp3Commands(): CommandArg[][] {
  const [h, l, s, z, str] = [key('h'), key('l'), key('s'), key('z'), key('str')];
  const fields = Array.from({ length: 300 }, (_, i) => [
    `field:${i}`,
    `value-${i}-${'x'.repeat(i % 40)}`,
  ]).flat();
  return [
    ['HELLO', 3],
    ['HSET', h, ...fields, '__proto__', 'data', 'héllo', 'wörld'],
    ['RPUSH', l, ...Array.from({ length: 2000 }, (_, i) => `item:${i}`)],
    ['SADD', s, 'a', 'b', 'c'],
    ['ZADD', z, 1.5, 'one', 2, 'two'],
    ['SET', str, 'x'.repeat(100_000)],
    ['HGETALL', h],
    ['LRANGE', l, 0, -1],
    ['SMEMBERS', s],
    ['ZRANGE', z, 0, -1, 'WITHSCORES'],
    ['GET', str],
    ['INCRBY', key('n'), 9_007_199_254_740_993n],
    ['LPUSH', h, 'x'],
    ['NOSUCHCOMMAND'],
    ...[
      'string',
      'integer',
      'double',
      'bignum',
      'null',
      'array',
      'set',
      'map',
      'attrib',
      'push',
      'verbatim',
      'true',
      'false',
    ].map((type) => ['DEBUG', 'PROTOCOL', type]),
    ['CLIENT', 'INFO'],
    ['DEL', h, l, s, z, str],
  ];
}

const CHUNKINGS: Chunking[] = [whole, fixedChunks(1460), fixedChunks(7), randomChunks(5, 3000)];

function agree(bytes: Buffer, options: DecodeOptionsInput | undefined, chunkings: readonly Chunking[]): void {
  for (const chunking of chunkings) {
    const js = decodeAll(createJsDecoder, bytes, options, chunking);
    const native = decodeAll(createNativeDecoder, bytes, options, chunking);
    expect(js.errors, chunking.name).toEqual([]);
    expect(outcome(native), chunking.name).toEqual(outcome(js));
  }
}

describe('native decoder on a real server’s bytes', () => {
  it('decodes a RESP3 session of every reply type exactly as the JS decoder does', async () => {
    const bytes = await capture(resp3Commands());
    const js = decodeAll(createJsDecoder, bytes);
    // The session really holds what it claims: errors, a push, big values.
    expect(js.replies.length).toBeGreaterThan(25);
    expect(js.pushes.length).toBeGreaterThan(0);
    agree(bytes, undefined, CHUNKINGS);
    agree(bytes, { strings: 'buffer', maps: 'map', sets: 'set', integers: 'bigint', attributes: 'sink' }, [
      whole,
      fixedChunks(1460),
    ]);
  });

  it('decodes a RESP2 session exactly as the JS decoder does, byte by byte too', async () => {
    const commands = resp3Commands().filter((command) => command[0] !== 'HELLO' && command[1] !== 'PROTOCOL');
    const bytes = await capture([['HELLO', 2], ...commands]);
    agree(bytes, undefined, [...CHUNKINGS, byteByByte]);
  });
});
