import type { DecodeOptionsInput, RespLimits } from '@fusedis/resp';
import fc from 'fast-check';
import type { RespEntry, RespNode } from './resp-node.js';

/*
 * fast-check arbitraries for property tests: reply trees of every RESP3 type (or RESP2 only),
 * decode options, chunk boundaries, and byte mutations.
 */

/** What `respNode` may generate. */
export interface RespArbitraryOptions {
  /**
   * Only RESP2 types: simple string and error, integer, bulk string, `$-1` / `*-1`, array.
   * @default false
   */
  readonly resp2Only?: boolean;
  /**
   * Nesting levels of aggregates.
   * @default 3
   */
  readonly maxDepth?: number;
  /**
   * Elements (or entries) per aggregate.
   * @default 4
   */
  readonly maxItems?: number;
}

const SAFE = 2n ** 53n;
const INT64 = 2n ** 63n;

const noLineBreaks = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.map((b) => (b === 0x0d || b === 0x0a ? 0x20 : b)));

/** Bytes of a line (no CR, no LF): UTF-8 text of any script, or raw bytes (invalid UTF-8 included). */
const lineBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 10 }).map((s) => noLineBreaks(Buffer.from(s, 'utf8'))),
  fc.string({ maxLength: 10 }).map((s) => noLineBreaks(Buffer.from(s, 'utf8'))),
  fc.uint8Array({ maxLength: 12 }).map(noLineBreaks),
);

/** Bytes of a bulk body: anything, CR LF included. */
const bodyBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => Buffer.from(s, 'utf8')),
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from('\r\n'), Buffer.from('$3\r\n*1\r\n'), Buffer.alloc(0)),
);

/** An error message: a code word, then text. */
const errorBytes: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.constantFrom('ERR', 'WRONGTYPE', 'MOVED', 'NOSCRIPT', 'x', ''),
    fc.option(lineBytes, { nil: undefined }),
  )
  .map(([code, rest]) =>
    rest === undefined ? Buffer.from(code) : Buffer.concat([Buffer.from(`${code} `), rest]),
  );

const integerText: fc.Arbitrary<string> = fc
  .oneof(
    fc.integer({ min: -1000, max: 1000 }).map(BigInt),
    fc.bigInt({ min: -INT64, max: INT64 - 1n }),
    fc.constantFrom(SAFE - 1n, SAFE, SAFE + 1n, -SAFE + 1n, -SAFE, -SAFE - 1n, INT64 - 1n, -INT64),
  )
  .map(String);

function doubleText(value: number, exponent: boolean): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  if (Object.is(value, -0)) return '-0';
  return exponent ? value.toExponential() : String(value);
}

const doubleTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.double(), fc.boolean()).map(([value, exponent]) => doubleText(value, exponent)),
  // Other spellings the RESP3 grammar allows.
  fc.constantFrom('1e3', '1E-3', '+1.5', '.5', '5.', '10', '+inf', 'INF', 'NaN', '-nan', '0.0', '-1.25e+2'),
);

const bigNumberText: fc.Arbitrary<string> = fc
  .oneof(fc.bigInt({ min: -(10n ** 60n), max: 10n ** 60n }), fc.bigInt({ min: -SAFE, max: SAFE }))
  .map(String);

function scalars(resp2Only: boolean): fc.Arbitrary<RespNode> {
  const resp2: fc.Arbitrary<RespNode>[] = [
    lineBytes.map((bytes): RespNode => ({ type: 'simple-string', bytes })),
    errorBytes.map((bytes): RespNode => ({ type: 'simple-error', bytes })),
    integerText.map((text): RespNode => ({ type: 'integer', text })),
    bodyBytes.map((bytes): RespNode => ({ type: 'bulk-string', bytes })),
    fc.constantFrom('$-1' as const, '*-1' as const).map((wire): RespNode => ({ type: 'null', wire })),
  ];
  if (resp2Only) return fc.oneof(...resp2);
  return fc.oneof(
    ...resp2,
    fc.constant<RespNode>({ type: 'null', wire: '_' }),
    doubleTextArb.map((text): RespNode => ({ type: 'double', text })),
    fc.boolean().map((value): RespNode => ({ type: 'boolean', value })),
    bigNumberText.map((text): RespNode => ({ type: 'big-number', text })),
    errorBytes.map((bytes): RespNode => ({ type: 'bulk-error', bytes })),
    fc
      .tuple(fc.constantFrom('txt', 'mkd'), bodyBytes)
      .map(([format, bytes]): RespNode => ({ type: 'verbatim', format: Buffer.from(format), bytes })),
  );
}

/** Map keys: scalars other than errors (how an error or an aggregate key becomes text is not part of the contract). */
const mapKey: fc.Arbitrary<RespNode> = fc.oneof(
  lineBytes.map((bytes): RespNode => ({ type: 'simple-string', bytes })),
  bodyBytes.map((bytes): RespNode => ({ type: 'bulk-string', bytes })),
  fc
    .constantFrom('a', 'b', '__proto__', 'constructor', '1')
    .map((key): RespNode => ({ type: 'bulk-string', bytes: Buffer.from(key) })),
  integerText.map((text): RespNode => ({ type: 'integer', text })),
  fc.boolean().map((value): RespNode => ({ type: 'boolean', value })),
  fc.constant<RespNode>({ type: 'null', wire: '_' }),
  doubleTextArb.map((text): RespNode => ({ type: 'double', text })),
  bigNumberText.map((text): RespNode => ({ type: 'big-number', text })),
);

