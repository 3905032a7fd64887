#!/usr/bin/env bash
# A fake `xl` for tests: Xen cannot run on the build machines, so this stands in for the xl tool and keeps its
# "domains" as files under STATE. It mimics Xen 4.17's argv, exit codes, stderr and `xl list -v` / `xl info`
# output closely enough to prove the backend's command contract. Every call is appended to STATE/calls.
#
# Domain file STATE/domains/<domid>: "name uuid memMiB vcpus flags reasoncode timeTenths"
# Test switches: STATE/fail-create (its text goes to stderr, exit 1), STATE/ignore-shutdown, STATE/stuck-backends
# (destroy leaves the domain's xenstore backend nodes behind, as a wedged blkback/netback does).
# xenstore is one tree, STATE/xenstore (one node per line, "<path><TAB><value>"; fake-xenstore.sh reads, lists and
# removes nodes), as on a Xen host:
# - backends: create writes backend/vbd/<domid>/51712 (params "/fake/<name>.img") and backend/vif/<domid>/0 under
#   /local/domain/0; a create whose disk a leftover vbd backend still names fails as the block hotplug script does
#   ("device already in use");
# - consoles as Xen 4.17 publishes them under /local/domain/<domid>: console/tty (xenconsoled's PV console),
#   serial/0/tty for an HVM guest with serial="pty" (the device model's pty), console/vnc-listen and
#   console/vnc-port with vnc = 1.
# Live resize: vcpu-set and mem-set change the listed vCPUs and memory. save/restore keep a domain's line in a file.
# Test-only commands: `fake-crash <dom>`, `fake-poweroff <dom>`.
set -u
STATE='@STATE@'
mkdir -p "$STATE/domains"
echo "$*" >> "$STATE/calls"
# dom0's own node: /local/domain is never empty on a Xen host
[ -e "$STATE/xenstore" ] || printf '%s\t%s\n' /local/domain/0/name Domain-0 > "$STATE/xenstore"

