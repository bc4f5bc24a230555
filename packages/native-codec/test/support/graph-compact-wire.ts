import fc from 'fast-check';

/**
 * TEST SUPPORT ONLY: FalkorDB compact replies built from random values, as RESP bytes (RESP2 or
 * RESP3), for the native graph decoder's differential tests. The encoder records where each RESP
 * element starts: cutting a frame there ends it at a type byte, which both decoders report alike.
 */

/** One compact value: its type id and what follows it. */
export type CompactValue =
  | { readonly t: 1 }
  | { readonly t: 2; readonly s: string | null }
  | { readonly t: 3; readonly n: bigint }
  | { readonly t: 4; readonly b: boolean }
  | { readonly t: 5; readonly d: string; readonly resp3: boolean }
  | { readonly t: 6; readonly items: readonly CompactValue[] }
  | { readonly t: 7; readonly edge: CompactEdge }
  | { readonly t: 8; readonly node: CompactNode }
  | { readonly t: 9; readonly nodes: readonly CompactNode[]; readonly edges: readonly CompactEdge[] }
  | { readonly t: 10; readonly entries: readonly (readonly [string, CompactValue])[] }
  | { readonly t: 11; readonly lat: string; readonly lon: string }
  | { readonly t: 12; readonly items: readonly string[]; readonly resp3: boolean }
  | { readonly t: 13 | 14 | 15 | 16; readonly n: bigint };

export interface CompactNode {
  readonly id: bigint;
  readonly labels: readonly number[];
  readonly props: readonly (readonly [number, CompactValue])[];
}

export interface CompactEdge {
  readonly id: bigint;
  readonly type: number;
  readonly src: bigint;
  readonly dst: bigint;
  readonly props: readonly (readonly [number, CompactValue])[];
}

export interface CompactReply {
  readonly columns: readonly string[] | null;
  readonly rows: readonly (readonly CompactValue[])[];
  readonly stats: readonly string[];
}

export interface Tables {
  readonly labels: string[];
  readonly relationshipTypes: string[];
  readonly propertyKeys: string[];
}

/** The bytes of a reply and the offsets where its RESP elements start. */
export interface Encoded {
  readonly bytes: Buffer;
  readonly starts: readonly number[];
}

class Writer {
  readonly parts: Buffer[] = [];
  readonly starts: number[] = [];
  #at = 0;
  constructor(readonly protocol: 2 | 3) {}

  #put(text: string | Buffer): void {
    const b = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    this.starts.push(this.#at);
    this.parts.push(b);
    this.#at += b.length;
  }
  array(n: number): void {
    this.#put(`*${n}\r\n`);
  }
  int(n: bigint | number): void {
    this.#put(`:${n}\r\n`);
  }
  bulk(s: string | null): void {
    if (s === null) {
      this.#put(this.protocol === 3 ? '_\r\n' : '$-1\r\n');
      return;
    }
    const body = Buffer.from(s, 'utf8');
    this.#put(Buffer.concat([Buffer.from(`$${body.length}\r\n`), body, Buffer.from('\r\n')]));
  }
  double(text: string, resp3: boolean): void {
    if (resp3 && this.protocol === 3) this.#put(`,${text}\r\n`);
    else this.bulk(text);
  }
  done(): Encoded {
    return { bytes: Buffer.concat(this.parts), starts: this.starts };
  }
}

function writeProps(w: Writer, props: readonly (readonly [number, CompactValue])[]): void {
  w.array(props.length);
  for (const [key, value] of props) {
    w.array(3);
    w.int(key);
    writeTyped(w, value);
  }
}

function writeNode(w: Writer, node: CompactNode): void {
  w.array(3);
  w.int(node.id);
  w.array(node.labels.length);
  for (const label of node.labels) w.int(label);
  writeProps(w, node.props);
}

function writeEdge(w: Writer, edge: CompactEdge): void {
  w.array(5);
  w.int(edge.id);
  w.int(edge.type);
  w.int(edge.src);
  w.int(edge.dst);
  writeProps(w, edge.props);
}

/** `:type value` (the pair's contents without its `*2` header). */
function writeTyped(w: Writer, v: CompactValue): void {
  w.int(v.t);
  switch (v.t) {
    case 1:
      w.bulk(null);
      return;
    case 2:
      w.bulk(v.s);
      return;
    case 3:
    case 13:
    case 14:
    case 15:
    case 16:
      w.int(v.n);
      return;
    case 4:
      w.bulk(v.b ? 'true' : 'false');
      return;
    case 5:
      w.double(v.d, v.resp3);
      return;
    case 6:
      w.array(v.items.length);
      for (const item of v.items) writePair(w, item);
      return;
    case 7:
      writeEdge(w, v.edge);
      return;
    case 8:
      writeNode(w, v.node);
      return;
    case 9:
      w.array(2);
      w.array(2);
      w.int(6);
      w.array(v.nodes.length);
      for (const node of v.nodes) {
        w.array(2);
        w.int(8);
        writeNode(w, node);
      }
      w.array(2);
      w.int(6);
      w.array(v.edges.length);
      for (const edge of v.edges) {
        w.array(2);
        w.int(7);
        writeEdge(w, edge);
      }
      return;
    case 10:
      w.array(v.entries.length * 2);
      for (const [key, value] of v.entries) {
        w.bulk(key);
        writePair(w, value);
      }
      return;
    case 11:
      w.array(2);
      w.double(v.lat, false);
      w.double(v.lon, false);
      return;
    case 12:
      w.array(v.items.length);
      for (const item of v.items) w.double(item, v.resp3);
      return;
  }
}

