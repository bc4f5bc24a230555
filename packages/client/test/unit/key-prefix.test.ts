import { describe, expect, it } from 'vitest';
import { prefixCommand } from '../../src/internal/key-prefix.js';

const PREFIX = 'app:';
const BYTES = Buffer.from(PREFIX);

describe('prefixCommand', () => {
  it('prefixes exactly the key positions, as a new command', () => {
    const cmd = { args: ['MSET', 'a', '1', 'b', '2'], keyIndexes: [1, 3] };
    const out = prefixCommand(cmd, PREFIX, BYTES);
    expect(out.args).toEqual(['MSET', 'app:a', '1', 'app:b', '2']);
    expect(out.keyIndexes).toEqual([1, 3]);
    expect(cmd.args).toEqual(['MSET', 'a', '1', 'b', '2']);
  });

  it('prefixes Buffer and number keys as bytes and text', () => {
    const out = prefixCommand(
      { args: ['DEL', Buffer.from([0xff, 0x00]), 42], keyIndexes: [1, 2] },
      PREFIX,
      BYTES,
    );
    expect(out.args[1]).toEqual(Buffer.from([0x61, 0x70, 0x70, 0x3a, 0xff, 0x00]));
    expect(out.args[2]).toBe('app:42');
  });

  it('keeps the other fields and returns keyless commands untouched', () => {
    const cmd = {
      args: ['GET', 'k'],
      keyIndexes: [1],
      readOnly: true,
      idempotent: true,
      stringMode: 'buffer' as const,
    };
    expect(prefixCommand(cmd, PREFIX, BYTES)).toEqual({ ...cmd, args: ['GET', 'app:k'] });
    const keyless = { args: ['PING'] };
    expect(prefixCommand(keyless, PREFIX, BYTES)).toBe(keyless);
  });
});
