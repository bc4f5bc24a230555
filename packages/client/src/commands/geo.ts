import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { notOneOf, requireFields } from './argument-shapes.js';
import { type ArgList, KEYS_AT_1_2, readKey, singleKey, withArgList } from './arguments.js';
import { toDouble } from './replies.js';

/** A distance unit: metres, kilometres, feet, miles. */
export type GeoUnit = 'm' | 'km' | 'ft' | 'mi';

/** A position, in degrees. */
export interface GeoCoordinates {
  readonly longitude: number;
  readonly latitude: number;
}

/** One member to add with GEOADD. */
export interface GeoMember extends GeoCoordinates {
  readonly member: CommandArg;
}

/** GEOADD options. */
export interface GeoAddOptions {
  /** Only add new members, never update existing ones. @default false */
  readonly NX?: boolean;
  /** Only update existing members, never add new ones. @default false */
  readonly XX?: boolean;
  /** Count changed members too, not only added ones. @default false */
  readonly CH?: boolean;
}

/** Where a GEOSEARCH starts: an existing member (`FROMMEMBER`), or a position (`FROMLONLAT`). */
export type GeoSearchFrom = CommandArg | GeoCoordinates;

/** The GEOSEARCH area: a circle (`radius`) or a box (`width` × `height`), in `unit`. */
export type GeoSearchBy =
  | { readonly radius: number; readonly unit: GeoUnit }
  | { readonly width: number; readonly height: number; readonly unit: GeoUnit };

/** GEOSEARCH / GEORADIUS_RO options. */
export interface GeoSearchOptions {
  /** Sort by distance from the centre. @default unsorted */
  readonly SORT?: 'ASC' | 'DESC';
  /** At most this many results. @default all */
  readonly COUNT?: number;
  /** With `COUNT`: stop at the first `COUNT` matches found, not the nearest ones. @default false */
  readonly ANY?: boolean;
}

/** GEOSEARCHSTORE options. */
export interface GeoSearchStoreOptions extends GeoSearchOptions {
  /** Store distances as scores instead of geohashes. @default false */
  readonly STOREDIST?: boolean;
}

/** One GEOSEARCH hit with everything Redis can tell about it (`geosearchWith`). */
export interface GeoSearchHit extends GeoCoordinates {
  readonly member: string;
  /** Distance from the search centre, in the search's unit. */
  readonly distance: number;
  /** The raw 52-bit geohash score. */
  readonly hash: number;
}

function isCoordinates(from: GeoSearchFrom): from is GeoCoordinates {
  return typeof from === 'object' && !ArrayBuffer.isView(from);
}

function pushSearch(
  args: CommandArg[],
  from: GeoSearchFrom,
  by: GeoSearchBy,
  options: GeoSearchOptions | undefined,
): CommandArg[] {
  const name = args[0] as string;
  if (isCoordinates(from)) {
    requireFields(`${name}: from (a member, or coordinates)`, from, ['longitude', 'latitude']);
    args.push('FROMLONLAT', from.longitude, from.latitude);
  } else args.push('FROMMEMBER', from);
  if (typeof by !== 'object' || by === null || !('radius' in by || 'width' in by))
    throw notOneOf(`${name}: by`, ['{ radius, unit }', '{ width, height, unit }'], by);
  if ('radius' in by) {
    requireFields(`${name}: by (a radius)`, by, ['radius', 'unit']);
    args.push('BYRADIUS', by.radius, by.unit);
  } else {
    requireFields(`${name}: by (a box)`, by, ['width', 'height', 'unit']);
    args.push('BYBOX', by.width, by.height, by.unit);
  }
  return pushSearchTail(args, options);
}

function pushSearchTail(args: CommandArg[], options: GeoSearchOptions | undefined): CommandArg[] {
  if (options === undefined) return args;
  if (options.SORT !== undefined) args.push(options.SORT);
  if (options.COUNT !== undefined) {
    args.push('COUNT', options.COUNT);
    if (options.ANY === true) args.push('ANY');
  }
  return args;
}

type SearchArgs = [key: CommandArg, from: GeoSearchFrom, by: GeoSearchBy, options?: GeoSearchOptions];

/** GEOPOS items: `[lon, lat]` (strings on RESP2, doubles on RESP3) or nil. */
function toPositions(reply: unknown): (GeoCoordinates | null)[] {
  return (reply as (unknown[] | null)[]).map((pos) =>
    pos === null ? null : { longitude: toDouble(pos[0]) ?? 0, latitude: toDouble(pos[1]) ?? 0 },
  );
}

/** `[member, dist, hash, [lon, lat]]` per hit (WITHDIST WITHHASH WITHCOORD, always in that order). */
function toHits(reply: unknown): GeoSearchHit[] {
  return (reply as [string, unknown, number, unknown[]][]).map(([member, dist, hash, coord]) => ({
    member,
    distance: toDouble(dist) ?? 0,
    hash: Number(hash),
    longitude: toDouble(coord[0]) ?? 0,
    latitude: toDouble(coord[1]) ?? 0,
  }));
}

