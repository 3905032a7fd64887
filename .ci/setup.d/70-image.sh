#!/usr/bin/env bash
# The project image, built from the unchanged `Dockerfile` with Debian's buildah (no Docker engine, no registry
# here), for e2e/.../image/ImageE2E and for anything that runs the image on a node.
#
# Contract (what other tests and scripts may rely on):
#   $DOMAIN_OPERATOR_CACHE/image/domain-operator.oci.tar      the current image, an OCI archive (a symlink to
#                                                            domain-operator-<hash>.oci.tar)
#   $DOMAIN_OPERATOR_CACHE/image/domain-operator.ref          its names, one a line:
#                                                              localhost/domain-operator:<hash>
#                                                              localhost/domain-operator:ci
#   The archive's index names the image twice (org.opencontainers.image.ref.name), so
#     ctr -n k8s.io images import --base-name localhost/domain-operator "$DOMAIN_OPERATOR_CACHE/image/domain-operator.oci.tar"
#   yields both names in containerd (chart values: image.repository=localhost/domain-operator, image.tag=ci,
#   image.pullPolicy=Never); `podman pull oci-archive:<file>:localhost/domain-operator:ci` loads it into podman.
#   <hash> is a content hash of the build context (what `.dockerignore` keeps), the Dockerfile and the base
#   images: unchanged sources reuse the cached archive and nothing is built.
#
# How it builds here:
#   - base images made locally and kept in buildah's storage ($DOMAIN_OPERATOR_CACHE/image/storage-overlay):
#     localhost/debian:bookworm-slim   debootstrap --variant=minbase bookworm, trimmed like Debian's slim image
#     localhost/domain-operator-build-jdk:<version>   that base plus the host's JDK >= 21 (Debian 12 has none)
#     and passed as BUILD_IMAGE / RUNTIME_IMAGE build args (the Dockerfile's defaults are the public images);
#   - Maven runs offline against the host's ~/.m2 (wrapper distribution and repository), mounted as an overlay
#     whose writes are discarded: outbound HTTPS here is re-signed by a CA only the host trusts, and the shared
#     ~/.m2 must not change;
#   - the runtime stage's apt-get reaches deb.debian.org over plain HTTP, which works here.
# Each step prints the time it took.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh

cache="$DOMAIN_OPERATOR_CACHE/image"
mkdir -p "$cache"
# buildah's own storage, not the machine's default one, so other users of buildah/podman here are not affected.
# overlay stores each layer once (vfs copies the whole tree at every step: a cold build took 14 min instead of
# a few); vfs where the kernel refuses overlay mounts.
driver=overlay
mkdir -p "$cache/storage-overlay"
if ! buildah --root "$cache/storage-overlay" --runroot /run/domain-operator-image-overlay --storage-driver overlay \
     images >/dev/null 2>&1; then
  driver=vfs
fi
store=(--root "$cache/storage-$driver" --runroot "/run/domain-operator-image-$driver" --storage-driver "$driver")

# step NAME CMD...: runs CMD and logs how long it took.
step() {
  local name="$1" start=$SECONDS
  shift
  "$@"
  log "$name: $((SECONDS - start)) s"
}

image_exists() { buildah "${store[@]}" images --quiet "$1" >/dev/null 2>&1; }

# podman and runc for ImageE2E (podman's default crun refuses this machine's hybrid cgroup layout).
install_tools() {
  apt_install buildah debootstrap podman runc
}

# localhost/debian:bookworm-slim: the rootfs tarball is cached, the image is re-imported when the storage lost it.
base_runtime_image() {
  local tarball="$cache/base/debian-bookworm-minbase.tar.gz"
  if [ ! -s "$tarball" ]; then
    local root
    root="$(mktemp -d)"
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
    # As Debian's bookworm-slim: updates and security sources, no package lists or .debs, and dpkg told to skip
    # documentation and translations, so packages installed on top stay lean too.
    cat > "$root/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
    cat > "$root/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/man/* \
           "$root"/usr/share/info/* "$root"/usr/share/locale/*
    find "$root/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
    mkdir -p "$cache/base"
    tar -C "$root" -czf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$root"
  fi
  image_exists localhost/debian:bookworm-slim && return 0
  local ctr
  ctr="$(buildah "${store[@]}" from scratch)"
  buildah "${store[@]}" add "$ctr" "$tarball" / >/dev/null
  buildah "${store[@]}" config --cmd /bin/bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  buildah "${store[@]}" commit --quiet --rm "$ctr" localhost/debian:bookworm-slim >/dev/null
}

# localhost/domain-operator-build-jdk:<version>: the base plus the host's JDK, laid out as Temurin's images are.
base_build_image() {
  local jdk version
  jdk="$(find_jdk21)" || { log "no JDK >= 21 under /usr/lib/jvm for the build image"; return 1; }
  version="$(. "$jdk/release" && echo "$JAVA_VERSION")"
  build_image="localhost/domain-operator-build-jdk:$version"
  image_exists "$build_image" && return 0
  local ctr staged
  staged="$(mktemp -d)"
  # Links resolved: the host's JDK links lib/security/cacerts to the host's /etc/ssl, absent in the image.
  cp -rL "$jdk" "$staged/openjdk"
  ctr="$(buildah "${store[@]}" from localhost/debian:bookworm-slim)"
  buildah "${store[@]}" copy "$ctr" "$staged/openjdk" /opt/java/openjdk >/dev/null
  rm -rf "$staged"
  # jlink --strip-debug runs objcopy; Temurin's images carry binutils for that.
  buildah "${store[@]}" run --isolation chroot "$ctr" -- sh -c 'apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils >/dev/null \
    && rm -rf /var/lib/apt/lists/*' >&2
  buildah "${store[@]}" config --env JAVA_HOME=/opt/java/openjdk \
    --env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  buildah "${store[@]}" commit --quiet --rm "$ctr" "$build_image" >/dev/null
}

