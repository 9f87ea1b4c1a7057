#!/usr/bin/env bash
# Installs everything kaniko-ts's build and tests need on a bare Debian 12 machine:
# the Debian tools the test rig drives, then the npm packages (which bring Node 24 itself).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(
  ca-certificates git openssl zstd pigz
  docker-registry apache2-utils   # the CNCF registry and htpasswd for the test rig
  skopeo umoci                    # independent image tools for fixtures and inspection
  busybox-static debootstrap      # base-image fixtures
  patchelf binutils               # the self-contained executor bundle (scripts/build-bundle.ts)
  bubblewrap uidmap proot         # RUN sandboxes
  attr libcap2-bin                # extended attributes and file capabilities in layers
  podman runc buildah docker.io   # in-place mode runs inside podman; BuildKit and buildah are peers
  sudo                            # the action's launch through sudo, run as a non-root user in tests
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# npm ci installs node-linux-<arch> (Node 24) whose bin shadows the machine's node in npm scripts.
npm ci --no-audit --no-fund
# Debian's own npm (9.x) installs the package but does not link a bin named "node": link it.
if [ ! -e node_modules/.bin/node ]; then
  for bin in node_modules/node-linux-*/bin/node; do
    [ -x "$bin" ] && ln -sfn "../${bin#node_modules/}" node_modules/.bin/node
  done
fi
echo "bootstrap: node $(node_modules/.bin/node --version), npm $(npm --version)"