/** Geospatial indexes: https://redis.io/docs/latest/commands/?group=geo */
export const geoCommands = {
  /** GEOADD key [NX|XX] [CH] lon lat member … → how many members were added (or changed, with `CH`). */
  geoadd: defineCommand<
    [key: CommandArg, members: GeoMember | readonly GeoMember[], options?: GeoAddOptions],
    number
  >({
    build: (key, members, options) => {
      const args: CommandArg[] = ['GEOADD', key];
      if (options?.NX === true) args.push('NX');
      if (options?.XX === true) args.push('XX');
      if (options?.CH === true) args.push('CH');
      for (const m of Array.isArray(members) ? (members as readonly GeoMember[]) : [members as GeoMember]) {
        requireFields('geoadd: a member', m, ['longitude', 'latitude', 'member']);
        args.push(m.longitude, m.latitude, m.member);
      }
      return singleKey(args);
    },
  }),
  /** GEODIST key m1 m2 [unit] → the distance (in `unit`, metres by default), or null if a member is missing. */
  geodist: defineCommand<
    [key: CommandArg, member1: CommandArg, member2: CommandArg, unit?: GeoUnit],
    number | null
  >({
    build: (key, member1, member2, unit) =>
      readKey(
        unit === undefined ? ['GEODIST', key, member1, member2] : ['GEODIST', key, member1, member2, unit],
      ),
    transform: (reply) => toDouble(reply),
  }),
  /** GEOHASH key member … → each member's 11-character geohash, or null when missing. */
  geohash: defineCommand<[key: CommandArg, ...members: ArgList], (string | null)[]>({
    build: (key, ...members) => readKey(withArgList(['GEOHASH', key], members)),
  }),
  /** GEOPOS key member … → each member's `{ longitude, latitude }`, or null when missing. */
  geopos: defineCommand<[key: CommandArg, ...members: ArgList], (GeoCoordinates | null)[]>({
    build: (key, ...members) => readKey(withArgList(['GEOPOS', key], members)),
    transform: toPositions,
  }),
  /**
   * GEOSEARCH key FROMMEMBER m|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [ASC|DESC]
   * [COUNT n [ANY]] → the matching members. `from` is a member name or `{ longitude, latitude }`.
   */
  geosearch: defineCommand<SearchArgs, string[]>({
    build: (key, from, by, options) => readKey(pushSearch(['GEOSEARCH', key], from, by, options)),
  }),
  /**
   * GEOSEARCH … WITHDIST WITHHASH WITHCOORD → `{ member, distance, hash, longitude, latitude }[]`.
   * All three are always asked for: one fixed shape, at the cost of a few bytes per hit.
   */
  geosearchWith: defineCommand<SearchArgs, GeoSearchHit[]>({
    build: (key, from, by, options) => {
      const args = pushSearch(['GEOSEARCH', key], from, by, options);
      args.push('WITHDIST', 'WITHHASH', 'WITHCOORD');
      return readKey(args);
    },
    transform: toHits,
  }),
  /** GEOSEARCHSTORE destination source … [STOREDIST] → how many members were stored. */
  geosearchstore: defineCommand<
    [
      destination: CommandArg,
      source: CommandArg,
      from: GeoSearchFrom,
      by: GeoSearchBy,
      options?: GeoSearchStoreOptions,
    ],
    number
  >({
    build: (destination, source, from, by, options) => {
      const args = pushSearch(['GEOSEARCHSTORE', destination, source], from, by, options);
      if (options?.STOREDIST === true) args.push('STOREDIST');
      return { args, keyIndexes: KEYS_AT_1_2 };
    },
  }),
  /** GEORADIUS_RO key lon lat radius unit [COUNT n [ANY]] [ASC|DESC] → members (deprecated: use `geosearch`). */
  georadiusRo: defineCommand<
    [key: CommandArg, center: GeoCoordinates, radius: number, unit: GeoUnit, options?: GeoSearchOptions],
    string[]
  >({
    build: (key, center, radius, unit, options) => {
      requireFields('georadiusRo: the center', center, ['longitude', 'latitude']);
      return readKey(
        pushSearchTail(['GEORADIUS_RO', key, center.longitude, center.latitude, radius, unit], options),
      );
    },
  }),
  /** GEORADIUSBYMEMBER_RO key member radius unit [COUNT n [ANY]] [ASC|DESC] → members (deprecated). */
  georadiusbymemberRo: defineCommand<
    [key: CommandArg, member: CommandArg, radius: number, unit: GeoUnit, options?: GeoSearchOptions],
    string[]
  >({
    build: (key, member, radius, unit, options) =>
      readKey(pushSearchTail(['GEORADIUSBYMEMBER_RO', key, member, radius, unit], options)),
  }),
};
