#!/usr/bin/env bash
# A fake `xenstore-read PATH...` over the files fake-xl.sh keeps as its xenstore (STATE/xenstore-tree/<path>): prints
# each value on a line; a missing path fails as the real one does (exit 1, "couldn't read path PATH").
set -u
STATE='@STATE@'
echo "xenstore-read $*" >> "$STATE/calls"
for p in "$@"; do
  f="$STATE/xenstore-tree/${p#/}"
  [ -f "$f" ] || { echo "xenstore-read: couldn't read path $p" >&2; exit 1; }
  cat "$f"
done
