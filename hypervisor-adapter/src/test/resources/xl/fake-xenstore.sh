#!/usr/bin/env bash
# A fake of Xen 4.17's xenstore clients for tests, installed as `xenstore-read`, `xenstore-ls` and `xenstore-rm` (the
# real tools are one program that picks its mode from its name, too). The store is STATE/xenstore, the one tree of
# the fake host, one node per line: "<path><TAB><value>"; fake-xl.sh writes a domain's own nodes (its consoles under
# /local/domain/<domid>) and its backend nodes (under /local/domain/0/backend) at create and removes them at destroy.
# Behaviour kept from tools/xs-clients/xenstore_client.c and xenstored:
#   xenstore-read PATH...  each value on a line (a directory node reads as ""); a missing PATH is
#                        "xenstore-read: couldn't read path PATH", exit 1
#   xenstore-ls -f PATH  every node below PATH, depth first, as `<full path> = "<value>"`; a missing PATH is
#                        "xenstore-ls: xs_directory (PATH): No such file or directory", exit 1
#   xenstore-rm PATH     removes PATH and everything below it; a missing PATH is fine if its parent exists,
#                        else "xenstore-rm: could not remove path PATH", exit 1
set -u
STATE='@STATE@'
store="$STATE/xenstore"
mkdir -p "$STATE"
# dom0's own node (fake-xl.sh starts the store the same way): /local/domain is never empty on a Xen host
[ -e "$store" ] || printf '%s\t%s\n' /local/domain/0/name Domain-0 > "$store"
mode=$(basename "$0"); mode=${mode#xenstore-}
echo "xenstore-$mode $*" >> "$STATE/calls"
exists() { awk -F'\t' -v p="$1" '$1 == p || index($1, p "/") == 1 { found = 1 } END { exit !found }' "$store"; }
case "$mode" in
  read)
    for p in "$@"; do
      p="${p%/}"
      exists "$p" || { echo "xenstore-read: couldn't read path $p" >&2; exit 1; }
      awk -F'\t' -v p="$p" '$1 == p { value = $2 } END { print value }' "$store"
    done
    ;;
  ls)
    [ "${1:-}" = -f ] || { echo "fake xenstore-ls: the backend must use -f" >&2; exit 2; }
    path="${2:-/}"; path="${path%/}"
    if ! exists "$path"; then echo "xenstore-ls: xs_directory ($path): No such file or directory" >&2; exit 1; fi
    # Every node strictly below PATH: the stored leaves and the directories that lead to them (value "").
    awk -F'\t' -v p="$path" '
      index($1, p "/") == 1 {
        rest = substr($1, length(p) + 2); n = split(rest, parts, "/"); node = p
        for (i = 1; i <= n; i++) {
          node = node "/" parts[i]
          if (!(node in seen)) { seen[node] = 1; order[++count] = node; value[node] = "" }
        }
        value[$1] = $2
      }
      END { for (i = 1; i <= count; i++) printf "%s = \"%s\"\n", order[i], value[order[i]] }' "$store"
    ;;
  rm)
    path="${1:-}"; path="${path%/}"
    [ -n "$path" ] || { echo "Usage: xenstore-rm [-h] [-t] key [...]" >&2; exit 1; }
    if ! exists "$path" && ! exists "${path%/*}"; then echo "xenstore-rm: could not remove path $path" >&2; exit 1; fi
    # under fake-xl.sh's store lock: a create appending nodes meanwhile keeps them
    ( flock 9; awk -F'\t' -v p="$path" '!($1 == p || index($1, p "/") == 1)' "$store" > "$store.new" && mv "$store.new" "$store" ) 9>>"$STATE/xenstore.lock"
    ;;
  *) echo "fake xenstore: unsupported mode '$mode'" >&2; exit 2 ;;
esac
