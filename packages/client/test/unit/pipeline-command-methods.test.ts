import { ReplyError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/command-spec.js';
import { COMMANDS } from '../../src/commands/index.js';
import {
  applyTransform,
  buildCommand,
  CHAIN_RESERVED,
  installCommandMethods,
} from '../../src/internal/command-methods.js';

const table = {
  get: defineCommand<[key: string], string | null>({
    build: (key) => ({ args: ['GET', key], keyIndexes: [1] }),
  }),
  exists: defineCommand<[key: string], boolean>({
    build: (key) => ({ args: ['EXISTS', key], keyIndexes: [1] }),
    transform: (reply) => reply === 1,
  }),
  own: defineCommand<[], 'OK'>({ build: () => ({ args: ['OWN'] }) }),
  toString: defineCommand<[], string>({ build: () => ({ args: ['TOSTRING'] }) }),
  skipped: defineCommand<[], 'OK'>({ build: () => ({ args: ['SKIPPED'] }) }),
};

describe('installCommandMethods', () => {
  class Recorder {
    calls: [string, readonly unknown[]][] = [];
    own(): string {
      return 'the class wins';
    }
  }
  installCommandMethods(
    Recorder.prototype,
    function (this: Recorder, name, spec, args) {
      this.calls.push([name, args]);
      return buildCommand(spec, args).args;
    },
    { table, skip: ['skipped'] },
  );
  const methods = Recorder.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;

  it('adds one method per entry, calling invoke with this, name, spec and arguments', () => {
    const recorder = new Recorder();
    const get = methods.get as (this: Recorder, key: string) => unknown;
    expect(get.call(recorder, 'k')).toEqual(['GET', 'k']);
    expect(recorder.calls).toEqual([['get', ['k']]]);
    expect(get.name).toBe('get');
  });

  it('keeps the class’s own members, skips the skip list, but shadows Object.prototype names', () => {
    const recorder = new Recorder();
    expect(recorder.own()).toBe('the class wins');
    expect(Object.hasOwn(Recorder.prototype, 'skipped')).toBe(false);
    expect((methods.toString as (this: Recorder) => unknown).call(recorder)).toEqual(['TOSTRING']);
  });

  it('makes the methods non-enumerable, like class methods', () => {
    expect(Object.keys(Recorder.prototype)).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(Recorder.prototype, 'get')?.enumerable).toBe(false);
  });

  it('reserves for chains the names that would break a batch', () => {
    for (const name of ['multi', 'exec', 'subscribe', 'select', 'watch']) {
      expect(CHAIN_RESERVED).toContain(name);
    }
    // Every real command stays available on chains.
    expect(Object.keys(COMMANDS).filter((n) => (CHAIN_RESERVED as readonly string[]).includes(n))).toEqual(
      Object.keys(COMMANDS).filter(
        (n) =>
          [
            'multi',
            'exec',
            'discard',
            'watch',
            'unwatch',
            'select',
            'quit',
            'auth',
            'hello',
            'reset',
            'monitor',
          ].includes(n) || n.endsWith('subscribe'),
      ),
    );
  });
});

describe('applyTransform', () => {
  const context = { protocol: 3, stringMode: 'utf8' } as const;

  it('shapes successful replies and passes errors and untransformed replies through', () => {
    expect(applyTransform(table.exists, 1, context)).toBe(true);
    const error = new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(applyTransform(table.exists, error, context)).toBe(error);
    expect(applyTransform(table.get, 'raw', context)).toBe('raw');
  });
});
