import { createHash } from 'node:crypto';
import { InvalidArgumentError, ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { isNoScript, ScriptCode } from '../../src/script.js';

describe('ScriptCode', () => {
  it('keeps the SHA1 of the source', () => {
    const code = new ScriptCode({ lua: 'return 1' });
    expect(code.sha1).toBe(createHash('sha1').update('return 1').digest('hex'));
    expect(code.loadCommand()).toEqual({ args: ['SCRIPT', 'LOAD', 'return 1'] });
  });

  it('splits flat arguments by numberOfKeys and marks the keys', () => {
    const code = new ScriptCode({ lua: 'return 1', numberOfKeys: 2 });
    expect(code.evalShaCommand(['a', 'b', 'c'])).toEqual({
      args: ['EVALSHA', code.sha1, 2, 'a', 'b', 'c'],
      keyIndexes: [3, 4],
    });
    expect(code.evalCommand(['a', 'b'])).toEqual({
      args: ['EVAL', 'return 1', 2, 'a', 'b'],
      keyIndexes: [3, 4],
    });
  });

  it('takes (keys, args) arrays without numberOfKeys, and uses the _RO variants when read-only', () => {
    const code = new ScriptCode({ lua: 'return 1', readOnly: true });
    expect(code.evalShaCommand([['k'], [1, 2]])).toEqual({
      args: ['EVALSHA_RO', code.sha1, 1, 'k', 1, 2],
      keyIndexes: [3],
    });
    expect(code.evalCommand([])).toEqual({ args: ['EVAL_RO', 'return 1', 0] });
    expect(() => code.evalShaCommand(['k', 'v'])).toThrow(InvalidArgumentError);
  });

  it('refuses bad definitions and too few keys up front', () => {
    expect(() => new ScriptCode({ lua: '' })).toThrow(InvalidArgumentError);
    expect(() => new ScriptCode({ lua: 'return 1', numberOfKeys: -1 })).toThrow(InvalidArgumentError);
    expect(() => new ScriptCode({ lua: 'return 1', numberOfKeys: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new ScriptCode({ lua: 'return 1', numberOfKeys: 2 }).evalShaCommand(['one'])).toThrow(
      InvalidArgumentError,
    );
  });

  it('recognises NOSCRIPT replies only', () => {
    expect(isNoScript(new ReplyError('NOSCRIPT No matching script. Please use EVAL.'))).toBe(true);
    expect(isNoScript(new ReplyError('ERR something else'))).toBe(false);
    expect(isNoScript('NOSCRIPT')).toBe(false);
  });
});
