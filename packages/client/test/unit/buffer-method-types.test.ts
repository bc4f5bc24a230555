import { describe, expectTypeOf, it } from 'vitest';
import type { Client } from '../../src/client.js';
import type { Transaction } from '../../src/multi.js';
import type { Pipeline } from '../../src/pipeline.js';
import type { WatchScope } from '../../src/transaction-watch.js';

// Compile-time checks (tsc runs over test/): the runtime part of each test is a no-op. The
// runtime side of the same promise (no string left in any twin's reply) is
// test/integration/commands-buffer-methods.test.ts.
describe('…Buffer twins', () => {
  it('take the plain method’s arguments and resolve to its reply with Buffers for strings', () => {
    expectTypeOf<Client['getBuffer']>().parameters.toEqualTypeOf<Parameters<Client['get']>>();
    expectTypeOf<Client['getBuffer']>().returns.resolves.toEqualTypeOf<Buffer | null>();
    expectTypeOf<Client['hgetallBuffer']>().returns.resolves.toEqualTypeOf<{ [x: string]: Buffer }>();
    expectTypeOf<Client['lrangeBuffer']>().returns.resolves.toEqualTypeOf<Buffer[]>();
    expectTypeOf<Client['zrangeWithScoresBuffer']>().returns.resolves.toEqualTypeOf<
      { readonly value: Buffer; readonly score: number }[]
    >();
    expectTypeOf<Client['blpopBuffer']>().returns.resolves.toEqualTypeOf<{
      readonly key: Buffer;
      readonly element: Buffer;
    } | null>();
    expectTypeOf<Client['xrangeBuffer']>()
      .returns.resolves.items.toHaveProperty('id')
      .toEqualTypeOf<Buffer>();
    expectTypeOf<Client['evalBuffer']>().returns.resolves.toBeUnknown();
  });

  it('keep a stream’s name a string in XREAD and XREADGROUP, as the reply does', () => {
    type Read = NonNullable<Awaited<ReturnType<Client['xreadBuffer']>>>[number];
    expectTypeOf<Read['name']>().toEqualTypeOf<string>();
    expectTypeOf<Read['entries'][number]['id']>().toEqualTypeOf<Buffer>();
    type GroupRead = NonNullable<Awaited<ReturnType<Client['xreadgroupBuffer']>>>[number];
    expectTypeOf<GroupRead['name']>().toEqualTypeOf<string>();
  });

  it('chain on pipelines and transactions, and run in a watch scope', () => {
    expectTypeOf<Pipeline['getBuffer']>().returns.toEqualTypeOf<Pipeline>();
    expectTypeOf<Transaction['hgetallBuffer']>().returns.toEqualTypeOf<Transaction>();
    expectTypeOf<WatchScope['getBuffer']>().returns.resolves.toEqualTypeOf<Buffer | null>();
  });

  it('exist only for commands whose replies are data', () => {
    expectTypeOf<Client>().not.toHaveProperty('setBuffer');
    expectTypeOf<Client>().not.toHaveProperty('infoBuffer');
    expectTypeOf<Pipeline>().not.toHaveProperty('typeBuffer');
  });
});
