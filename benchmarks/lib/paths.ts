/** Where the benchmarks live on disk, so every runner resolves children, builds and results alike. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The benchmarks package (`benchmarks/`): children run with it as their working directory. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root: `pnpm` builds and `git` run from here. */
export const REPO_DIR = join(PACKAGE_DIR, '..');
/** `benchmarks/.cache/`: bundled children and CPU profiles, ignored by git. */
export const CACHE_DIR = join(PACKAGE_DIR, '.cache');
