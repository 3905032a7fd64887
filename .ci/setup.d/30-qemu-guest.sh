#!/usr/bin/env bash
# Provides QEMU and a tiny Linux guest for the QEMU backend's *IT tests (hypervisor-adapter).
#
# The guest is Debian's own kernel plus a busybox initramfs that loads the ACPI button and evdev
# drivers and runs busybox acpid, so the ACPI power button (QMP system_powerdown) powers it off.
# It prints the disks and NICs it sees, then GUEST_READY_MARKER on the serial console once acpid runs,
# then offers a root shell on the serial console (prompt GUEST_PROMPT), respawned when it exits: what
# `domain-operator console` attaches to and serial readiness probes expect. When QEMU gives it the guest agent's
# virtio-serial channel (org.qemu.guest_agent.0; spec.readinessProbe.guestAgent), it runs Debian's qemu-ga on it,
# with the libraries the host's dynamic linker resolves for it (the host runs the same Debian release).
# qemu-ga itself is also kept beside the guest (qemu-ga), for tests that run it on the host against a socket.
# Result, keyed by kernel package version and recipe revision:
#   $DOMAIN_OPERATOR_CACHE/guest-<kernel>-<version>-r<recipe>/{vmlinuz,initrd.img,cmdline,VERSION}
#   $DOMAIN_OPERATOR_CACHE/guest -> that directory (what the tests read)
# Idempotent: a finished build (READY file) is reused; packages already installed are not reinstalled.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh

RECIPE=7   # bump when anything below changes what ends up in the guest
GUEST_READY_MARKER="DOMAIN-OPERATOR-GUEST-READY"
GUEST_PROMPT="domain-operator-guest# "

apt_install qemu-system-x86 qemu-utils cpio xz-utils zstd

# The package lists may be missing on a machine where everything above was preinstalled.
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
  log "apt-get update (package lists missing)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  touch /tmp/domain-operator-apt-updated
fi

# The current 6.1 kernel is what the linux-image-amd64 metapackage points at.
pick_kernel() {
  kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null \
    | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9.]+-[0-9]+-amd64$/ {print $2; exit}')
  if [ -z "$kernel_pkg" ]; then
    kernel_pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' | sort -V | tail -n1)
  fi
  [ -n "$kernel_pkg" ] || { echo "no linux-image-6.1.0-*-amd64 package found; check the apt sources" >&2; exit 1; }
  kernel_version=$(apt-cache show --no-all-versions "$kernel_pkg" | awk '/^Version:/ {print $2; exit}')
  out="$DOMAIN_OPERATOR_CACHE/guest-${kernel_pkg#linux-image-}-${kernel_version}-r$RECIPE"
}
use_cached() {
  [ -e "$out/READY" ] || return 1
  ln -sfn "$(basename "$out")" "$DOMAIN_OPERATOR_CACHE/guest"
  log "guest: cached $out"
}

pick_kernel
use_cached && exit 0
# About to download: make sure the package lists are current (an old kernel may be gone from the mirror).
if [ ! -e /tmp/domain-operator-apt-updated ]; then
  log "apt-get update (before downloading the guest kernel)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  touch /tmp/domain-operator-apt-updated
  pick_kernel
  use_cached && exit 0
fi

log "guest: building $out from $kernel_pkg $kernel_version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "$kernel_pkg" busybox-static qemu-guest-agent) >&2
dpkg -x "$work"/linux-image-*.deb "$work/kernel"
dpkg -x "$work"/busybox-static_*.deb "$work/busybox"
dpkg -x "$work"/qemu-guest-agent_*.deb "$work/qga"

release=$(ls "$work/kernel/lib/modules")
moddir="$work/kernel/lib/modules/$release"
root="$work/root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc/acpi/PWRF,lib/modules}
cp "$work/busybox/bin/busybox" "$root/bin/busybox"

# qemu-ga and every shared object it loads (ldd's absolute paths, the dynamic linker included), copied to the
# same paths in the guest.
qga="$work/qga/usr/sbin/qemu-ga"
if ldd "$qga" | grep -q 'not found'; then
  echo "qemu-ga needs libraries this host lacks:" >&2; ldd "$qga" | grep 'not found' >&2; exit 1
