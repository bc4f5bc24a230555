import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJsDecoder } from '@fusedis/resp';
import type { FixtureName } from './fixture-queries.js';

/** TEST SUPPORT ONLY: the recorded replies of test/fixtures/replies.json (see record-fixtures.ts). */
export interface Fixtures {
  readonly falkordb: string;
  readonly redis: string;
  readonly schema: {
    readonly labels: string[];
    readonly relationshipTypes: string[];
    readonly propertyKeys: string[];
  };
  readonly replies: Record<
    FixtureName,
    { readonly query: string; readonly resp2: string; readonly resp3?: string }
  >;
}

export const fixtures: Fixtures = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/replies.json'), 'utf8'),
) as Fixtures;

/** The bytes of one recorded reply. */
export function wireOf(name: FixtureName, protocol: 2 | 3 = 2): Buffer {
  const entry = fixtures.replies[name];
  const text = protocol === 2 ? entry.resp2 : entry.resp3;
  if (text === undefined) throw new Error(`fixture ${name} has no RESP${protocol} recording`);
  return Buffer.from(text, 'base64');
}

/** Decodes whole RESP bytes into the single reply they hold, as the JS decoder does for a client. */
export function respDecode(bytes: Uint8Array): unknown {
  const out: unknown[] = [];
  const decoder = createJsDecoder({
    reply: (v) => out.push(v),
    push: () => {},
    error: (e) => {
      throw e;
    },
  });
  decoder.feed(bytes);
  if (out.length !== 1) throw new Error(`expected one reply, got ${out.length}`);
  return out[0];
}
