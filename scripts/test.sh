#!/usr/bin/env bash
# The whole test suite, from a fresh clone: set-up, lint, typecheck, build, unit and integration
# tests against real servers, and the pack smoke test. Ends with one line: "tests: N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

step() { printf '\n\033[1m[test]\033[0m %s\n' "$*"; }
results=.cache/test-results
rm -rf "$results" && mkdir -p "$results"
# Where the test harness reports a project's server that died before the project's teardown.
export FUSEDIS_SERVER_EXITS="$PWD/$results/server-exits.txt"
failed=0

step "lint and format check (biome ci)"
pnpm exec biome ci . || failed=1

if command -v cargo >/dev/null 2>&1; then
  step "rust checks for the native decoder (cargo fmt --check, cargo clippy -D warnings, cargo test)"
  (cd packages/native-codec && cargo fmt --check && cargo clippy --all-targets --quiet -- -D warnings &&
    cargo test --quiet) || failed=1
fi

step "typecheck (turbo run typecheck)"
pnpm exec turbo run typecheck --output-logs=errors-only || failed=1

step "build (turbo run build)"
pnpm exec turbo run build --output-logs=errors-only || failed=1
# The napi-generated loader and types are committed: a build must not change them.
if command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; then
  git diff --exit-code --stat -- packages/native-codec/binding.cjs packages/native-codec/binding.d.ts || {
    printf '\033[1m[test]\033[0m binding.cjs/binding.d.ts differ from what napi build generates: commit them\n'
    failed=1
  }
fi

step "unit and integration tests (vitest, decoder: js)"
FUSEDIS_DECODER=js pnpm exec vitest run --reporter=default --reporter=json \
  --outputFile.json="$results/vitest-js.json" || failed=1

# The integration suites again, every client built with the native decoder. Without an addon
# (no Rust on this machine: setup.sh said so) the run is skipped, and this step says so.
if ls packages/native-codec/native-codec.*.node >/dev/null 2>&1; then
  step "integration tests again (vitest, decoder: native)"
  FUSEDIS_DECODER=native pnpm exec vitest run --project '*:integration' --reporter=default --reporter=json \
    --outputFile.json="$results/vitest-native.json" || failed=1
else
  step "integration tests with the native decoder: SKIPPED (no native addon was built: install Rust, rerun)"
fi

step "pack smoke test (built, packed packages in ESM, CommonJS and TypeScript consumers; publint)"
pnpm check:pack || failed=1

step "summary"
pnpm exec tsx scripts/summarize-tests.ts "$results" || failed=1
if [ "$failed" -ne 0 ]; then
  printf '\033[1m[test]\033[0m FAILED (see the steps above)\n'
  exit 1
fi
printf '\033[1m[test]\033[0m all steps passed\n'
