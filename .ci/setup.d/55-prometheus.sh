#!/usr/bin/env bash
# The Prometheus server from Debian's prometheus package, for the proof that every dashboard query returns the
# right series under the scrape the chart's ServiceMonitor gets from the Prometheus Operator
# (ServiceMonitorScrapeIT). Like promtool (50-promtool.sh): apt-get download + dpkg -x into the cache, nothing
# installed or started system-wide; the test starts its own server on loopback.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
dest="$DOMAIN_OPERATOR_CACHE/prometheus"
if [ -x "$dest/bin/prometheus" ]; then
  exit 0
fi
command -v apt-get >/dev/null || { log "no apt-get: prometheus not provided"; exit 0; }
apt_update_once
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq prometheus >&2)
dpkg -x "$work"/prometheus_*.deb "$work/x"
mkdir -p "$dest/bin"
cp "$work/x/usr/bin/prometheus" "$dest/bin/prometheus.tmp"
mv "$dest/bin/prometheus.tmp" "$dest/bin/prometheus"
"$dest/bin/prometheus" --version >&2
