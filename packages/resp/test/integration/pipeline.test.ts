import { type CommandArg, encodeCommand, encodePipeline } from '@fusedis/resp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEvents, RawConnection, uniqueKey } from './raw-connection.js';

const COMMANDS = 100_000;

/** Index of the first reply that differs from what the command at that index should return, or -1. */
function firstMismatch(replies: readonly unknown[], expected: (i: number) => unknown): number {
  return replies.findIndex((reply, i) => reply !== expected(i));
}

describe('a 100,000-command pipeline against a real server', () => {
  let conn: RawConnection;
  beforeEach(async () => {
    conn = await RawConnection.open();
  });
  afterEach(async () => {
    await conn.close();
  });

  it('writes SET/GET pairs in one buffer and one socket.write, and gets every reply in order', async () => {
    const prefix = uniqueKey('pipeline');
    const commands: CommandArg[][] = [];
    for (let i = 0; i < COMMANDS; i += 2) {
      commands.push(['SET', `${prefix}:${i}`, `value-${i}`]);
      commands.push(['GET', `${prefix}:${i}`]);
    }
    const bytes = encodePipeline(commands);
    // One exact-size buffer holding exactly the commands' own encodings, back to back.
    expect(bytes.equals(Buffer.concat(commands.map((command) => encodeCommand(command))))).toBe(true);

    const replies = await conn.request(bytes, COMMANDS);
    expect(conn.writes).toBe(1);
    expect(replies).toHaveLength(COMMANDS);
    const expected = (i: number): unknown => (i % 2 === 0 ? 'OK' : `value-${i - 1}`);
    expect(firstMismatch(replies, expected)).toBe(-1);
    expect(replies[COMMANDS - 1]).toBe(`value-${COMMANDS - 2}`);

    const keys = commands.filter((_, i) => i % 2 === 0).map((command) => command[1] as string);
    const [deleted] = await conn.request(encodeCommand(['DEL', ...keys]));
    expect(deleted).toBe(COMMANDS / 2);
  });

  it('counts 1..100,000 with INCR, so any reordering or loss would show', async () => {
    const key = uniqueKey('incr');
    const bytes = encodePipeline(Array.from({ length: COMMANDS }, () => ['INCR', key]));
    const replies = await conn.request(bytes, COMMANDS);
    expect(conn.writes).toBe(1);
    expect(firstMismatch(replies, (i) => i + 1)).toBe(-1);
    await conn.request(encodeCommand(['DEL', key]));
  });

  it('decodes the same reply bytes identically whole and in 1,460-byte chunks', async () => {
    const key = uniqueKey('rechunk');
    const commands: CommandArg[][] = [['RPUSH', key, ...Array.from({ length: 1000 }, (_, i) => `item-${i}`)]];
    for (let i = 0; i < 2_000; i++) commands.push(i % 2 === 0 ? ['LRANGE', key, 0, i % 50] : ['LLEN', key]);
    await conn.request(encodePipeline(commands), commands.length);
    const live = conn.events.slice();
    const wire = conn.received();

    expect(decodeEvents([wire])).toEqual(live);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < wire.length; at += 1460) chunks.push(wire.subarray(at, at + 1460));
    expect(decodeEvents(chunks)).toEqual(live);
    expect(live[1]).toEqual({ kind: 'reply', value: ['item-0'] });
    await conn.request(encodeCommand(['DEL', key]));
  });
});
