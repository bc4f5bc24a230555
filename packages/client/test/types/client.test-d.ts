import { expectTypeOf } from 'vitest';
import type { Client, ClientOptions, Pipeline } from '../../src/index.js';
import { createClient } from '../../src/index.js';

// Compile-time checks (tsc runs them through `typecheck`; nothing here executes).
declare const client: Client;
expectTypeOf(client.get('k')).toEqualTypeOf<Promise<string | null>>();
expectTypeOf(client.hgetall('h')).resolves.toEqualTypeOf<Record<string, string>>();
expectTypeOf(client.call('ECHO', 'x')).toEqualTypeOf<Promise<unknown>>();
expectTypeOf(client.withOptions({ returnBuffers: true })).toEqualTypeOf<Client>();
expectTypeOf(client.pipeline()).toEqualTypeOf<Pipeline>();
expectTypeOf(createClient).parameter(0).toEqualTypeOf<string | ClientOptions | undefined>();
// Commands that would break the shared connection have no plain method.
expectTypeOf(client).not.toHaveProperty('select');
// @ts-expect-error a key is required
void client.get();
