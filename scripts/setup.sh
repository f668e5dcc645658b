# Installs what the playground's build and tests need, skipping whatever is already there.
# Sourced by scripts/serve and scripts/test; safe to run again and again.
#   setup_build: the wasm32 target, wasm-bindgen-cli (the version Cargo.lock pins), Trunk, and
#                the npm packages from package-lock.json (CodeMirror and esbuild, which bundles it in
#                Trunk's pre_build hook; wasm-opt from binaryen@132; playwright-core).
#   setup_browser: Debian's chromium and chromium-driver for the browser tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      rustup component add "$component"
    fi
  done
  local want; want="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    say "installing wasm-bindgen-cli $want (about 3 minutes, once)"
    # Not --locked: the CLI's own lockfile names a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 9 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
  if ! cmp -s "$ROOT/package-lock.json" "$ROOT/node_modules/.package-lock.json.src" 2>/dev/null; then
    say "installing the npm packages from package-lock.json"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
    cp "$ROOT/package-lock.json" "$ROOT/node_modules/.package-lock.json.src"
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # A Chinese font, so the screenshots of the page in Simplified Chinese show glyphs, not boxes.
  if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    say "installing a Chinese font (fonts-wqy-microhei) for the zh screenshots"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq fonts-wqy-microhei >/dev/null ||
      { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq fonts-wqy-microhei >/dev/null; }
  fi
}
