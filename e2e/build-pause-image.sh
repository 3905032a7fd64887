#!/usr/bin/env bash
# Packs the static `pause` binary (built by build-kube-apiserver.sh from the Kubernetes tree's
# build/pause/linux/pause.c) into an OCI image archive, which `ctr images import` loads into a containerd:
#   $DOMAIN_OPERATOR_CACHE/kube-node-<version>/pause-image.tar   image localhost/domain-operator/pause:<tag>
# Every pod's sandbox runs it; no registry that serves registry.k8s.io/pause is reachable from here.
# The layout is written by hand (one layer, one config, one manifest): nothing but tar and sha256sum.
set -euo pipefail

KUBE_UPSTREAM_VERSION="1.20.2"
export DOMAIN_OPERATOR_CACHE="${DOMAIN_OPERATOR_CACHE:-$HOME/.cache/domain-operator}"
NODE_DIR="$DOMAIN_OPERATOR_CACHE/kube-node-$KUBE_UPSTREAM_VERSION"
ARCHIVE="$NODE_DIR/pause-image.tar"

log() { printf '[pause-image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ -x "$NODE_DIR/pause" ] || die "$NODE_DIR/pause is missing; run e2e/build-kube-apiserver.sh first"
tag=$(cat "$NODE_DIR/pause.version" 2>/dev/null || echo unknown)
name="localhost/domain-operator/pause:$tag"
if [ -s "$ARCHIVE" ] && [ "$ARCHIVE" -nt "$NODE_DIR/pause" ]; then
  log "cached: $ARCHIVE ($name)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs" "$work/oci/blobs/sha256"
cp "$NODE_DIR/pause" "$work/rootfs/pause"

# blob FILE: moves FILE into the layout under its digest and prints "digest size".
blob() {
  local digest size
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  mv "$1" "$work/oci/blobs/sha256/$digest"
  echo "$digest $size"
}

# Reproducible layer: same binary, same bytes, same digest.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/rootfs" -cf "$work/layer.tar" pause
read -r layer_digest layer_size < <(blob "$work/layer.tar")

cat > "$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/pause"],"User":"65535:65535"},"rootfs":{"type":"layers","diff_ids":["sha256:$layer_digest"]}}
EOF
read -r config_digest config_size < <(blob "$work/config.json")

cat > "$work/manifest.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config_digest","size":$config_size},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:$layer_digest","size":$layer_size}]}
EOF
read -r manifest_digest manifest_size < <(blob "$work/manifest.json")

# containerd names the imported image after io.containerd.image.name; other tools read ref.name.
cat > "$work/oci/index.json" <<EOF
{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$manifest_digest","size":$manifest_size,"annotations":{"io.containerd.image.name":"$name","org.opencontainers.image.ref.name":"$tag"}}]}
EOF
echo '{"imageLayoutVersion":"1.0.0"}' > "$work/oci/oci-layout"

tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/oci" -cf "$ARCHIVE.tmp" .
mv "$ARCHIVE.tmp" "$ARCHIVE"
echo "$name" > "$NODE_DIR/pause-image.name"
log "built $ARCHIVE ($name, $(stat -c %s "$ARCHIVE") bytes)"