lookup() { # domid or name -> domid
  local f id name rest
  for f in "$STATE"/domains/*; do
    [ -e "$f" ] || continue
    id=$(basename "$f")
    read -r name rest < "$f"
    if [ "$1" = "$id" ] || [ "$1" = "$name" ]; then echo "$id"; return 0; fi
  done
  return 1
}
need() { # dom -> domid, or the error real xl 4.17 prints (find_domain for names, libxl for domids)
  lookup "$1" && return 0
  case "$1" in
    *[!0-9]*|'') echo "$1 is an invalid domain identifier (rc=-6)" >&2 ;;
    *) echo "libxl: error: libxl_domain.c:1203:libxl_domain_unpause: Domain $1:Non-existant domain" >&2 ;;
  esac
  exit 1
}
# The agent runs calls for different domains in parallel, as libxl allows: domids and the store are locked, so that
# two creates never share a domid and no store rewrite loses another call's nodes (flock, util-linux).
next_domid() {
  ( flock 8; id=$(cat "$STATE/next" 2>/dev/null || echo 1); echo $((id + 1)) > "$STATE/next"; echo "$id" ) 8>>"$STATE/next.lock"
}
xs_write() { # path value...: appends nodes to the one store
  ( flock 9; while [ $# -ge 2 ]; do printf '%s\t%s\n' "$1" "$2" >> "$STATE/xenstore"; shift 2; done ) 9>>"$STATE/xenstore.lock"
}
xs_rm_below() { # prefix...: removes every node at or below each prefix
  local p
  [ -e "$STATE/xenstore" ] || return 0
  for p in "$@"; do
    ( flock 9; awk -F'\t' -v p="$p" '!($1 == p || index($1, p "/") == 1)' "$STATE/xenstore" > "$STATE/xenstore.new" \
      && mv "$STATE/xenstore.new" "$STATE/xenstore" ) 9>>"$STATE/xenstore.lock"
  done
}
set_field() { # domid field-index value
  local f="$STATE/domains/$1"; local fields; read -r -a fields < "$f"; fields[$2]="$3"; echo "${fields[*]}" > "$f"
}
print_line() { # name id mem vcpus flags uuid reason tenths
  printf '%-40s %5d %5d %5d     %s  %6d.%d %s %8s %16s\n' "$1" "$2" "$3" "$4" "$5" $(( $8 / 10 )) $(( $8 % 10 )) "$6" "$7" "-"
}
list() { # [dom]
  local only="" f id name uuid mem vcpus flags reason tenths
  if [ $# -gt 0 ]; then
    if [ "$1" = 0 ] || [ "$1" = Domain-0 ]; then only=0; else only=$(need "$1") || exit 1; fi
  fi
  # Running vCPUs accrue half a second of CPU time per poll: deterministic, and it grows.
  for f in "$STATE"/domains/*; do
    [ -e "$f" ] || continue
    read -r name uuid mem vcpus flags reason tenths < "$f"
    [ "${flags:0:1}" = r ] && set_field "$(basename "$f")" 6 $((tenths + 5))
  done
  dom0=$(( $(cat "$STATE/dom0" 2>/dev/null || echo 1000) + 3 )); echo $dom0 > "$STATE/dom0"
  printf 'Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID                            Reason-Code\tSecurity Label\n'
  { [ -z "$only" ] || [ "$only" = 0 ]; } && print_line Domain-0 0 2048 4 r----- 00000000-0000-0000-0000-000000000000 - $dom0
  for f in $(ls "$STATE/domains" | sort -n); do
    id=$f
    [ -z "$only" ] || [ "$only" = "$id" ] || continue
    read -r name uuid mem vcpus flags reason tenths < "$STATE/domains/$id"
    print_line "$name" "$id" "$mem" "$vcpus" "$flags" "$uuid" "$reason" "$tenths"
  done
}

cmd="${1:-}"; shift || true
case "$cmd" in
  create)
    paused=0
    [ "${1:-}" = -p ] && { paused=1; shift; }
    cfg="${1:-}"
    echo "Parsing config from $cfg" >&2
    [ -r "$cfg" ] || { echo "Failed to read config file: $cfg: No such file or directory" >&2; exit 1; }
    if [ -e "$STATE/fail-create" ]; then cat "$STATE/fail-create" >&2; exit 1; fi
    name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$cfg")
    uuid=$(sed -n 's/^uuid = "\(.*\)"$/\1/p' "$cfg")
    mem=$(sed -n 's/^memory = \([0-9]*\)$/\1/p' "$cfg")
    vcpus=$(sed -n 's/^vcpus = \([0-9]*\)$/\1/p' "$cfg")
    [ -n "$name" ] && [ -n "$uuid" ] && [ -n "$mem" ] && [ -n "$vcpus" ] || { echo "$cfg: config parsing error" >&2; exit 1; }
    if lookup "$name" >/dev/null; then echo "libxl: error: libxl_create.c: Domain name '$name' already exists." >&2; exit 1; fi
    id=$(next_domid)
    touch "$STATE/xenstore"
    held=$(awk -F'\t' -v img="/fake/$name.img" '$1 ~ /^\/local\/domain\/0\/backend\/vbd\/[0-9]+\/51712\/params$/ && $2 == img { print $1 }' "$STATE/xenstore")
    if [ -n "$held" ]; then
      echo "libxl: error: libxl_exec.c:117:libxl_report_child_exitstatus: /etc/xen/scripts/block add [-1] exited with error status 1" >&2
      echo "libxl: error: libxl_device.c:1286:device_hotplug_child_death_cb: script: /fake/$name.img: device already in use (${held%/51712/params})" >&2
      echo "libxl: error: libxl_create.c:1900:domcreate_attach_devices: Domain $id:unable to add disk devices" >&2
      exit 1
    fi
    flags='r-----'; [ $paused = 1 ] && flags='--p---'
    echo "$name $uuid $mem $vcpus $flags - 0" > "$STATE/domains/$id"
    xs="/local/domain/$id"
    xs_write "$xs/name" "$name" "$xs/console/tty" "/dev/pts/$((id + 20))"
    if grep -q '^type = "hvm"$' "$cfg" && grep -q '^serial = "pty"$' "$cfg"; then
      xs_write "$xs/serial/0/tty" "/dev/pts/$((id + 10))"
    fi
    if grep -q '^vnc = 1$' "$cfg"; then
      display=$(sed -n 's/^vncdisplay = \([0-9]*\)$/\1/p' "$cfg")
      xs_write "$xs/console/vnc-listen" "$(sed -n 's/^vnclisten = "\(.*\)"$/\1/p' "$cfg")" \
        "$xs/console/vnc-port" $((5900 + ${display:-$id}))
    fi
    b=/local/domain/0/backend
    xs_write "$b/vbd/$id/51712/frontend-id" "$id" "$b/vbd/$id/51712/params" "/fake/$name.img" \
      "$b/vbd/$id/51712/state" 4 "$b/vif/$id/0/frontend-id" "$id" "$b/vif/$id/0/state" 4
    ;;
  unpause) id=$(need "${1:-}") || exit 1; set_field "$id" 4 'r-----' ;;
  pause) id=$(need "${1:-}") || exit 1; set_field "$id" 4 '--p---' ;;
  vcpu-set) # xl vcpu-set <dom> <n>: the fake keeps no maxvcpus, the engine checks the bound
    id=$(need "${1:-}") || exit 1
    case "${2:-}" in ''|*[!0-9]*) echo "Invalid vcpus: ${2:-}" >&2; exit 1 ;; esac
    set_field "$id" 3 "$2" ;;
  mem-set) # xl mem-set <dom> <size>[m|k|g]; `xl list` shows MiB
    id=$(need "${1:-}") || exit 1
    case "${2:-}" in
      *[0-9]m) set_field "$id" 2 "${2%m}" ;;
      *) echo "fake xl: mem-set size '${2:-}' not in MiB (expected <n>m)" >&2; exit 2 ;;
    esac ;;
  save) # xl save <dom> <file>: the domain's line goes to the file and the domain is gone
    id=$(need "${1:-}") || exit 1
    [ -n "${2:-}" ] || { echo "fake xl: save needs a file" >&2; exit 2; }
    cp "$STATE/domains/$id" "$2" && rm -f "$STATE/domains/$id"; xs_rm_below "/local/domain/$id"
    # libxl ends the saved domain as a destroy does, its disk and network backends with it
    [ -e "$STATE/stuck-backends" ] || xs_rm_below "/local/domain/0/backend/vbd/$id" "/local/domain/0/backend/vif/$id"
    ;;
  restore) # xl restore -p <cfg> <file>: the saved domain again, paused, under a new domid
    [ "${1:-}" = -p ] || { echo "fake xl: the backend must restore paused (-p)" >&2; exit 2; }
    [ -r "${3:-}" ] || { echo "xl: cannot open restore file ${3:-}: No such file or directory" >&2; exit 1; }
    read -r name uuid mem vcpus flags reason tenths < "$3"
    if lookup "$name" >/dev/null; then echo "libxl: error: libxl_create.c: Domain name '$name' already exists." >&2; exit 1; fi
    id=$(next_domid)
    echo "$name $uuid $mem $vcpus --p--- - $tenths" > "$STATE/domains/$id"
    ;;
  shutdown)
    [ "${1:-}" = -F ] && shift # ACPI fallback for HVM guests without PV drivers
    case "${1:-}" in -w|--wait|-a|--all|-*) echo "fake xl: option $1 not expected" >&2; exit 2 ;; esac
    id=$(need "${1:-}") || exit 1
    [ -e "$STATE/ignore-shutdown" ] || { set_field "$id" 4 '---s--'; set_field "$id" 5 0; }
    ;;
  fake-poweroff) id=$(need "${1:-}") || exit 1; set_field "$id" 4 '---s--'; set_field "$id" 5 0 ;;
  fake-crash) id=$(need "${1:-}") || exit 1; set_field "$id" 4 '---sc-'; set_field "$id" 5 3 ;;
  destroy)
    id=$(need "${1:-}") || exit 1; rm -f "$STATE/domains/$id"; xs_rm_below "/local/domain/$id"
    [ -e "$STATE/stuck-backends" ] || xs_rm_below "/local/domain/0/backend/vbd/$id" "/local/domain/0/backend/vif/$id"
    ;;
  migrate)
    # Xen 4.17: xl migrate [-s <sshcommand>] [-e] [-p] [-D] [-C <config>] <Domain> <host>. With -s "" the <host> string
    # runs through sh as the channel: the domain's stream goes to its stdin, the receiver's answer comes back on its
    # stdout; on success the sender destroys its copy, on failure the domain keeps running here.
    ssh=ssh
    while [ $# -gt 2 ]; do
      case "$1" in -s) ssh="$2"; shift 2 ;; -e|-p|-D|-F) shift ;; -C) shift 2 ;; *) echo "fake xl: option $1 not expected" >&2; exit 2 ;; esac
    done
    [ -z "$ssh" ] || { echo "fake xl: only -s \"\" (a transport the caller provides) is faked" >&2; exit 2; }
    id=$(need "${1:-}") || exit 1
    read -r name uuid mem vcpus flags reason tenths < "$STATE/domains/$id"
    answer=$(echo "FAKE-XL-STREAM $name $uuid $mem $vcpus $tenths" | sh -c "$2")
    case "$answer" in
      *FAKE-XL-RECEIVED*) rm -f "$STATE/domains/$id"; rm -rf "$STATE/xenstore-tree/local/domain/$id"; echo "Migration successful." >&2 ;;
      *) echo "migration sender: Target reported an error during the migration" >&2; exit 1 ;;
    esac
    ;;
  migrate-receive)
    # xl migrate-receive [-F] [-e] [-d] [-p] ("for internal use only"): the domain arrives on stdin; -p leaves it paused.
    pause=0
    for a in "$@"; do case "$a" in -p) pause=1 ;; -e|-F|-d) ;; *) echo "fake xl: option $a not expected" >&2; exit 2 ;; esac; done
    read -r magic name uuid mem vcpus tenths || { echo "migration target: no stream on stdin" >&2; exit 1; }
    [ "$magic" = FAKE-XL-STREAM ] || { echo "migration target: not a migration stream" >&2; exit 1; }
    if lookup "$name" >/dev/null; then echo "libxl: error: libxl_create.c: Domain name '$name' already exists." >&2; exit 1; fi
    id=$(next_domid)
    flags='r-----'; [ $pause = 1 ] && flags='--p---'
    echo "$name $uuid $mem $vcpus $flags - $tenths" > "$STATE/domains/$id"
    echo "FAKE-XL-RECEIVED"
    ;;
  list)
    [ "${1:-}" = -v ] || { echo "fake xl: the backend must use 'list -v'" >&2; exit 2; }
    shift
    list "$@"
    ;;
  info)
    cat <<INFO
host                   : fakehost
release                : 6.1.0-13-amd64
machine                : x86_64
nr_cpus                : 8
max_cpu_id             : 7
nr_nodes               : 1
cores_per_socket       : 4
threads_per_core       : 2
cpu_mhz                : 2394.454
total_memory           : 16303
free_memory            : 12034
sharing_freed_memory   : 0
xen_major              : 4
xen_minor              : 17
xen_extra              : .5
xen_version            : 4.17.5
INFO
    ;;
  *) echo "fake xl: unsupported command '$cmd'" >&2; exit 2 ;;
esac
