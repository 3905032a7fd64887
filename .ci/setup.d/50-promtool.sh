#!/usr/bin/env bash
# promtool, Prometheus' own linter, for the metrics test (`promtool check metrics`). Taken from Debian's
# prometheus package without installing the server: apt-get download + dpkg -x into the cache.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
dest="$DOMAIN_OPERATOR_CACHE/promtool"
if [ -x "$dest/bin/promtool" ]; then
  exit 0
fi
command -v apt-get >/dev/null || { log "no apt-get: promtool not provided"; exit 0; }
apt_update_once
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq prometheus >&2)
dpkg -x "$work"/prometheus_*.deb "$work/x"
mkdir -p "$dest/bin"
cp "$work/x/usr/bin/promtool" "$dest/bin/promtool"
"$dest/bin/promtool" --version >&2