function writePair(w: Writer, v: CompactValue): void {
  w.array(2);
  writeTyped(w, v);
}

/** The RESP bytes of a compact reply. */
export function encodeReply(reply: CompactReply, protocol: 2 | 3): Encoded {
  const w = new Writer(protocol);
  if (reply.columns === null) {
    w.array(1);
  } else {
    w.array(3);
    w.array(reply.columns.length);
    for (const name of reply.columns) {
      w.array(2);
      w.int(1);
      w.bulk(name);
    }
    w.array(reply.rows.length);
    for (const row of reply.rows) {
      w.array(reply.columns.length);
      for (let c = 0; c < reply.columns.length; c++) writePair(w, row[c] ?? { t: 1 });
    }
  }
  w.array(reply.stats.length);
  for (const line of reply.stats) w.bulk(line);
  return w.done();
}

// --- arbitraries ---

const text = fc.oneof(
  fc.string({ maxLength: 14 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('__proto__', 'toString', 'constructor', '', 'a\r\nb', 'node-12345'),
);
const id = fc.oneof(
  fc.bigInt({ min: 0n, max: 100_000n }),
  fc.constantFrom(2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) - 5n, 2n ** 64n, -0n),
);
const smallId = fc.integer({ min: 0, max: 6 });
const doubleText = fc.oneof(
  fc.double().map((d) => (Number.isFinite(d) ? d.toPrecision(15) : String(d))),
  fc.double().map(String),
  fc.double({ noNaN: true }).map((d) => d.toExponential()),
  fc.constantFrom(
    'inf',
    '-inf',
    'nan',
    '-nan',
    '-0',
    '1e+300',
    '0.1',
    '',
    ' 5',
    '0x1F',
    'Infinity',
    '1.2.3',
    '.5',
  ),
);

/** Random compact values of every type, nested. */
export const compactValue: fc.Arbitrary<CompactValue> = fc.letrec<{
  value: CompactValue;
  node: CompactNode;
  edge: CompactEdge;
  props: (readonly [number, CompactValue])[];
}>((tie) => ({
  props: fc.array(fc.tuple(smallId, tie('value')), { maxLength: 4 }),
  node: fc.record({ id, labels: fc.array(smallId, { maxLength: 3 }), props: tie('props') }),
  edge: fc.record({ id, type: smallId, src: id, dst: id, props: tie('props') }),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant({ t: 1 as const }),
    fc.record({ t: fc.constant(2 as const), s: fc.option(text, { nil: null }) }),
    fc.record({ t: fc.constant(3 as const), n: id }),
    fc.record({ t: fc.constant(4 as const), b: fc.boolean() }),
    fc.record({ t: fc.constant(5 as const), d: doubleText, resp3: fc.boolean() }),
    fc.record({ t: fc.constant(6 as const), items: fc.array(tie('value'), { maxLength: 4 }) }),
    fc.record({ t: fc.constant(7 as const), edge: tie('edge') }),
    fc.record({ t: fc.constant(8 as const), node: tie('node') }),
    fc.record({
      t: fc.constant(9 as const),
      nodes: fc.array(tie('node'), { maxLength: 3 }),
      edges: fc.array(tie('edge'), { maxLength: 2 }),
    }),
    fc.record({
      t: fc.constant(10 as const),
      entries: fc.array(fc.tuple(text, tie('value')), { maxLength: 4 }),
    }),
    fc.record({ t: fc.constant(11 as const), lat: doubleText, lon: doubleText }),
    fc.record({
      t: fc.constant(12 as const),
      items: fc.array(doubleText, { maxLength: 5 }),
      resp3: fc.boolean(),
    }),
    fc.record({
      t: fc.constantFrom(13 as const, 14 as const, 15 as const, 16 as const),
      n: fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
    }),
  ),
})).value;

export const compactReply: fc.Arbitrary<CompactReply> = fc
  .option(fc.array(text, { minLength: 1, maxLength: 4 }), { nil: null, freq: 6 })
  .chain((columns) =>
    fc.record({
      columns: fc.constant(columns),
      rows:
        columns === null
          ? fc.constant([])
          : fc.array(fc.array(compactValue, { minLength: columns.length, maxLength: columns.length }), {
              maxLength: 4,
            }),
      stats: fc.array(
        fc.oneof(
          fc.constantFrom(
            'Nodes created: 2',
            'Cached execution: 1',
            'Query internal execution time: 0.5 milliseconds',
          ),
          text,
        ),
        { maxLength: 3 },
      ),
    }),
  );

/** Name tables of 0–4 entries: ids up to 6 are sometimes past the end (a `missing` bit). */
export const tables: fc.Arbitrary<Tables> = fc.record({
  labels: fc.array(text, { maxLength: 4 }),
  relationshipTypes: fc.array(text, { maxLength: 4 }),
  propertyKeys: fc.array(text, { maxLength: 4 }),
});
