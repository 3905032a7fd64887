#!/usr/bin/env bash
# Builds Kubernetes from Debian's source package `kubernetes` once, into
#   $DOMAIN_OPERATOR_CACHE/kube-apiserver-<version>/kube-apiserver      (the API server of every E2E suite)
#   $DOMAIN_OPERATOR_CACHE/kube-node-<version>/{kubelet,kube-controller-manager,kube-scheduler,kube-proxy,pause}
# and reuses them on later runs. Also installs etcd (Debian's etcd-server) and checks for kubectl.
# All come from one tree and one `make WHAT=...`, so the Go packages they share compile once.
# `pause` is the tree's build/pause/linux/pause.c linked statically: the pod sandbox's only process.
#
# Why build: no registry reachable from these machines ships a kube-apiserver binary, but Debian's
# source package (its orig tarball carries vendor/) builds one offline with Debian's golang-go.
# Needs about 2.2 GB of disk and 1.3 GB of memory; takes minutes on two cores.
#
# The machine's apt lists are left alone: the deb-src line lives in a private sources list and
# private state directory under the cache.
set -euo pipefail

# Debian's version is "1.20.5+really1.20.2-<revision>": upstream 1.20.2 under a 1.20.5 label. The revision
# follows the suite's point releases, so only the upstream part is pinned.
KUBE_DEB_UPSTREAM="1.20.5+really1.20.2"
KUBE_UPSTREAM_VERSION="1.20.2"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SUITE="${DEBIAN_SUITE:-bookworm}"

export DOMAIN_OPERATOR_CACHE="${DOMAIN_OPERATOR_CACHE:-$HOME/.cache/domain-operator}"
mkdir -p "$DOMAIN_OPERATOR_CACHE"
OUT_DIR="$DOMAIN_OPERATOR_CACHE/kube-apiserver-$KUBE_UPSTREAM_VERSION"
BINARY="$OUT_DIR/kube-apiserver"
NODE_DIR="$DOMAIN_OPERATOR_CACHE/kube-node-$KUBE_UPSTREAM_VERSION"
NODE_COMMANDS=(kubelet kube-controller-manager kube-scheduler kube-proxy)

