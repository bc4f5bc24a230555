import { describe, expect, it } from 'vitest';
import { scriptingCommands } from '../../src/commands/scripting.js';

describe('scripting command arguments', () => {
  it('marks EVAL keys after numkeys and never the arguments', () => {
    const cmd = scriptingCommands.eval.build('return 1', ['k1', 'k2'], ['a1', 'k3']);
    expect(cmd.args).toEqual(['EVAL', 'return 1', 2, 'k1', 'k2', 'a1', 'k3']);
    expect(cmd.keyIndexes).toEqual([3, 4]);
    expect(cmd.readOnly).toBeUndefined();
  });

  it('sends numkeys 0 and no key positions without keys', () => {
    const cmd = scriptingCommands.evalsha.build('abc');
    expect(cmd.args).toEqual(['EVALSHA', 'abc', 0]);
    expect(cmd.keyIndexes).toEqual([]);
  });

  it('marks the _RO variants read-only', () => {
    for (const name of ['evalRo', 'evalshaRo', 'fcallRo'] as const) {
      const cmd = scriptingCommands[name].build('x', ['k'], ['a']);
      expect(cmd.readOnly).toBe(true);
      expect(cmd.keyIndexes).toEqual([3]);
    }
  });

  it('marks FCALL keys like EVAL', () => {
    const cmd = scriptingCommands.fcall.build('fn', ['a', 'b', 'c'], [1]);
    expect(cmd.args).toEqual(['FCALL', 'fn', 3, 'a', 'b', 'c', 1]);
    expect(cmd.keyIndexes).toEqual([3, 4, 5]);
  });

  it('asks for a Buffer reply to FUNCTION DUMP and builds the option tokens', () => {
    expect(scriptingCommands.functionDump.build().stringMode).toBe('buffer');
    expect(scriptingCommands.functionLoad.build('code', { REPLACE: true }).args).toEqual([
      'FUNCTION',
      'LOAD',
      'REPLACE',
      'code',
    ]);
    expect(scriptingCommands.functionList.build({ LIBRARYNAME: 'lib*', WITHCODE: true }).args).toEqual([
      'FUNCTION',
      'LIST',
      'LIBRARYNAME',
      'lib*',
      'WITHCODE',
    ]);
    expect(scriptingCommands.scriptExists.build('a', ['b', 'c']).args).toEqual([
      'SCRIPT',
      'EXISTS',
      'a',
      'b',
      'c',
    ]);
  });
});
