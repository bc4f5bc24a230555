import { describe, expect, it } from 'vitest';
import { pubSubCommands } from '../../src/commands/pubsub.js';
import { serverCommands } from '../../src/commands/server.js';

describe('server and pub/sub command arguments', () => {
  it("marks nothing of the group blocking: WAIT and WAITAOF stay on the writes' connection, with the wait plus a margin as deadline", () => {
    expect(serverCommands.wait.build(1, 100)).toEqual({ args: ['WAIT', 1, 100], timeout: 1100 });
    expect(serverCommands.wait.build(1, 0)).toEqual({ args: ['WAIT', 1, 0], timeout: 0 });
    expect(serverCommands.waitaof.build(1, 0, 100)).toEqual({ args: ['WAITAOF', 1, 0, 100], timeout: 1100 });
    for (const [name, spec] of Object.entries(serverCommands)) {
      const build = spec.build as (...args: unknown[]) => { blocking?: boolean };
      let blocking: boolean | undefined;
      try {
        blocking = build('x', 'y', 'z').blocking;
      } catch {
        // Specs that need an options object; COMMAND LIST's filter needs one of its fields.
        blocking = (name === 'commandList' ? build({ PATTERN: '*' }) : build({})).blocking;
      }
      expect(blocking, name).toBeUndefined();
    }
  });

  it('builds CLIENT TRACKING with one PREFIX token per prefix', () => {
    expect(
      serverCommands.clientTracking.build(true, {
        REDIRECT: 7,
        PREFIX: ['a', 'b'],
        BCAST: true,
        NOLOOP: true,
      }).args,
    ).toEqual(['CLIENT', 'TRACKING', 'ON', 'REDIRECT', 7, 'PREFIX', 'a', 'PREFIX', 'b', 'BCAST', 'NOLOOP']);
    expect(serverCommands.clientTracking.build(false).args).toEqual(['CLIENT', 'TRACKING', 'OFF']);
  });

  it('builds CONFIG SET from objects, maps and pairs', () => {
    const expected = ['CONFIG', 'SET', 'a', 1, 'b', '2'];
    expect(serverCommands.configSet.build({ a: 1, b: '2' }).args).toEqual(expected);
    expect(
      serverCommands.configSet.build(
        new Map<string, string | number>([
          ['a', 1],
          ['b', '2'],
        ]),
      ).args,
    ).toEqual(expected);
    expect(
      serverCommands.configSet.build([
        ['a', 1],
        ['b', '2'],
      ]).args,
    ).toEqual(expected);
  });

  it('builds COMMAND LIST filters and MEMORY USAGE with its key at position 2', () => {
    expect(serverCommands.commandList.build({ ACLCAT: 'read' }).args).toEqual([
      'COMMAND',
      'LIST',
      'FILTERBY',
      'ACLCAT',
      'read',
    ]);
    const usage = serverCommands.memoryUsage.build('k', { SAMPLES: 5 });
    expect(usage.args).toEqual(['MEMORY', 'USAGE', 'k', 'SAMPLES', 5]);
    expect(usage.keyIndexes).toEqual([2]);
  });

  it('routes SPUBLISH by its shard channel and PUBLISH by nothing', () => {
    expect(pubSubCommands.spublish.build('ch', 'm').keyIndexes).toEqual([1]);
    expect(pubSubCommands.publish.build('ch', 'm').keyIndexes).toBeUndefined();
  });
});
