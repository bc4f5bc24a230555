// Builds the addon (release profile) with napi-rs: `native-codec.<triple>.node`, plus the
// generated loader `binding.cjs` and `binding.d.ts`. Without a Rust toolchain it says so and
// succeeds, so `turbo build` still builds the TypeScript on such a machine (the native decoder is
// then unavailable and the loader says what to do); FUSEDIS_REQUIRE_NATIVE=1 makes that an error.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cargo = spawnSync('cargo', ['--version'], { encoding: 'utf8' });
if (cargo.status !== 0) {
  const message =
    '[native-codec] cargo not found: the native addon was not built (install Rust from https://rustup.rs)';
  if (process.env.FUSEDIS_REQUIRE_NATIVE === '1') {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}
const args = [
  'exec',
  'napi',
  'build',
  '--platform',
  '--release',
  '--js',
  'binding.cjs',
  '--dts',
  'binding.d.ts',
];
const started = Date.now();
const build = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
console.log(
  `[native-codec] built the addon with ${cargo.stdout.trim()} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
