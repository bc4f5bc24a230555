/**
 * The pack smoke test: proves the packages work as npm users get them, not as the workspace sees
 * them. It builds every published package, runs `publint --strict` on each, packs each with
 * `pnpm pack`, installs the tarballs with `npm install` into throwaway ESM, CommonJS and
 * TypeScript projects in a temp dir, and runs one real call in each.
 *
 * Prints one PASS/FAIL line per check and exits non-zero if any failed. Needs no network: the
 * tarballs have no dependencies beyond each other, and TypeScript comes from this workspace.
 *
 *   pnpm check:pack                      (from the repository root)
 *   pnpm --filter @fusedis/pack-smoke run smoke -- --keep --skip-build
 *     --keep        leave the temp dir in place (it is also kept when a check fails)
 *     --skip-build  use the dist/ folders as they are
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startRedis } from '@fusedis/test-harness';
import { type Consumer, consumers } from './consumers.js';
import { cleanNpmEnv, run } from './exec.js';
import { type PublishedPackage, publishedPackages } from './packages.js';

const here = import.meta.dirname;
const packageDir = resolve(here, '..');
const root = resolve(packageDir, '../..');
const argv = new Set(process.argv.slice(2));
const keep = argv.has('--keep');
const skipBuild = argv.has('--skip-build');

let failures = 0;

/** Prints the PASS/FAIL line of one check, with the output that explains a failure. */
function report(ok: boolean, what: string, detail: string): void {
  if (ok) {
    console.log(`PASS ${what}${detail === '' ? '' : `: ${detail}`}`);
  } else {
    failures++;
    console.log(`FAIL ${what}`);
    if (detail !== '') console.log(detail.replace(/^/gm, '     '));
  }
}

function build(packages: readonly PublishedPackage[]): boolean {
  const filters = packages.flatMap((p) => ['--filter', p.name]);
  const result = run('pnpm', [...filters, 'run', 'build'], { cwd: root });
  report(result.ok, `build ${packages.map((p) => p.name).join(', ')}`, result.ok ? '' : result.output);
  return result.ok;
}

function publint(pkg: PublishedPackage): void {
  const bin = join(packageDir, 'node_modules', '.bin', 'publint');
  const result = run(bin, ['--strict', pkg.dir], { cwd: pkg.dir });
  const lastLine = result.output.split('\n').at(-1) ?? '';
  report(result.ok, `publint --strict ${pkg.name}`, result.ok ? lastLine : result.output);
}

/** Packs `pkg` into `dest`; returns the tarball's path, or undefined (reported) on failure. */
function pack(pkg: PublishedPackage, dest: string): string | undefined {
  const before = new Set(readdirSync(dest));
  const result = run('pnpm', ['pack', '--pack-destination', dest], { cwd: pkg.dir });
  const made = readdirSync(dest).filter((f) => f.endsWith('.tgz') && !before.has(f));
  const ok = result.ok && made.length === 1;
  const tarball = made[0];
  report(
    ok,
    `pnpm pack ${pkg.name}`,
    ok ? (tarball ?? '') : `${result.output}\n(tarballs made: ${made.length})`,
  );
  return ok && tarball !== undefined ? join(dest, tarball) : undefined;
}

/** Writes one consumer project, installs the tarballs into it, and runs its steps. */
function runConsumer(consumer: Consumer, base: string, tarballs: readonly string[], serverUrl: string): void {
  const dir = join(base, consumer.folder);
  for (const [file, text] of Object.entries(consumer.files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const install = run('npm', ['install', '--no-audit', '--no-fund', ...tarballs], {
    cwd: dir,
    env: cleanNpmEnv(),
  });
  if (!install.ok) {
    report(false, consumer.name, `npm install: ${install.output}`);
    return;
  }
  for (const step of consumer.steps) {
    const env = step.needsServer === true ? { ...process.env, FUSEDIS_SMOKE_URL: serverUrl } : process.env;
    const result = run(step.command, step.args, { cwd: dir, env, timeoutMs: 120_000 });
    const last = result.output.split('\n').at(-1) ?? '';
    // Each check prints "ok <replies>" last; anything else means it never reached its end.
    if (result.ok && step.build === true) continue;
    if (!result.ok || !last.startsWith('ok ')) {
      report(
        false,
        `${consumer.name}: ${step.label}`,
        result.ok ? `no "ok" line; last: ${last}` : result.output,
      );
      continue;
    }
    report(true, `${consumer.name}: ${step.label}`, last);
  }
}

async function main(): Promise<void> {
  const packages = publishedPackages(root);
  if (packages.length === 0) {
    report(false, 'find published packages', `no package without "private": true under ${root}/packages`);
    return;
  }
  console.log(`pack-smoke: ${packages.map((p) => p.name).join(', ')} on Node ${process.version}`);
  if (!skipBuild && !build(packages)) return;
  for (const pkg of packages) publint(pkg);

  const base = mkdtempSync(join(tmpdir(), 'fusedis-pack-smoke-'));
  const tarballDir = join(base, 'tarballs');
  mkdirSync(tarballDir);
  const tarballs = packages.map((pkg) => pack(pkg, tarballDir));
  if (tarballs.every((t) => t !== undefined)) {
    const require = createRequire(import.meta.url);
    const tools = {
      tsc: join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'),
      typeRoot: resolve(dirname(require.resolve('@types/node/package.json')), '..'),
    };
    // The client checks talk to a real, throwaway server.
    const server = await startRedis();
    try {
      const url = `redis://${server.host}:${server.port}`;
      for (const consumer of consumers(tools)) runConsumer(consumer, base, tarballs as string[], url);
    } finally {
      await server.stop();
    }
  }
  if (keep || failures > 0) console.log(`pack-smoke: consumer projects kept in ${base}`);
  else rmSync(base, { recursive: true, force: true });
}

await main();
console.log(failures === 0 ? 'pack-smoke: all checks passed' : `pack-smoke: ${failures} check(s) FAILED`);
process.exitCode = failures === 0 ? 0 : 1;