/** A reply tree (never a top-level push: see `respStream`). */
export function respNode(options: RespArbitraryOptions = {}): fc.Arbitrary<RespNode> {
  const resp2Only = options.resp2Only ?? false;
  const maxItems = options.maxItems ?? 4;
  const leaf = scalars(resp2Only);
  let node = leaf;
  for (let depth = 0; depth < (options.maxDepth ?? 3); depth++) {
    const inner = node;
    const items = fc.array(inner, { maxLength: maxItems });
    const entries = fc.array(fc.tuple(mapKey, inner), { maxLength: maxItems }) as fc.Arbitrary<RespEntry[]>;
    const aggregates: fc.Arbitrary<RespNode>[] = [
      items.map((list): RespNode => ({ type: 'array', items: list })),
    ];
    if (!resp2Only) {
      aggregates.push(
        items.map((list): RespNode => ({ type: 'set', items: list })),
        items.map((list): RespNode => ({ type: 'push', items: list })),
        entries.map((list): RespNode => ({ type: 'map', entries: list })),
        fc
          .tuple(entries, inner)
          .map(([list, value]): RespNode => ({ type: 'attribute', entries: list, value })),
      );
    }
    node = fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 2, arbitrary: fc.oneof(...aggregates) });
  }
  return node;
}

/** Top-level frames in a row; in RESP3, some are pushes (sometimes behind an attribute). */
export function respStream(options: RespArbitraryOptions = {}): fc.Arbitrary<RespNode[]> {
  const node = respNode(options);
  if (options.resp2Only === true) return fc.array(node, { minLength: 1, maxLength: 5 });
  const pushFrame = fc
    .tuple(
      fc.array(node, { maxLength: 4 }),
      fc.option(fc.array(fc.tuple(mapKey, node), { maxLength: 2 }), { nil: undefined }),
    )
    .map(([items, attributes]): RespNode => {
      const push: RespNode = { type: 'push', items };
      return attributes === undefined
        ? push
        : { type: 'attribute', entries: attributes as RespEntry[], value: push };
    });
  return fc.array(fc.oneof({ weight: 4, arbitrary: node }, { weight: 1, arbitrary: pushFrame }), {
    minLength: 1,
    maxLength: 5,
  });
}

/** Any combination of decode options (default limits). */
export const decodeOptionsArbitrary: fc.Arbitrary<DecodeOptionsInput> = fc.record({
  strings: fc.constantFrom('utf8' as const, 'buffer' as const),
  maps: fc.constantFrom('object' as const, 'map' as const),
  sets: fc.constantFrom('array' as const, 'set' as const),
  integers: fc.constantFrom('number' as const, 'bigint' as const),
  attributes: fc.constantFrom('skip' as const, 'sink' as const),
});

/** Default limits, or small ones that mutated streams run into. */
export const limitsArbitrary: fc.Arbitrary<Partial<RespLimits> | undefined> = fc.constantFrom(
  undefined,
  { maxDepth: 2, maxElements: 3, maxBigNumberLength: 8, maxReplyBytes: 16 },
  { maxDepth: 4, maxElements: 6, maxBigNumberLength: 30, maxReplyBytes: 200 },
);

/** Chunk boundaries as raw numbers; `cutAt(offsets % (length + 1))` turns them into a chunking. */
export const chunkOffsetsArbitrary: fc.Arbitrary<number[]> = fc.array(fc.nat(), { maxLength: 10 });

/** One edit of a byte stream. */
export interface Mutation {
  readonly kind: 'replace' | 'insert' | 'delete';
  /** Position, taken modulo the stream length. */
  readonly at: number;
  readonly byte: number;
}

/** Bytes that mean something to the grammar, so mutations reach past the type-byte check. */
const TELLING_BYTES = Buffer.from('\r\n0129-+?.eEtfinaINF:$*%~>|_#,(!=  \u0000');

/** One to three edits, biased to bytes the grammar cares about. */
export const mutationsArbitrary: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({
    kind: fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const),
    at: fc.nat(),
    byte: fc.oneof(fc.constantFrom(...TELLING_BYTES), fc.integer({ min: 0, max: 255 })),
  }),
  { minLength: 1, maxLength: 3 },
);

/** Applies the edits in order. */
export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Buffer {
  const list = Array.from(bytes);
  for (const { kind, at, byte } of mutations) {
    if (kind === 'insert') list.splice(at % (list.length + 1), 0, byte);
    else if (list.length === 0) continue;
    else if (kind === 'delete') list.splice(at % list.length, 1);
    else list[at % list.length] = byte;
  }
  return Buffer.from(list);
}
