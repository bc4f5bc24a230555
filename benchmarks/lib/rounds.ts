/**
 * The peer order of one round: `peers` rotated by `round`, so that over the rounds no peer always
 * runs first in its case or right after the same neighbour, and a slow minute on the machine
 * touches every peer instead of one.
 */
export function rotate<T>(peers: readonly T[], round: number): T[] {
  return peers.map((_, i) => peers[(i + round) % peers.length] as T);
}
