import type { Command, CommandArg } from '@fusedis/resp';

/** `keyIndexes` for the common single-key command (`GET key`): one shared frozen array. */
export const KEY_AT_1: readonly number[] = Object.freeze([1]);

/** `keyIndexes` for two keys right after the name (`RENAME src dst`, `LMOVE src dst …`). */
export const KEYS_AT_1_2: readonly number[] = Object.freeze([1, 2]);

/** Positions `start, start+step, …` for `count` keys (`DEL k1 k2 …`, `MSET k1 v1 k2 v2 …`). */
export function keyPositions(start: number, count: number, step = 1): readonly number[] {
  const positions = new Array<number>(count);
  for (let i = 0; i < count; i++) positions[i] = start + i * step;
  return positions;
}

/** A command whose only key is its first argument: the hot, allocation-light path. */
export function singleKey(args: readonly CommandArg[]): Command {
  return { args, keyIndexes: KEY_AT_1 };
}

/** A read-only command whose only key is its first argument (routers may send it to a replica). */
export function singleKeyRead(args: readonly CommandArg[]): Command {
  return { args, keyIndexes: KEY_AT_1, readOnly: true };
}