# The build context as `.dockerignore` cuts it (its patterns as git exclude pathspecs; it uses no `!` lines),
# hashed with the Dockerfile, .dockerignore and the base images' ids.
source_hash() {
  local pathspecs=() pattern
  while IFS= read -r pattern; do
    pattern="$(printf '%s' "${pattern%%#*}" | sed 's/^[[:space:]]*//;s/[[:space:]]*$//')"
    [ -n "$pattern" ] && pathspecs+=(":(glob,exclude)${pattern#/}")
  done < .dockerignore
  {
    git ls-files --cached --others --exclude-standard -- . "${pathspecs[@]}" \
      | sort | while read -r f; do [ -f "$f" ] && sha256sum "$f"; done
    sha256sum Dockerfile .dockerignore
    buildah "${store[@]}" images --no-trunc --quiet localhost/debian:bookworm-slim
    buildah "${store[@]}" images --no-trunc --quiet "$build_image"
  } | sha256sum | cut -c1-16
}

bud() {
  # --jobs 2: the runtime stage's apt-get (network) runs while the build stage compiles.
  buildah "${store[@]}" bud --isolation chroot --layers --jobs 2 \
    --build-arg BUILD_IMAGE="$build_image" \
    --build-arg RUNTIME_IMAGE=localhost/debian:bookworm-slim \
    --build-arg MAVEN_USER_HOME=/host-m2 \
    --build-arg MAVEN_ARGS="--offline -Dmaven.repo.local=/host-m2/repository" \
    --volume "$HOME/.m2:/host-m2:O" \
    --tag "localhost/domain-operator:$hash" --tag localhost/domain-operator:ci \
    -f Dockerfile . > "$cache/build.log" 2>&1
}

build_project_image() {
  if ! bud; then
    # A fresh machine runs this before any host build filled ~/.m2 (the Maven wrapper's own distribution
    # included): fill it once on the host, which trusts the re-signing CA, then build offline again.
    tail -n 5 "$cache/build.log" >&2
    log "the offline image build failed; filling the host's ~/.m2 with a host build, then building again"
    (JAVA_HOME="$(find_jdk21)" ./mvnw -B -q -DskipTests -pl controller -am package) >&2
    bud && { grep -m1 '^jdeps:' "$cache/build.log" >&2 || true; return 0; }
    tail -n 40 "$cache/build.log" >&2
    log "buildah bud failed; the whole log: $cache/build.log"
    return 1
  fi
  grep -m1 '^jdeps:' "$cache/build.log" >&2 || true
}

# second_name LAYOUT: names the layout's one image localhost/domain-operator:ci too, as a second push of it would:
# index.json gets a copy of its one manifest entry with that name. A second push compressed every layer again
# (half of the export's CPU); its index.json was the same. Fails, changing nothing, on an index of another shape.
second_name() {
  local index entry
  index="$(cat "$1/index.json")"
  entry="${index#'{"schemaVersion":2,"manifests":['}"
  entry="${entry%']}'}"
  [ "$entry" != "$index" ] && [[ "$entry" != *'},{'* ]] \
    && [[ "$entry" == *"\"org.opencontainers.image.ref.name\":\"localhost/domain-operator:$hash\""* ]] || return 1
  printf '{"schemaVersion":2,"manifests":[%s,%s]}' "$entry" \
    "${entry/"localhost/domain-operator:$hash\""/"localhost/domain-operator:ci\""}" > "$1/index.json"
}

export_archive() {
  # An OCI layout with both names, then tarred: an oci-archive push keeps one name only.
  # gzip level 1: the archive only travels on this machine's disk; the default level took 60 % more CPU for a
  # 6 % smaller archive. (buildah 1.28 ignores --disable-compression for oci: destinations.)
  local layout
  layout="$(mktemp -d)"
  buildah "${store[@]}" push --quiet --compression-level 1 "localhost/domain-operator:$hash" \
    "oci:$layout:localhost/domain-operator:$hash"
  second_name "$layout" || buildah "${store[@]}" push --quiet --compression-level 1 "localhost/domain-operator:$hash" \
    "oci:$layout:localhost/domain-operator:ci"
  tar -C "$layout" -cf "$archive.part" . && mv "$archive.part" "$archive"
  rm -rf "$layout"
}

step "tools (buildah, debootstrap, podman, runc)" install_tools
step "base image localhost/debian:bookworm-slim" base_runtime_image
step "build image (host JDK)" base_build_image
hash="$(source_hash)"
archive="$cache/domain-operator-$hash.oci.tar"
if [ -s "$archive" ]; then
  log "image localhost/domain-operator:$hash cached: $archive"
else
  step "image localhost/domain-operator:$hash (buildah bud)" build_project_image
  step "export $archive" export_archive
  # Older archives and images are superseded; the layer cache in the storage stays for the next build.
  find "$cache" -maxdepth 1 -name 'domain-operator-*.oci.tar' ! -name "domain-operator-$hash.oci.tar" -delete
fi
ln -sfn "domain-operator-$hash.oci.tar" "$cache/domain-operator.oci.tar"
printf 'localhost/domain-operator:%s\nlocalhost/domain-operator:ci\n' "$hash" > "$cache/domain-operator.ref"
# Unpacked, as `podman images` counts it (the archive holds the compressed layers).
size_bytes="$(podman "${store[@]}" image inspect --format '{{.Size}}' "localhost/domain-operator:$hash" 2>/dev/null || echo 0)"
log "image localhost/domain-operator:$hash: $((size_bytes / 1024 / 1024)) MiB unpacked, archive $(( $(stat -L -c %s "$archive") / 1024 / 1024 )) MiB"
