import type { Command } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import type { AnyCommandSpec } from '../../src/command-spec.js';
import { CommandQueue } from '../../src/internal/command-queue.js';

/** A spec that builds `NAME ...args`, and throws for an argument 'bad'. */
function spec(name: string): AnyCommandSpec {
  return {
    build: (...args: unknown[]) => {
      if (args.includes('bad')) throw new TypeError(`${name}: bad argument`);
      return { args: [name, ...(args as string[])] };
    },
  } as unknown as AnyCommandSpec;
}

/** `IArguments` of the given values, as a command method hands them over. */
function argumentsOf(...values: unknown[]): IArguments {
  return (function (..._values: unknown[]) {
    // biome-ignore lint/complexity/noArguments: the queue takes a method's `arguments` object
    return arguments;
  })(...values);
}

/** Every command the queue hands back, in order: its index, args (or error message) and spec. */
function readAll(queue: CommandQueue, wire = (cmd: Command) => cmd) {
  const out: { index: number; args: unknown[] | undefined; error: string | undefined; spec: unknown }[] = [];
  const reader = queue.read();
  while (reader.next()) {
    const cmd = reader.cmd !== undefined && reader.late ? wire(reader.cmd) : reader.cmd;
    out.push({
      index: reader.index,
      args: cmd?.args as unknown[] | undefined,
      error: reader.error?.message,
      spec: reader.spec,
    });
  }
  return out;
}

describe('CommandQueue', () => {
  it('hands back queued, built and failed commands in order, building the queued ones when read', () => {
    const set = spec('SET');
    const queue = new CommandQueue();
    queue.later(set, argumentsOf('a', '1'));
    queue.built({ args: ['GET', 'a'] }, undefined);
    queue.failed();
    queue.later(set, argumentsOf('b', 'bad'));
    queue.later(spec('PING'), argumentsOf());
    expect(queue.count).toBe(5);
    expect(readAll(queue)).toEqual([
      { index: 0, args: ['SET', 'a', '1'], error: undefined, spec: set },
      { index: 1, args: ['GET', 'a'], error: undefined, spec: undefined },
      { index: 2, args: undefined, error: undefined, spec: undefined },
      { index: 3, args: undefined, error: 'SET: bad argument', spec: set },
      { index: 4, args: ['PING'], error: undefined, spec: expect.anything() },
    ]);
  });

  it('keeps order across chunks, with commands of every argument count and one larger than a chunk', () => {
    const queue = new CommandQueue();
    const expected: unknown[][] = [];
    for (let i = 0; i < 20_000; i++) {
      const args = Array.from({ length: i % 7 }, (_, j) => `${i}:${j}`);
      queue.later(spec('CMD'), argumentsOf(...args));
      expected.push(['CMD', ...args]);
      if (i === 10_000) {
        const keys = Array.from({ length: 9_000 }, (_, j) => `k${j}`); // more entries than a chunk holds
        queue.later(spec('DEL'), argumentsOf(...keys));
        expected.push(['DEL', ...keys]);
      }
    }
    const read = readAll(queue);
    expect(read.map((r) => r.index)).toEqual(expected.map((_, i) => i));
    expect(read.map((r) => r.args)).toEqual(expected);
  });

  it('reads nothing from an empty queue, and a first command larger than the first chunk in full', () => {
    expect(readAll(new CommandQueue())).toEqual([]);
    const queue = new CommandQueue();
    const keys = Array.from({ length: 40 }, (_, j) => `k${j}`); // the first chunk holds 16 entries
    queue.later(spec('DEL'), argumentsOf(...keys));
    queue.built({ args: ['GET', 'a'] }, undefined);
    expect(readAll(queue).map((r) => r.args)).toEqual([
      ['DEL', ...keys],
      ['GET', 'a'],
    ]);
  });

  it('says which commands it built (`late`), the ones a pipeline still prefixes', () => {
    const queue = new CommandQueue();
    queue.later(spec('GET'), argumentsOf('k'));
    queue.built({ args: ['GET', 'kept'] }, undefined);
    const wire = (cmd: Command): Command => ({ args: cmd.args.map((a) => (a === 'k' ? 'app:k' : a)) });
    expect(readAll(queue, wire).map((r) => r.args)).toEqual([
      ['GET', 'app:k'],
      ['GET', 'kept'],
    ]);
  });

  it('hands back a command it built with an argument the encoder refuses as that error, unsent', () => {
    const queue = new CommandQueue();
    queue.later(spec('SET'), argumentsOf('k')); // the build below leaves the value undefined
    queue.later(spec('GET'), argumentsOf('k'));
    const lax = { build: (key: string, value?: string) => ({ args: ['SET', key, value] }) };
    queue.later(lax as unknown as AnyCommandSpec, argumentsOf('k'));
    const read = readAll(queue);
    expect(read[0]?.args).toEqual(['SET', 'k']);
    expect(read[1]?.args).toEqual(['GET', 'k']);
    expect(read[2]?.args).toBeUndefined();
    expect(read[2]?.error).toMatch(/argument 2 is undefined/);
  });

  it('reads an empty queue as no command', () => {
    expect(readAll(new CommandQueue())).toEqual([]);
  });
});
