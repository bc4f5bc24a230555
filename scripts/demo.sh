#!/usr/bin/env bash
# The demo: sets up what is missing, then runs scripts/demo.ts against a throwaway redis-server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
printf '\033[1m[demo]\033[0m running scripts/demo.ts\n'
pnpm demo
