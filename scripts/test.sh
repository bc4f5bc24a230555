#!/usr/bin/env bash
# The whole test suite, from a fresh clone: set-up, lint, typecheck, build, unit and integration
# tests against real servers, and the pack smoke test. Ends with one line: "tests: N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

step() { printf '\n\033[1m[test]\033[0m %s\n' "$*"; }
results=.cache/test-results
rm -rf "$results" && mkdir -p "$results"
failed=0

step "lint and format check (biome ci)"
pnpm exec biome ci . || failed=1

step "typecheck (turbo run typecheck)"
pnpm exec turbo run typecheck --output-logs=errors-only || failed=1

step "build (turbo run build)"
pnpm exec turbo run build --output-logs=errors-only || failed=1

step "unit and integration tests (vitest, decoder: js)"
FUSEDIS_DECODER=js pnpm exec vitest run --reporter=default --reporter=json \
  --outputFile.json="$results/vitest-js.json" || failed=1

step "pack smoke test (built, packed packages in ESM, CommonJS and TypeScript consumers; publint)"
pnpm check:pack || failed=1

step "summary"
pnpm exec tsx scripts/summarize-tests.ts "$results" || failed=1
if [ "$failed" -ne 0 ]; then
  printf '\033[1m[test]\033[0m FAILED (see the steps above)\n'
  exit 1
fi
printf '\033[1m[test]\033[0m all steps passed\n'
