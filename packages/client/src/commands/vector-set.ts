import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { readKey, singleKey } from './arguments.js';
import { type ScoredMember, toBoolean, toDoubles, toRecord } from './replies.js';
import {
  attributesText,
  type VAddOptions,
  type VectorInput,
  type VectorQuery,
  type VSimOptions,
  vaddArgs,
  vsimArgs,
} from './vector-set-args.js';
import { toScoredLevels, toVectorMatches, toVectorScores, type VectorMatch } from './vector-set-replies.js';

/**
 * Vector sets (Redis 8): https://redis.io/docs/latest/develop/data-types/vector-sets/. Elements are
 * strings, each with a vector and optional JSON attributes; `vsim` finds the nearest ones.
 */
export const vectorSetCommands = {
  /** VADD key … vector element [options] → true when the element is new, false when it was updated. */
  vadd: defineCommand<
    [key: CommandArg, vector: VectorInput, element: CommandArg, options?: VAddOptions],
    boolean
  >({
    build: (key, vector, element, options) => singleKey(vaddArgs(key, vector, element, options)),
    transform: toBoolean,
  }),
  /** VREM key element → true when it was removed. */
  vrem: defineCommand<[key: CommandArg, element: CommandArg], boolean>({
    build: (key, element) => singleKey(['VREM', key, element]),
    transform: toBoolean,
  }),
  /** VCARD key → how many elements (0 for a missing key). */
  vcard: defineCommand<[key: CommandArg], number>({
    build: (key) => readKey(['VCARD', key]),
  }),
  /** VDIM key → the vectors' dimension (after REDUCE). A missing key is a `ReplyError`. */
  vdim: defineCommand<[key: CommandArg], number>({
    build: (key) => readKey(['VDIM', key]),
  }),
  /** VEMB key element → the element's vector as stored (quantized), or null. */
  vemb: defineCommand<[key: CommandArg, element: CommandArg], number[] | null>({
    build: (key, element) => readKey(['VEMB', key, element]),
    transform: (reply) => (Array.isArray(reply) ? (toDoubles(reply) as number[]) : null),
  }),
  /** VGETATTR key element → the element's attributes as JSON text, or null. */
  vgetattr: defineCommand<[key: CommandArg, element: CommandArg], string | null>({
    build: (key, element) => readKey(['VGETATTR', key, element]),
  }),
  /** VSETATTR key element attributes → true when set; `''` removes them. Objects are `JSON.stringify`d. */
  vsetattr: defineCommand<
    [key: CommandArg, element: CommandArg, attributes: string | Readonly<Record<string, unknown>>],
    boolean
  >({
    build: (key, element, attributes) => singleKey(['VSETATTR', key, element, attributesText(attributes)]),
    transform: toBoolean,
  }),
  /** VINFO key → the set's settings and sizes by the server's names (`quant-type`, `vector-dim`…), or null. */
  vinfo: defineCommand<[key: CommandArg], Record<string, string | number> | null>({
    build: (key) => readKey(['VINFO', key]),
    transform: (reply) => (reply === null ? null : toRecord<string | number>(reply)),
  }),
  /** VISMEMBER key element → whether the element is in the set (Redis 8.2). */
  vismember: defineCommand<[key: CommandArg, element: CommandArg], boolean>({
    build: (key, element) => readKey(['VISMEMBER', key, element]),
    transform: toBoolean,
  }),
  /** VLINKS key element → the element's neighbours, one list per graph level (top first; the last is level 0), or null. */
  vlinks: defineCommand<[key: CommandArg, element: CommandArg], string[][] | null>({
    build: (key, element) => readKey(['VLINKS', key, element]),
  }),
  /** VLINKS key element WITHSCORES → the neighbours with their similarity, per level (best first), or null. */
  vlinksWithScores: defineCommand<[key: CommandArg, element: CommandArg], ScoredMember[][] | null>({
    build: (key, element) => readKey(['VLINKS', key, element, 'WITHSCORES']),
    transform: toScoredLevels,
  }),
  /** VRANDMEMBER key → one random element, or null for a missing key. */
  vrandmember: defineCommand<[key: CommandArg], string | null>({
    build: (key) => readKey(['VRANDMEMBER', key]),
  }),
  /** VRANDMEMBER key count → up to `count` distinct elements (negative: `-count`, repeats allowed). */
  vrandmemberCount: defineCommand<[key: CommandArg, count: number], string[]>({
    build: (key, count) => readKey(['VRANDMEMBER', key, count]),
  }),
  /** VSIM key query [options] → the most similar elements, best first. */
  vsim: defineCommand<[key: CommandArg, query: VectorQuery, options?: VSimOptions], string[]>({
    build: (key, query, options) => readKey(vsimArgs(key, query, false, false, options)),
  }),
  /** VSIM … WITHSCORES → `{ value, score }`, best first. */
  vsimWithScores: defineCommand<[key: CommandArg, query: VectorQuery, options?: VSimOptions], ScoredMember[]>(
    {
      build: (key, query, options) => readKey(vsimArgs(key, query, true, false, options)),
      transform: toVectorScores,
    },
  ),
  /** VSIM … WITHSCORES WITHATTRIBS → `{ value, score, attributes }`, best first. */
  vsimWithAttributes: defineCommand<
    [key: CommandArg, query: VectorQuery, options?: VSimOptions],
    VectorMatch[]
  >({
    build: (key, query, options) => readKey(vsimArgs(key, query, true, true, options)),
    transform: toVectorMatches,
  }),
};
