#!/usr/bin/env bash
# Shows that scripts/bootstrap.sh sets up a bare Debian 12 on its own: a podman container from the
# test rig's debootstrap minbase fixture (no Node, no npm, none of the Debian tools), a clean
# clone of HEAD inside it, then bootstrap, the type-check, lint and the unit tests.
#   bash scripts/bare-machine-check.sh        (root, podman; the fixture is built if missing)
# Integration tests need a registry, bubblewrap and podman of their own: .ci/run runs them on the
# machine itself, after the same bootstrap.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
node_modules/.bin/node -e "import('./test/support/fixtures.ts').then((f) => f.ensureFixtures(['debian']))"
layout="${KANIKO_TS_FIXTURES:-$HOME/.cache/kaniko-ts}/fixtures-v1/debian"
work=$(mktemp -d)
image=localhost/kaniko-ts-bare-check:latest
skopeo copy -q "oci:$layout:latest" "containers-storage:$image"
trap 'rm -rf "$work"; podman rmi -f "$image" >/dev/null 2>&1 || true' EXIT
git clone -q "$repo" "$work/clone"
nofile=$(awk '/Max open files/ {print $5}' /proc/self/limits)
podman --runtime runc --cgroup-manager cgroupfs run --rm \
  --ulimit "nofile=$nofile:$nofile" --ulimit nproc=32768:32768 \
  --network host \
  -v /etc/ssl/certs/ca-certificates.crt:/host-ca.crt:ro \
  -e NODE_EXTRA_CA_CERTS=/host-ca.crt \
  -v "$work/clone:/src" -w /src \
  "$image" \
  bash -c 'set -e
    echo "before: node $(command -v node || echo none), npm $(command -v npm || echo none)"
    bash scripts/bootstrap.sh
    npm run typecheck && npm run lint && npm run test:unit'
