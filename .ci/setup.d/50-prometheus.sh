#!/usr/bin/env bash
# Prometheus from Debian's prometheus package, unpacked into the cache (apt-get download + dpkg -x; nothing is
# installed or started system-wide):
#   $DOMAIN_OPERATOR_CACHE/promtool/bin/promtool      Prometheus' linter, for the metrics tests (`promtool check metrics`)
#                                                    and the dashboard's queries
#   $DOMAIN_OPERATOR_CACHE/prometheus/bin/prometheus  the server, for the proof that every dashboard query returns the
#                                                    right series under the chart's ServiceMonitor scrape
#                                                    (ServiceMonitorScrapeIT starts its own on loopback)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
promtool="$DOMAIN_OPERATOR_CACHE/promtool/bin/promtool"
server="$DOMAIN_OPERATOR_CACHE/prometheus/bin/prometheus"
if [ -x "$promtool" ] && [ -x "$server" ]; then
  exit 0
fi
command -v apt-get >/dev/null || { log "no apt-get: promtool and prometheus not provided"; exit 0; }
apt_update_once
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq prometheus >&2)
dpkg -x "$work"/prometheus_*.deb "$work/x"
# Each binary is copied beside its final name and renamed: a run cut short leaves no half-written executable.
for binary in "$promtool" "$server"; do
  mkdir -p "$(dirname "$binary")"
  cp "$work/x/usr/bin/$(basename "$binary")" "$binary.tmp"
  mv "$binary.tmp" "$binary"
  "$binary" --version >&2
done
