#!/usr/bin/env bash
# Shows that .ci/run sets up a bare Debian 12 on its own: a podman container from the test rig's
# debootstrap minbase fixture (no Node, no npm, none of the Debian tools), a clean clone of HEAD
# inside it, then scripts/bootstrap.sh and tests.
#   bash scripts/bare-machine-check.sh          bootstrap, type-check, lint and the unit tests
#   bash scripts/bare-machine-check.sh --full   the whole of .ci/run, integration tests included,
#                                               in a privileged container (the suite starts its own
#                                               registries, dockerd, podman and sandboxes, as CI's
#                                               privileged debian:12 container does); prints the time
# Root and podman needed; the fixture is built if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
full=false
[ "${1:-}" = --full ] && full=true
layout=$(node_modules/.bin/node --input-type=module -e "
  const f = await import('./test/support/fixtures.ts');
  await f.ensureFixtures(['debian']);
  console.log(f.fixtureLayout('debian'));")
work=$(mktemp -d)
image=localhost/kaniko-ts-bare-check:latest
skopeo copy -q "oci:$layout:latest" "containers-storage:$image"
trap 'rm -rf "$work"; podman rmi -f "$image" >/dev/null 2>&1 || true' EXIT
git clone -q "$repo" "$work/clone"
nofile=$(awk '/Max open files/ {print $5}' /proc/self/limits)
if $full; then
  # Known: nested in the container's overlay, the BuildKit oracle's dockerd falls back to vfs,
  # whose differ does not see a link count change, so case 30-hardlinks differs from our image
  # (which matches BuildKit on overlay2, as on a machine). Giving /tmp a host directory instead
  # gets dockerd overlay2, but then its teardown hung inside the container (2026-12-02).
  mode=(--privileged --tmpfs /var/lib/containers)
  tests='bash .ci/run'
else
  mode=()
  tests='bash scripts/bootstrap.sh && npm run typecheck && npm run lint && npm run test:unit'
fi
start=$(date +%s)
podman --runtime runc --cgroup-manager cgroupfs run --rm "${mode[@]}" \
  --ulimit "nofile=$nofile:$nofile" --ulimit nproc=32768:32768 \
  --network host \
  -v /etc/ssl/certs/ca-certificates.crt:/host-ca.crt:ro \
  -e NODE_EXTRA_CA_CERTS=/host-ca.crt \
  -v "$work/clone:/src" -w /src \
  "$image" \
  bash -c "set -e
    echo \"before: node \$(command -v node || echo none), npm \$(command -v npm || echo none), docker-registry \$(command -v docker-registry || echo none)\"
    $tests"
echo "bare-machine check ($($full && echo full || echo unit)): passed in $(($(date +%s) - start)) s"
