#!/usr/bin/env bash
# Provides Xen 4.17's libxlutil (and the libraries it links against) for the xl backend's tests, which
# check every rendered xl file with Xen's own parser through JNA.
#
# The libraries are unpacked with `dpkg -x` into $DOMAIN_OPERATOR_CACHE/xen-4.17 instead of being installed:
# `apt-get install xen-utils` would pull in a newer systemd on these machines, and the tests only need the
# shared objects (plus the headers, kept for checking struct layouts). Nothing outside the cache changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh

dest="$DOMAIN_OPERATOR_CACHE/xen-4.17"
stamp="$dest/.complete"
if [ -e "$stamp" ]; then
  log "xen-4.17 libraries already in $dest"
  exit 0
fi

# libxlutil's runtime closure in Debian 12 (what `ldd libxlutil.so.4.17` needs beyond the base system),
# plus libxen-dev for the headers.
packages=(libxenmisc4.17 libxencall1 libxendevicemodel1 libxenevtchn1 libxenforeignmemory1 libxengnttab1
          libxenhypfs1 libxenstore4 libxentoollog1 libxentoolcore1 libyajl2 libxen-dev)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# _apt cannot write into a root-owned mktemp directory; let it.
chmod 0777 "$work"
cd "$work"
if ! apt-get download "${packages[@]}" >/dev/null 2>&1; then
  log "apt-get update (package lists missing or stale)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  apt-get download "${packages[@]}" >&2
fi

rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
for deb in ./*.deb; do
  dpkg -x "$deb" "$dest.tmp/root"
done
# One flat directory the tests point JNA at.
mkdir -p "$dest.tmp/lib"
cp -a "$dest.tmp/root/usr/lib/x86_64-linux-gnu/"*.so* "$dest.tmp/lib/"
mv "$dest.tmp/root/usr/include" "$dest.tmp/include"
rm -rf "$dest.tmp/root"

# Fail here, not in the tests, if a dependency is still missing.
missing=$(LD_LIBRARY_PATH="$dest.tmp/lib" ldd "$dest.tmp/lib/libxlutil.so.4.17.0" | grep "not found" || true)
if [ -n "$missing" ]; then
  echo "libxlutil still misses libraries after unpacking: $missing" >&2
  exit 1
fi

rm -rf "$dest"
mv "$dest.tmp" "$dest"
touch "$stamp"
log "xen-4.17 libraries unpacked into $dest"