fi
mkdir -p "$root/usr/sbin"
cp "$qga" "$root/usr/sbin/qemu-ga"
for lib in $(ldd "$qga" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

# Copies a module and, first, the modules it depends on (the depends= entry of its .modinfo, so
# neither depmod nor modinfo is needed), decompressed, and appends each to the load order.
module_file() {
  local pattern
  pattern=$(echo "$1" | sed 's/[-_]/[-_]/g')
  find "$moddir/kernel" -regextype posix-extended -regex ".*/$pattern\.ko(\.xz|\.zst|\.gz)?" | head -n1
}
declare -A loaded=()
add_module() {
  local name=$1 file base dep
  [ -n "${loaded[$name]:-}" ] && return 0
  loaded[$name]=1
  file=$(module_file "$name")
  [ -n "$file" ] || { echo "kernel module $name not found under $moddir" >&2; exit 1; }
  base=$(basename "$file")
  case "$base" in
    *.ko.xz)  xz -dc "$file" > "$work/$name.ko" ;;
    *.ko.zst) zstd -qdc "$file" > "$work/$name.ko" ;;
    *.ko.gz)  gzip -dc "$file" > "$work/$name.ko" ;;
    *)        cp "$file" "$work/$name.ko" ;;
  esac
  for dep in $(tr '\0' '\n' < "$work/$name.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
    add_module "$dep"
  done
  cp "$work/$name.ko" "$root/lib/modules/$name.ko"
  echo "$name.ko" >> "$root/etc/modules.order"
}
: > "$root/etc/modules.order"
add_module button
add_module evdev
# virtio transport, disk and NIC drivers, so the guest reports the devices QEMU gave it.
add_module virtio_pci
add_module virtio_blk
add_module virtio_net
# virtio-serial, for the guest agent's channel
add_module virtio_console
# The memory balloon, so that a live memory change (QMP balloon) reaches the guest and query-balloon shows it.
add_module virtio_balloon

# busybox acpid maps the power button key to the event PWRF/00000080 and runs the file of that name
# under its config directory. The kernel parameter guest.power-button=reboot makes the button reboot the
# guest instead, so that tests can watch a guest-initiated reboot too.
cat > "$root/etc/acpi/PWRF/00000080" <<'ACPI'
#!/bin/sh
if grep -q 'guest.power-button=reboot' /proc/cmdline; then
  echo "domain-operator-guest: power button pressed, rebooting" > /dev/console
  reboot -f
fi
echo "domain-operator-guest: power button pressed, powering off" > /dev/console
poweroff -f
ACPI
chmod +x "$root/etc/acpi/PWRF/00000080"

# The login shell's prompt; it ends in '# ' like any root prompt, and names the guest.
printf 'PS1=%s\nexport PS1\n' "'$GUEST_PROMPT'" > "$root/etc/profile"

cat > "$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in \$(cat /etc/modules.order); do
  insmod /lib/modules/\$m || echo "domain-operator-guest: insmod \$m failed" > /dev/console
done
# Probing is synchronous at insmod for these drivers, so the devices are all there now.
echo "domain-operator-guest: disks: \$(cd /sys/block && echo *)" > /dev/console
echo "domain-operator-guest: nics: \$(cd /sys/class/net && echo *)" > /dev/console
# The QEMU guest agent on its channel, when the domain has one: the port's name is in sysfs, its device node
# (/dev/vportNpM) comes from devtmpfs, as udev's /dev/virtio-ports/ link would lead to.
for port in /sys/class/virtio-ports/*; do
  [ "\$(cat \$port/name 2>/dev/null)" = org.qemu.guest_agent.0 ] || continue
  mkdir -p /var/run
  /usr/sbin/qemu-ga -m virtio-serial -p /dev/\${port##*/} -t /tmp > /dev/console 2>&1 &
  echo "domain-operator-guest: qemu-ga on /dev/\${port##*/}" > /dev/console
done
# In the foreground (-d) acpid logs to stderr: a daemonized one would need /var/log. The marker is
# printed only once acpid holds the input devices, so a power button press after it is never lost.
acpid -d -c /etc/acpi > /dev/console 2>&1 &
acpid_pid=\$!
until ls -l /proc/\$acpid_pid/fd 2>/dev/null | grep -q /dev/input/event; do usleep 50000; done
echo "$GUEST_READY_MARKER" > /dev/console
# A shell on the serial console: cttyhack gives it the console as controlling tty (Ctrl-C works), and
# the loop respawns it after exit, as a getty would.
( while :; do setsid cttyhack sh -l; sleep 1; done ) &
# PID 1 must never exit; the guest ends by poweroff -f from the power button handler.
while :; do sleep 3600; done
INIT
chmod +x "$root/init"

mkdir -p "$out.tmp"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$out.tmp/initrd.img"
cp "$work/kernel/boot/vmlinuz-$release" "$out.tmp/vmlinuz"
cp "$qga" "$out.tmp/qemu-ga"
echo "console=ttyS0" > "$out.tmp/cmdline"
printf 'kernel=%s %s\nrelease=%s\nrecipe=%s\nmarker=%s\nprompt=%s\n' "$kernel_pkg" "$kernel_version" "$release" "$RECIPE" "$GUEST_READY_MARKER" "$GUEST_PROMPT" > "$out.tmp/VERSION"
touch "$out.tmp/READY"
rm -rf "$out"
mv "$out.tmp" "$out"
ln -sfn "$(basename "$out")" "$DOMAIN_OPERATOR_CACHE/guest"
log "guest: built $out ($(du -sh "$out" | cut -f1))"
# Older builds (other kernel or recipe) are no longer used by anything.
find "$DOMAIN_OPERATOR_CACHE" -maxdepth 1 -name 'guest-*' ! -name "$(basename "$out")" -exec rm -rf {} +
