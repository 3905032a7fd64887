#!/usr/bin/env bash
# Puts the tiny Linux guest (built by .ci/setup.d/30-qemu-guest.sh from Debian's kernel and busybox) where the
# example manifests expect it: /var/lib/domain-operator/images/tiny-linux/{vmlinuz,initrd.img}.
# Installs qemu-system-x86 on the way. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
bash .ci/setup.d/30-qemu-guest.sh
dest=/var/lib/domain-operator/images/tiny-linux
mkdir -p "$dest"
cp "$DOMAIN_OPERATOR_CACHE/guest/vmlinuz" "$DOMAIN_OPERATOR_CACHE/guest/initrd.img" "$dest/"
log "guest images in $dest; now: ./domain-operator standalone --manifests examples"
