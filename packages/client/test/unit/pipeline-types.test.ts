import { describe, expectTypeOf, it } from 'vitest';
import type { ClientCore } from '../../src/internal/client-core.js';
import type { Transaction } from '../../src/multi.js';
import type { Pipeline, PipelineResult } from '../../src/pipeline.js';
import type { PubSubMessage } from '../../src/pubsub/message.js';
import type { PubSub } from '../../src/pubsub/pubsub.js';
import type { Subscription } from '../../src/pubsub/subscription.js';
import type { hscanIterator, ScanString, scanIterator, zscanIterator } from '../../src/scan-iterator.js';
import type { Script, ScriptArgs } from '../../src/script.js';
import type { WatchScope } from '../../src/transaction-watch.js';

// Compile-time checks (tsc runs over test/): the runtime part of each test is a no-op.
describe('public types of the features', () => {
  it('pipelines and transactions chain typed command methods', () => {
    expectTypeOf<Pipeline['set']>().returns.toEqualTypeOf<Pipeline>();
    expectTypeOf<Pipeline['hgetall']>().parameters.toMatchTypeOf<[unknown]>();
    expectTypeOf<Pipeline['exec']>().returns.resolves.toEqualTypeOf<PipelineResult[]>();
    expectTypeOf<Transaction['get']>().returns.toEqualTypeOf<Transaction>();
    expectTypeOf<Transaction['discard']>().returns.toEqualTypeOf<void>();
    // The transaction family is not a chain method (it would break the batch).
    expectTypeOf<Pipeline>().not.toHaveProperty('multi');
    expectTypeOf<Transaction>().not.toHaveProperty('subscribe');
  });

  it('watch scopes await typed replies', () => {
    expectTypeOf<WatchScope['get']>().returns.toEqualTypeOf<Promise<string | null>>();
    expectTypeOf<WatchScope['multi']>().returns.toEqualTypeOf<Transaction>();
  });

  it('subscribe returns a promise with a listener, a Subscription without', () => {
    const hub = {} as PubSub;
    const check = (): void => {
      expectTypeOf(hub.subscribe('c')).toEqualTypeOf<Subscription<string>>();
      expectTypeOf(hub.subscribe('c', { buffers: true })).toEqualTypeOf<Subscription<Buffer>>();
      expectTypeOf(
        hub.psubscribe('c*', (message: string, channel: string, pattern?: string) => {
          void [message, channel, pattern];
        }),
      ).toEqualTypeOf<Promise<void>>();
      expectTypeOf(hub.subscribe('c', (message: Buffer) => void message, { buffers: true })).toEqualTypeOf<
        Promise<void>
      >();
    };
    void check;
    expectTypeOf<Subscription<string>>().toMatchTypeOf<AsyncIterable<PubSubMessage<string>>>();
  });

  it('scan iterators yield strings, or Buffers when asked', () => {
    expectTypeOf<ScanString<{ returnBuffers: true }>>().toEqualTypeOf<Buffer>();
    expectTypeOf<ScanString<{ match: 'x' }>>().toEqualTypeOf<string>();
    const core = {} as ClientCore;
    const check = (
      scan: typeof scanIterator,
      hscan: typeof hscanIterator,
      zscan: typeof zscanIterator,
    ): void => {
      expectTypeOf(scan(core)).toEqualTypeOf<AsyncGenerator<string>>();
      expectTypeOf(hscan(core, 'h', { returnBuffers: true })).toEqualTypeOf<
        AsyncGenerator<[field: Buffer, value: Buffer]>
      >();
      expectTypeOf(zscan(core, 'z')).toEqualTypeOf<
        AsyncGenerator<{ readonly value: string; readonly score: number }>
      >();
    };
    void check;
  });

  it('script arguments follow numberOfKeys', () => {
    expectTypeOf<ScriptArgs<2>>().toEqualTypeOf<import('@fusedis/resp').CommandArg[]>();
    expectTypeOf<ScriptArgs<undefined>>().toEqualTypeOf<
      [
        keys?: readonly import('@fusedis/resp').CommandArg[],
        args?: readonly import('@fusedis/resp').CommandArg[],
      ]
    >();
    expectTypeOf<Script<1>['run']>().parameters.toEqualTypeOf<import('@fusedis/resp').CommandArg[]>();
  });
});
