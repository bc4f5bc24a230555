import { type ScoredMember, toDouble } from './replies.js';

/** A `VSIM … WITHSCORES WITHATTRIBS` result: the element, its similarity and its JSON attributes. */
export interface VectorMatch {
  /** The element (a Buffer in buffer mode, RESP2). */
  readonly value: string;
  /** Similarity to the query, 1 (identical) to 0 (opposite). */
  readonly score: number;
  /** The element's attributes as JSON text, or null when it has none. */
  readonly attributes: string | null;
}

/**
 * `VSIM … WITHSCORES` (and a `VLINKS … WITHSCORES` level) as `{ value, score }`, best first. RESP2
 * sends flat pairs; RESP3 a map, which a JS object reorders (integer-like names first): sorting by
 * score gives both protocols the same order.
 */
export function toVectorScores(reply: unknown): ScoredMember[] {
  if (Array.isArray(reply)) {
    const out = new Array<ScoredMember>(reply.length >> 1);
    for (let i = 0, j = 0; i + 1 < reply.length; i += 2, j++) {
      out[j] = { value: reply[i] as string, score: toDouble(reply[i + 1]) as number };
    }
    return byScore(out);
  }
  return byScore(mapEntries(reply).map(([value, score]) => ({ value, score: toDouble(score) as number })));
}

/** `VSIM … WITHSCORES WITHATTRIBS`: flat triples (RESP2) or a map of `[score, attributes]` (RESP3). */
export function toVectorMatches(reply: unknown): VectorMatch[] {
  if (Array.isArray(reply)) {
    const out = new Array<VectorMatch>(Math.floor(reply.length / 3));
    for (let i = 0, j = 0; i + 2 < reply.length; i += 3, j++) {
      out[j] = {
        value: reply[i] as string,
        score: toDouble(reply[i + 1]) as number,
        attributes: (reply[i + 2] ?? null) as string | null,
      };
    }
    return byScore(out);
  }
  return byScore(
    mapEntries(reply).map(([value, pair]) => {
      const [score, attributes] = pair as [unknown, unknown];
      return { value, score: toDouble(score) as number, attributes: (attributes ?? null) as string | null };
    }),
  );
}

/** `VLINKS … WITHSCORES`: per level, flat pairs (RESP2) or a map (RESP3), as `{ value, score }`. */
export function toScoredLevels(reply: unknown): ScoredMember[][] | null {
  if (!Array.isArray(reply)) return null;
  return reply.map((level) => toVectorScores(level));
}

function mapEntries(reply: unknown): [string, unknown][] {
  if (reply instanceof Map) return [...reply].map(([k, v]) => [k as string, v]);
  if (reply === null || typeof reply !== 'object') return [];
  return Object.entries(reply as Record<string, unknown>);
}

/** Best first; `sort` is stable, so equal scores keep the order they came in. */
function byScore<T extends { readonly score: number }>(entries: T[]): T[] {
  return entries.sort((a, b) => b.score - a.score);
}
