import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as graph from '@fusedis/graph';
import { ReplyError } from '@fusedis/resp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGraphWireDecoder } from '../../src/index.js';
import { compactReply, encodeReply, type Tables, tables } from '../support/graph-compact-wire.js';
import { difference } from '../support/graph-difference.js';

const { CompactWireDecoder, GraphError } = graph;
/** GRAPH_FUZZ_SCALE=20 runs every property 20 times as many cases (a deeper local run). */
const SCALE = Number(process.env.GRAPH_FUZZ_SCALE ?? 1);
const native = createGraphWireDecoder(graph);

interface Outcome {
  readonly value?: unknown;
  readonly error?: unknown;
  readonly missing: number;
}

function run(
  decoder: { result(b: Uint8Array, a: boolean): unknown; missing: number },
  bytes: Uint8Array,
  asArrays: boolean,
): Outcome {
  try {
    return { value: decoder.result(bytes, asArrays), missing: decoder.missing };
  } catch (error) {
    return { error, missing: 0 };
  }
}

const viaJs = (t: Tables, bytes: Uint8Array, asArrays: boolean) =>
  run(new CompactWireDecoder(t.labels, t.relationshipTypes, t.propertyKeys), bytes, asArrays);
const viaNative = (t: Tables, bytes: Uint8Array, asArrays: boolean) =>
  run(native(t.labels, t.relationshipTypes, t.propertyKeys), bytes, asArrays);

/** The same value (see `difference`) and `missing` bits, or the same error. */
function expectSame(js: Outcome, nat: Outcome): void {
  if (js.error !== undefined || nat.error !== undefined) {
    expect(nat.error, 'both throw').toBeDefined();
    expect(js.error, 'both throw').toBeDefined();
    const a = js.error as Error & { code?: string; cause?: unknown };
    const b = nat.error as Error & { code?: string; cause?: unknown };
    expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
    expect({ name: b.name, code: b.code, message: b.message }).toEqual({
      name: a.name,
      code: a.code,
      message: a.message,
    });
    if (a.cause instanceof ReplyError) expect(b.cause).toBeInstanceOf(ReplyError);
    return;
  }
  expect(difference(js.value, nat.value)).toBeUndefined();
  expect(nat.missing).toBe(js.missing);
}

interface Recorded {
  readonly schema: Tables;
  readonly replies: Record<string, { readonly resp2: string; readonly resp3?: string }>;
}
const recorded = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../graph/test/fixtures/replies.json'), 'utf8'),
) as Recorded;

describe('native graph wire decoder: recorded FalkorDB replies', () => {
  for (const [name, entry] of Object.entries(recorded.replies)) {
    for (const [protocol, base64] of [
      ['RESP2', entry.resp2],
      ['RESP3', entry.resp3],
    ] as const) {
      if (base64 === undefined) continue;
      it(`decodes ${name} (${protocol}) exactly as CompactWireDecoder, as records and as arrays`, () => {
        const bytes = Buffer.from(base64, 'base64');
        for (const asArrays of [false, true]) {
          expectSame(viaJs(recorded.schema, bytes, asArrays), viaNative(recorded.schema, bytes, asArrays));
        }
      });
    }
  }

  it('sets the same missing bits when the tables are short', () => {
    const short: Tables = { labels: ['Person'], relationshipTypes: [], propertyKeys: ['name'] };
    for (const entry of Object.values(recorded.replies)) {
      const bytes = Buffer.from(entry.resp2, 'base64');
      expectSame(viaJs(short, bytes, false), viaNative(short, bytes, false));
    }
    const path = Buffer.from(recorded.replies.path?.resp2 ?? '', 'base64');
    const decoder = native(short.labels, short.relationshipTypes, short.propertyKeys);
    decoder.result(path, false);
    // Bob's second label (Dev), the KNOWS type and the `since` key are past the ends.
    expect(decoder.missing).toBe(
      graph.SCHEMA_LABELS | graph.SCHEMA_RELATIONSHIP_TYPES | graph.SCHEMA_PROPERTY_KEYS,
    );
  });

  it('reads a Uint8Array that is not a Buffer, at an offset', () => {
    const bytes = Buffer.from(recorded.replies.node?.resp2 ?? '', 'base64');
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 5);
    const view = padded.subarray(5, 5 + bytes.length);
    expectSame(viaJs(recorded.schema, bytes, false), viaNative(recorded.schema, view, false));
  });
});

