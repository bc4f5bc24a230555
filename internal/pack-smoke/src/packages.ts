import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A workspace package that is published to npm. */
export interface PublishedPackage {
  /** The npm name, e.g. `@fusedis/resp`. */
  readonly name: string;
  /** Its folder, absolute. */
  readonly dir: string;
}

interface Manifest {
  name?: unknown;
  private?: unknown;
}

/** Every `packages/<name>/package.json` that is not `private`, sorted by folder name. */
export function publishedPackages(root: string): PublishedPackage[] {
  const folder = join(root, 'packages');
  const found: PublishedPackage[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const manifestPath = join(folder, entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.private === true) continue;
    if (typeof manifest.name !== 'string') throw new Error(`${manifestPath} has no name`);
    found.push({ name: manifest.name, dir: join(folder, entry.name) });
  }
  return found.sort((a, b) => a.dir.localeCompare(b.dir));
}
