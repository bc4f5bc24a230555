/**
 * The oracle's reply tree: what the first pass reads from the wire and what the test writer
 * writes to it. Leaves keep their wire text or bytes, so the second pass (tree → JS values)
 * decides everything about JS shapes, and a tree read back from written bytes compares equal
 * to the tree that was written.
 */
export type RespNode =
  | { readonly type: 'simple-string'; readonly bytes: Buffer }
  | { readonly type: 'simple-error'; readonly bytes: Buffer }
  | { readonly type: 'integer'; readonly text: string }
  | { readonly type: 'bulk-string'; readonly bytes: Buffer }
  | { readonly type: 'null'; readonly wire: NullWire }
  | { readonly type: 'double'; readonly text: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'big-number'; readonly text: string }
  | { readonly type: 'bulk-error'; readonly bytes: Buffer }
  /** `format` is the three bytes before the `:`; `bytes` the content after it. */
  | { readonly type: 'verbatim'; readonly format: Buffer; readonly bytes: Buffer }
  | { readonly type: 'array' | 'set' | 'push'; readonly items: readonly RespNode[] }
  | { readonly type: 'map'; readonly entries: readonly RespEntry[] }
  /** An attribute map and the value it annotates (on the wire: `|n`, the entries, then the value). */
  | { readonly type: 'attribute'; readonly entries: readonly RespEntry[]; readonly value: RespNode };

/** One key/value pair of a map or attribute. */
export type RespEntry = readonly [key: RespNode, value: RespNode];

/** The three ways a null is written: RESP2 null bulk `$-1`, RESP2 null array `*-1`, RESP3 `_`. */
export type NullWire = '$-1' | '*-1' | '_';

/** The node types of aggregates (they hold other nodes). */
export const AGGREGATE_TYPES: ReadonlySet<RespNode['type']> = new Set([
  'array',
  'set',
  'push',
  'map',
  'attribute',
]);