log() { printf '[kube-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages ${missing[*]}; install them as root (apt-get install ${missing[*]})"
  if [ ! -e /tmp/domain-operator-apt-updated ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    touch /tmp/domain-operator-apt-updated
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# etcd and kubectl are needed at test time whether or not the binary is cached already.
apt_install etcd-server
command -v kubectl >/dev/null || log "WARNING: kubectl is not on PATH; the E2E suite needs it (it is preinstalled on the usual machines)"

# What is missing decides what is built: a cache from before the node binaries only gains those.
targets=()
if [ -x "$BINARY" ] && "$BINARY" --version >/dev/null 2>&1; then
  log "cached: $BINARY ($("$BINARY" --version))"
else
  targets+=(cmd/kube-apiserver)
fi
for command in "${NODE_COMMANDS[@]}"; do
  if [ -x "$NODE_DIR/$command" ] && "$NODE_DIR/$command" --version >/dev/null 2>&1; then
    log "cached: $NODE_DIR/$command"
  else
    targets+=("cmd/$command")
  fi
done
need_pause=false
[ -x "$NODE_DIR/pause" ] || need_pause=true
if [ ${#targets[@]} -eq 0 ] && ! $need_pause; then
  exit 0
fi

apt_install golang-go golang-github-modern-go-reflect2-dev dpkg-dev make rsync gcc libc6-dev

free_kb=$(df -Pk "$DOMAIN_OPERATOR_CACHE" | awk 'NR==2 {print $4}')
[ "$free_kb" -ge $((3 * 1024 * 1024)) ] \
  || die "need about 3 GB free under $DOMAIN_OPERATOR_CACHE to build Kubernetes, have $((free_kb / 1024)) MB; free space or set DOMAIN_OPERATOR_CACHE elsewhere"

# The tree keeps the path it has always had: Go's build cache keys hold the package directories.
WORK="$DOMAIN_OPERATOR_CACHE/build/kube-apiserver-$KUBE_UPSTREAM_VERSION"
APT_DIR="$DOMAIN_OPERATOR_CACHE/build/apt"
mkdir -p "$WORK" "$APT_DIR/lists/partial" "$APT_DIR/sourceparts"
echo "deb-src $DEBIAN_MIRROR $DEBIAN_SUITE main" > "$APT_DIR/sources.list"
APT_OPTS=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list"
          -o "Dir::Etc::SourceParts=$APT_DIR/sourceparts"
          -o "Dir::State::Lists=$APT_DIR/lists"
          -o "Dir::Cache=$APT_DIR/cache"
          -o "APT::Sandbox::User=root")
mkdir -p "$APT_DIR/cache/archives/partial"

SRC_DIR="$WORK/kubernetes"
if [ ! -d "$SRC_DIR/vendor" ]; then
  apt-get "${APT_OPTS[@]}" update -qq >&2
  deb_version=$(apt-cache "${APT_OPTS[@]}" showsrc kubernetes | awk '/^Version:/ {print $2}' | grep -F "$KUBE_DEB_UPSTREAM-" | sort -V | tail -1)
  [ -n "$deb_version" ] || die "$DEBIAN_MIRROR $DEBIAN_SUITE has no source package kubernetes $KUBE_DEB_UPSTREAM-*; set DEBIAN_MIRROR/DEBIAN_SUITE to one that does (bookworm)"
  log "fetching Debian source package kubernetes=$deb_version from $DEBIAN_MIRROR $DEBIAN_SUITE"
  rm -rf "$WORK/src" && mkdir -p "$WORK/src"
  (cd "$WORK/src" && apt-get "${APT_OPTS[@]}" source -qq "kubernetes=$deb_version" >&2)
  unpacked=$(find "$WORK/src" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -1)
  [ -n "$unpacked" ] && [ -d "$unpacked/vendor" ] || die "apt-get source did not unpack a tree with vendor/ under $WORK/src"
  rm -rf "$SRC_DIR" && mv "$unpacked" "$SRC_DIR"
  rm -rf "$WORK/src"
fi

# reflect2 v1.0.1 reads Go runtime internals that moved in Go 1.18; kube-apiserver then crashes at the
# first custom-resource write. Debian's 1.0.2 package has the fix; the API is the same.
REFLECT2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2
REFLECT2_VENDOR="$SRC_DIR/vendor/github.com/modern-go/reflect2"
[ -d "$REFLECT2_SRC" ] || die "$REFLECT2_SRC is missing; install golang-github-modern-go-reflect2-dev"
if ! cmp -s "$REFLECT2_SRC/go_above_118.go" "$REFLECT2_VENDOR/go_above_118.go" 2>/dev/null; then
  log "replacing vendored modern-go/reflect2 with Debian's $(dpkg-query -W -f='${Version}' golang-github-modern-go-reflect2-dev)"
  rm -rf "$REFLECT2_VENDOR" && mkdir -p "$REFLECT2_VENDOR"
  find "$REFLECT2_SRC" -maxdepth 1 -type f -name '*.go' ! -name '*_test.go' -exec cp {} "$REFLECT2_VENDOR/" \;
  cp "$REFLECT2_SRC"/LICENSE "$REFLECT2_VENDOR/" 2>/dev/null || true
  sed -i 's|^# github.com/modern-go/reflect2 v1.0.1$|# github.com/modern-go/reflect2 v1.0.2|' "$SRC_DIR/vendor/modules.txt"
  sed -i 's|github.com/modern-go/reflect2 v1.0.1|github.com/modern-go/reflect2 v1.0.2|' "$SRC_DIR/go.mod"
fi

start=$(date +%s)
if [ ${#targets[@]} -gt 0 ]; then
  log "building ${targets[*]} with $(go version) in $SRC_DIR (minutes: about 4 for the API server, 9 more for the node's four)"
  (
    cd "$SRC_DIR"
    # Kubernetes' own build (hack/lib/golang.sh) sets up GOPATH mode over vendor/; only caches and
    # the version stamp are ours.
    export GOPATH="$WORK/gopath" GOCACHE="$WORK/gocache"
    export KUBE_GIT_VERSION="v$KUBE_UPSTREAM_VERSION" KUBE_GIT_TREE_STATE=clean
    export KUBE_BUILD_PLATFORMS=linux/amd64 GOLDFLAGS="-s -w"
    make WHAT="${targets[*]}" >&2
  )
fi

# install_built NAME DIR: copies the binary make left under _output into DIR (atomically: a half-copied
# binary must never look cached).
install_built() {
  local built
  built=$(find "$SRC_DIR/_output" -type f -name "$1" -perm -u+x | head -1)
  [ -n "$built" ] || die "make finished but no $1 binary under $SRC_DIR/_output"
  mkdir -p "$2"
  cp "$built" "$2/$1.tmp" && mv "$2/$1.tmp" "$2/$1"
  log "built $2/$1 ($("$2/$1" --version 2>&1 | head -1))"
}
for target in "${targets[@]}"; do
  case "$target" in
    cmd/kube-apiserver) install_built kube-apiserver "$OUT_DIR" ;;
    *) install_built "${target#cmd/}" "$NODE_DIR" ;;
  esac
done

if $need_pause; then
  mkdir -p "$NODE_DIR"
  pause_version=$(awk -F' *= *' '$1 == "TAG ?" || $1 == "TAG" {print $2; exit}' "$SRC_DIR/build/pause/Makefile")
  gcc -Os -Wall -Werror -static -DVERSION="v${pause_version:-unknown}" -o "$NODE_DIR/pause.tmp" \
    "$SRC_DIR/build/pause/linux/pause.c" >&2
  mv "$NODE_DIR/pause.tmp" "$NODE_DIR/pause"
  echo "${pause_version:-unknown}" > "$NODE_DIR/pause.version"
  log "built $NODE_DIR/pause (static, version ${pause_version:-unknown})"
fi
log "Kubernetes build took $(( $(date +%s) - start ))s"

# The source tree and Go caches are only needed to rebuild; keep the cache small.
rm -rf "$WORK"
