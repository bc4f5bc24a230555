/**
 * The files a run leaves in benchmarks/results/: raw samples as JSON (ignored by git) and, for a
 * full run or `--render`, the committed markdown and SVG.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_DIR, REPO_DIR } from './paths.js';

export const RESULTS_DIR = join(PACKAGE_DIR, 'results');

/** `raw-<bench>.json` for a full run, else `raw-<bench>-partial.json`, so a smoke run never replaces it. */
export function rawResultsName(bench: string, full: boolean): string {
  return full ? `raw-${bench}.json` : `raw-${bench}-partial.json`;
}

/** Writes `results/<name>` (creating the folder); returns that path, relative to the package. */
export function writeResult(name: string, text: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, name), text);
  return `results/${name}`;
}

/** `meta` with `fusedis` naming its entry point relative to the repository, not this machine's path. */
export function repoRelative<M extends { readonly fusedis: string }>(meta: M): M {
  return { ...meta, fusedis: meta.fusedis.replace(`${pathToFileURL(REPO_DIR).href}/`, '') };
}

/** Where a run was measured, in one line under a chart's title. */
export function chartSubtitle(meta: {
  readonly node: string;
  readonly cpu: string;
  readonly pinned: string;
  readonly rounds: number;
  readonly date: string;
}): string {
  return `node ${meta.node}, ${meta.cpu}, ${meta.pinned}, ${meta.rounds} rounds, ${meta.date.slice(0, 10)}`;
}