describe('native graph wire decoder: errors', () => {
  const t = recorded.schema;
  const cases: [string, string][] = [
    ['an error reply', '-ERR Invalid input at line 1\r\n'],
    ['a bulk error reply', '!5\r\nERR x\r\n'],
    ['two parts', '*2\r\n*0\r\n*0\r\n'],
    ['no bytes', ''],
    ['an unknown value type', '*3\r\n*1\r\n*2\r\n:1\r\n$1\r\na\r\n*1\r\n*1\r\n*2\r\n:99\r\n:1\r\n*0\r\n'],
    [
      'a bigint value type',
      '*3\r\n*1\r\n*2\r\n:1\r\n$1\r\na\r\n*1\r\n*1\r\n*2\r\n:99999999999999999999\r\n:1\r\n*0\r\n',
    ],
    ['a bad pair', '*3\r\n*1\r\n*2\r\n:1\r\n$1\r\na\r\n*1\r\n*1\r\n:3\r\n*0\r\n'],
    [
      'a bad property',
      '*3\r\n*1\r\n*2\r\n:1\r\n$1\r\na\r\n*1\r\n*1\r\n*2\r\n:8\r\n*3\r\n:1\r\n*0\r\n*1\r\n:0\r\n*0\r\n',
    ],
    ['a negative array length', '*3\r\n*-1\r\n'],
    ['a negative vector length', '*3\r\n*1\r\n*2\r\n:1\r\n$1\r\na\r\n*1\r\n*1\r\n*2\r\n:12\r\n*-2\r\n*0\r\n'],
    ['a bigint that BigInt() refuses', '*3\r\n*1\r\n*2\r\n:99999999999999999999x\r\n$1\r\na\r\n*0\r\n*0\r\n'],
    [
      'a string where a double goes',
      '*3\r\n*1\r\n*2\r\n:1\r\n$1\r\na\r\n*1\r\n*1\r\n*2\r\n:5\r\n:1\r\n*0\r\n',
    ],
  ];
  for (const [what, wire] of cases) {
    it(`throws what CompactWireDecoder throws for ${what}`, () => {
      const bytes = Buffer.from(wire, 'latin1');
      const js = viaJs(t, bytes, false);
      expect(js.error).toBeDefined();
      expectSame(js, viaNative(t, bytes, false));
    });
  }

  it('turns an error reply into GraphError ERR_GRAPH with the ReplyError as cause', () => {
    const { error } = viaNative(t, Buffer.from('-ERR boom\r\n'), false);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ code: 'ERR_GRAPH', message: 'ERR boom' });
    expect((error as Error).cause).toBeInstanceOf(ReplyError);
  });

  it('refuses bytes the JS decoder would loop on (a line cut before its CR) with ERR_GRAPH_REPLY', () => {
    const { error } = viaNative(t, Buffer.from('*3\r\n*12'), false);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({
      code: 'ERR_GRAPH_REPLY',
      message: 'unexpected FalkorDB reply: unreadable at byte 7',
    });
  });

  it('refuses nesting past 2,048 levels instead of risking the native stack', () => {
    const deep = `*3\r\n*1\r\n*2\r\n:1\r\n$1\r\na\r\n*1\r\n*1\r\n${'*2\r\n:6\r\n*1\r\n'.repeat(3000)}`;
    const { error } = viaNative(t, Buffer.from(deep), false);
    expect(error).toMatchObject({ code: 'ERR_GRAPH_REPLY' });
    expect((error as Error).message).toMatch(/nested deeper than 2048 levels/);
  });
});

