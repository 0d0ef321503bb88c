#!/usr/bin/env bash
# Installs what the integration tests need to run the extension in a real VS Code workbench:
#   - Debian packages: chromium (the browser that shows the workbench), ripgrep (seeds
#     @vscode/ripgrep's download cache), libkrb5-dev (headers for code-server's `kerberos`
#     native module), neovim (a second, independent LSP client);
#   - this folder's npm packages (code-server 4.100.3 = VS Code 1.100.3, playwright-core,
#     @vscode/test-electron, mocha), offline-safe: nothing is downloaded except from the npm
#     registry and Debian's archive.
# Idempotent: a second run only checks and returns in about a second.
# Usage: bash test-env/install.sh   (FORCE=1 reinstalls the npm packages; DATAFLOW_TEST_ENV_CACHE=none
# installs them in test-env/node_modules instead of the per-machine cache, see below)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
START=$(date +%s)
log() { printf '[test-env] %s\n' "$*"; }
die() { printf '[test-env] ERROR: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "node is not on PATH"
command -v npm >/dev/null || die "npm is not on PATH"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" = 20 ] || die "code-server 4.100.3 needs Node 20, this is $(node -v)"

# ---------------------------------------------------------------- Debian packages
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || need+=(libkrb5-dev)
command -v nvim >/dev/null || need+=(neovim)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "apt-get update"
  $SUDO apt-get update -q >/dev/null
  log "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    "${need[@]}" fonts-liberation >/dev/null
else
  log "Debian packages present: chromium ripgrep libkrb5-dev neovim"
fi
log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: version unknown')"

# ---------------------------------------------------------------- npm packages
# The packages are installed once per machine and lockfile into a cache folder, and
# test-env/node_modules is a symlink to it: CI's fresh clone on the same machine then needs no
# second `npm ci` (about 2 minutes, mostly VS Code's native modules). DATAFLOW_TEST_ENV_CACHE=none
# installs in place instead; FORCE=1 reinstalls.
STAMP="$(cat "$HERE/package-lock.json" "$HERE/package.json" | sha256sum | cut -c1-16)-node$(node -v)"
CACHE_ROOT="${DATAFLOW_TEST_ENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dataflow-performance}"
if [ "$CACHE_ROOT" = none ]; then
  PREFIX="$HERE"
else
  PREFIX="$CACHE_ROOT/test-env-$STAMP"
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/.install.lock"
  flock 9 # one install at a time per machine (two clones may run this together)
fi
NM="$PREFIX/node_modules"
CS="$NM/code-server"
intact() {
  [ -f "$NM/.install-stamp" ] && [ "$(cat "$NM/.install-stamp")" = "$STAMP" ] &&
    [ -f "$CS/out/node/entry.js" ] &&
    [ -x "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] &&
    [ -d "$CS/lib/vscode/extensions/node_modules" ] &&
    [ -f "$NM/playwright-core/package.json" ] &&
    [ -f "$NM/@vscode/test-electron/package.json" ] &&
    [ -f "$NM/mocha/package.json" ]
}
if [ "${FORCE:-0}" != 1 ] && intact; then
  log "npm packages up to date in $NM"
else
  # @vscode/ripgrep@1.15.11 (a dependency of code-server's VS Code) downloads rg from GitHub in
  # its postinstall unless $TMPDIR/vscode-ripgrep-cache-1.15.11/<asset> exists; it then runs
  # `tar xvf <asset> -C bin/` and expects bin/rg. So the asset is a gzip tarball with `rg` at its
  # root: Debian's rg (13.0.0, the same version the asset name carries) satisfies it.
  TMP_ROOT="$(node -p 'require("os").tmpdir()')"
  RG_CACHE="$TMP_ROOT/vscode-ripgrep-cache-1.15.11"
  RG_ASSET="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  [ "$(uname -m)" = x86_64 ] || die "the ripgrep cache seeding assumes x86_64, this is $(uname -m)"
  if ! tar tzf "$RG_ASSET" 2>/dev/null | grep -qx 'rg'; then
    log "seeding ripgrep cache $RG_ASSET from $(command -v rg)"
    stage="$(mktemp -d)"
    cp "$(command -v rg)" "$stage/rg"
    chmod 755 "$stage/rg"
    mkdir -p "$RG_CACHE"
    tar czf "$RG_ASSET.tmp" -C "$stage" rg
    mv "$RG_ASSET.tmp" "$RG_ASSET"
    rm -rf "$stage"
  else
    log "ripgrep cache already seeded: $RG_ASSET"
  fi

  # unsafe_perm: code-server's postinstall refuses to run as root without it.
  # yes: a dependency's install runs `npx node-gyp`, which must not prompt (CI has no stdin).
  # nodedir: build native modules against the installed Node headers instead of downloading them.
  NODEDIR="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  export npm_config_unsafe_perm=true npm_config_yes=true
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$NODEDIR/include/node/node.h" ]; then
    export npm_config_nodedir="$NODEDIR"
  fi
  export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  export npm_config_progress=false
  # node-gyp: compile with all cores (JOBS is read by node-gyp; npm_config_jobs by npm-run node-gyp).
  export JOBS="${JOBS:-max}" npm_config_jobs="${npm_config_jobs:-max}"
  if [ "$PREFIX" != "$HERE" ]; then
    rm -rf "$PREFIX"
    mkdir -p "$PREFIX"
    cp "$HERE/package.json" "$HERE/package-lock.json" "$PREFIX/"
  elif [ -L "$HERE/node_modules" ]; then
    rm -f "$HERE/node_modules"
  fi
  log "npm ci in $PREFIX (code-server builds VS Code's native modules; takes about 2 minutes)"
  NPM_LOG="$(mktemp)"
  if ! (cd "$PREFIX" && npm ci --no-audit --no-fund --foreground-scripts >"$NPM_LOG" 2>&1); then
    tail -n 60 "$NPM_LOG" >&2
    die "npm ci failed (full log: $NPM_LOG)"
  fi
  rm -f "$NPM_LOG"
  [ -x "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] || die "code-server installed without its ripgrep binary"
  [ -d "$CS/lib/vscode/extensions/node_modules" ] || die "code-server installed without its built-in extensions' modules"
  echo "$STAMP" >"$NM/.install-stamp"
  if [ "$PREFIX" != "$HERE" ]; then
    # keep the 3 most recent installs, drop older ones
    ls -1dt "$CACHE_ROOT"/test-env-* 2>/dev/null | tail -n +4 | xargs -r rm -rf
  fi
fi
if [ "$PREFIX" != "$HERE" ] && [ "$(readlink "$HERE/node_modules" 2>/dev/null)" != "$NM" ]; then
  rm -rf "$HERE/node_modules"
  ln -s "$NM" "$HERE/node_modules"
  log "linked test-env/node_modules -> $NM"
fi
[ -f "$HERE/node_modules/code-server/out/node/entry.js" ] || die "test-env/node_modules is not usable"

log "done in $(( $(date +%s) - START ))s"
