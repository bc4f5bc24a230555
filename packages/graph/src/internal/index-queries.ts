import { InvalidArgumentError } from '@fusedis/resp';
import { cypherIdentifier, cypherLiteral, type GraphParamValue } from '../params.js';

/** What `Graph#createIndex` / `Graph#dropIndex` build the Cypher for. */
export interface IndexSpec {
  /**
   * Range (exact match and ranges), full-text (`db.idx.fulltext.queryNodes`) or vector
   * (`db.idx.vector.queryNodes`, needs `options.dimension` and `options.similarityFunction`).
   * @default 'range'
   */
  readonly kind?: 'range' | 'fulltext' | 'vector';
  /**
   * Index nodes of a label, or relationships of a type.
   * @default 'node'
   */
  readonly entity?: 'node' | 'relationship';
  /** The label (nodes) or relationship type. */
  readonly label: string;
  /** The indexed properties (a vector index takes exactly one). */
  readonly properties: readonly string[];
  /**
   * `OPTIONS {…}` of the index, e.g. `{ dimension: 3, similarityFunction: 'euclidean' }` for vectors,
   * `{ language: 'english', stopwords: ['a'] }` for full-text. Only on create.
   */
  readonly options?: { readonly [key: string]: GraphParamValue };
}

const KIND_WORD = { range: '', fulltext: 'FULLTEXT ', vector: 'VECTOR ' } as const;

/** `CREATE [FULLTEXT |VECTOR ]INDEX FOR (e:L) ON (e.p, …) [OPTIONS {…}]`. */
export function createIndexQuery(spec: IndexSpec): string {
  let query = `CREATE ${indexTarget(spec)}`;
  if (spec.options !== undefined && Object.keys(spec.options).length > 0) {
    query += ` OPTIONS ${cypherLiteral(spec.options, 0)}`;
  }
  return query;
}

/** `DROP [FULLTEXT |VECTOR ]INDEX FOR (e:L) ON (e.p, …)`. */
export function dropIndexQuery(spec: IndexSpec): string {
  return `DROP ${indexTarget(spec)}`;
}

function indexTarget(spec: IndexSpec): string {
  if (spec.properties.length === 0) throw new InvalidArgumentError('an index needs at least one property');
  const kind = spec.kind ?? 'range';
  const word = KIND_WORD[kind];
  if (word === undefined) throw new InvalidArgumentError(`unknown index kind ${String(kind)}`);
  const label = cypherIdentifier(spec.label);
  const pattern = (spec.entity ?? 'node') === 'node' ? `(e:${label})` : `()-[e:${label}]->()`;
  const props = spec.properties.map((p) => `e.${cypherIdentifier(p)}`).join(', ');
  return `${word}INDEX FOR ${pattern} ON (${props})`;
}