describe('native graph wire decoder: generated compact replies (fast-check)', {
  timeout: 20_000 * SCALE,
}, () => {
  it('agrees with CompactWireDecoder on random replies of every value type, RESP2 and RESP3', () => {
    fc.assert(
      fc.property(
        compactReply,
        tables,
        fc.constantFrom(2 as const, 3 as const),
        fc.boolean(),
        (reply, t, protocol, asArrays) => {
          const { bytes } = encodeReply(reply, protocol);
          const js = viaJs(t, bytes, asArrays);
          expectSame(js, viaNative(t, bytes, asArrays));
        },
      ),
      { numRuns: 400 * SCALE },
    );
  });

  it('throws the same error when a reply is cut where a RESP element starts', () => {
    fc.assert(
      fc.property(
        compactReply,
        tables,
        fc.constantFrom(2 as const, 3 as const),
        fc.nat(),
        (reply, t, protocol, pick) => {
          const { bytes, starts } = encodeReply(reply, protocol);
          const cut = starts[pick % starts.length] ?? 0;
          const piece = bytes.subarray(0, cut);
          const js = viaJs(t, piece, false);
          expect(js.error).toBeInstanceOf(GraphError);
          expectSame(js, viaNative(t, piece, false));
        },
      ),
      { numRuns: 300 * SCALE },
    );
  });

  it('throws GraphError ERR_GRAPH_REPLY, never anything else, when a reply is cut anywhere', () => {
    fc.assert(
      fc.property(
        compactReply,
        tables,
        fc.constantFrom(2 as const, 3 as const),
        fc.nat(),
        (reply, t, protocol, pick) => {
          const { bytes, starts } = encodeReply(reply, protocol);
          // Up to the last element's type byte: a cut after it can remove only bytes never read (an
          // empty body's CRLF, the final LF), and such a frame still decodes, in both decoders.
          const last = starts[starts.length - 1] ?? 0;
          const piece = bytes.subarray(0, pick % (last + 1));
          const { error } = viaNative(t, piece, false);
          expect(error).toBeInstanceOf(GraphError);
          expect((error as { code: string }).code).toBe('ERR_GRAPH_REPLY');
        },
      ),
      { numRuns: 300 * SCALE },
    );
  });

  it('agrees on replies with one byte changed (both decoders walk the same wrong path)', () => {
    const bytesToTry = [...'*:$-_,+!0123456789\r\nx'].map((c) => c.charCodeAt(0)).concat([0x80, 0xff]);
    fc.assert(
      fc.property(
        compactReply,
        tables,
        fc.constantFrom(2 as const, 3 as const),
        fc.nat(),
        fc.constantFrom(...bytesToTry),
        (reply, t, protocol, at, byte) => {
          const { bytes } = encodeReply(reply, protocol);
          const mutated = Buffer.from(bytes);
          mutated[at % mutated.length] = byte;
          const nat = viaNative(t, mutated, false);
          // Where native reports "unreadable", graph's JS decoder would loop forever or read past the
          // end: it is not run on those bytes.
          if (/unreadable at byte/.test(String((nat.error as Error | undefined)?.message))) return;
          expectSame(viaJs(t, mutated, false), nat);
        },
      ),
      { numRuns: 500 * SCALE },
    );
  });
});

describe('native graph wire decoder: re-entrancy', () => {
  it('gives a decode started from inside a walk its own tape', () => {
    const bytes = Buffer.from(recorded.replies.path?.resp2 ?? '', 'base64');
    const other = Buffer.from(recorded.replies.scalars?.resp2 ?? '', 'base64');
    const t = recorded.schema;
    const inner: unknown[] = [];
    let started = 0;
    // graph's module with a GraphNode that decodes another reply while the outer walk runs.
    let factory: ReturnType<typeof createGraphWireDecoder> | undefined;
    class ReentrantNode extends graph.GraphNode {
      constructor(...args: ConstructorParameters<typeof graph.GraphNode>) {
        super(...args);
        // The outer walk's first three nodes each decode the reply again (not recursively).
        if (started < 3) {
          started++;
          inner.push(factory?.(t.labels, t.relationshipTypes, t.propertyKeys).result(other, false));
        }
      }
    }
    factory = createGraphWireDecoder({ ...graph, GraphNode: ReentrantNode });
    const outer = factory(t.labels, t.relationshipTypes, t.propertyKeys).result(bytes, true);
    const plain = viaJs(t, bytes, true).value as { rows: unknown[][] };
    expect(inner.length).toBe(2); // the path has two nodes
    // The outer result is intact: same shape as graph's own decoder's (node classes aside).
    expect(JSON.stringify(outer.rows)).toBe(JSON.stringify(plain.rows));
    for (const result of inner) {
      expect(difference(viaJs(t, other, false).value, result)).toBeUndefined();
    }
  });
});

describe('native graph wire decoder: minBytes', () => {
  it("hands frames shorter than minBytes to graph's CompactWireDecoder, longer ones to Rust", () => {
    const t = recorded.schema;
    let jsDecodes = 0;
    class Counting extends graph.CompactWireDecoder {
      override result(bytes: Uint8Array, asArrays: boolean) {
        jsDecodes++;
        return super.result(bytes, asArrays);
      }
    }
    const small = Buffer.from(recorded.replies.write?.resp2 ?? '', 'base64');
    const large = Buffer.from(recorded.replies.scalars?.resp2 ?? '', 'base64');
    expect(small.length).toBeLessThan(300);
    expect(large.length).toBeGreaterThan(300);
    const factory = createGraphWireDecoder({ ...graph, CompactWireDecoder: Counting }, { minBytes: 300 });
    for (const bytes of [small, large]) {
      const decoder = factory(t.labels, t.relationshipTypes, t.propertyKeys);
      expectSame(viaJs(t, bytes, false), { value: decoder.result(bytes, false), missing: decoder.missing });
    }
    expect(jsDecodes).toBe(1);
  });

  it('needs CompactWireDecoder in the module when minBytes is set', () => {
    const { CompactWireDecoder: _, ...withoutIt } = graph;
    expect(() => createGraphWireDecoder(withoutIt, { minBytes: 10 })).toThrow(TypeError);
  });
});
