# syntax=docker/dockerfile:1.7
#
# domain-operator: one image, entrypoint the CLI. The chart runs it as
#   `agent`       the node agent, a privileged DaemonSet on every hypervisor node, and as
#   `controller`  the cluster controller, an unprivileged Deployment (2 replicas, one leader).
#
#   docker build -t domain-operator:0.1.0 .
#   docker build --build-arg HYPERVISOR_PACKAGES= -t domain-operator-controller:0.1.0 .   # no xl/QEMU
#
# What the agent needs from the host (the chart's DaemonSet mounts all of it; helm/domain-operator/README.md):
#   - Xen: the Xen hypervisor and a dom0 kernel with xenstored running on the host; /proc/xen (xenfs),
#     /dev/xen/* (through /dev), /run/xen and /run/xenstored (xenstored's socket, xl's locks), /var/lib/xen,
#     /var/log/xen. The image's xl (xen-utils-4.17) must match the host's Xen 4.17: libxenctrl talks to the
#     hypervisor with a version-specific ABI. For another Xen, set HYPERVISOR_PACKAGES to its xen-utils
#     (or base the runtime on the host distribution's release).
#   - QEMU backend: /dev/kvm (or TCG), /dev/net/tun for taps, bridges in the host network namespace
#     (hostNetwork), qemu-system-x86_64 from this image.
#   - /sys for PCI/USB discovery and pciback/vfio-pci binding (mounted at /host/sys, --sysfs-root),
#     /dev for the devices that appear after a bind (/dev/vfio/N), /lib/modules (read-only) for modprobe.
#   - /run/domainmgr (rendered xl files, QMP sockets), /persist/img (disk images and per-domain copies),
#     /var/lib/domain-operator (the journal: what the agent did, so a restarted agent picks up where it was).
#
# No Docker engine runs on the project's machines: CI builds this file unchanged with buildah from local base
# images (.ci/setup.d/70-image.sh) and e2e/.../image/ImageE2E runs the result; helm/domain-operator/README.md.

# Base images: the usual public ones. A machine without a registry builds its own and names them here
# (.ci/setup.d/70-image.sh: a debootstrapped Debian 12 and a build image carrying a JDK >= 21).
ARG BUILD_IMAGE=eclipse-temurin:21-jdk
ARG RUNTIME_IMAGE=debian:bookworm-slim

# --- build: the Maven wrapper builds controller/target/domain-operator.jar and its lib/, then jlink makes a
# runtime with only the modules those jars use.
FROM ${BUILD_IMAGE} AS build
# Modules no class names, so jdeps cannot see them: jdk.crypto.ec (TLS to the API server loads elliptic-curve
# support through a security provider).
ARG EXTRA_MODULES=jdk.crypto.ec
# Unset by default. MAVEN_ARGS (read by Maven itself) and MAVEN_USER_HOME (where the wrapper keeps Maven) let a
# machine without network build offline against a Maven repository it mounts (.ci/setup.d/70-image.sh).
ARG MAVEN_ARGS
ARG MAVEN_USER_HOME
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl controller -am package
WORKDIR /src/controller/target
# jdeps reads every jar, not only the classes domain-operator.jar reaches by reference: fabric8 finds its HTTP
# client (kubernetes-httpclient-jdk, which needs java.net.http) through ServiceLoader, which no class names.
# The runtime goes to /opt/jre: Temurin's images already hold the JDK under /opt/java.
RUN jdeps --ignore-missing-deps --multi-release 21 --print-module-deps domain-operator.jar lib/*.jar > /tmp/modules \
    && echo "jdeps: $(cat /tmp/modules)" \
    && jlink --add-modules "$(cat /tmp/modules),${EXTRA_MODULES}" \
          --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
          --output /opt/jre \
    && /opt/jre/bin/java --list-modules

# --- runtime --------------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
# xl for Xen hosts, QEMU for the qemu backend; empty for a controller-only image.
ARG HYPERVISOR_PACKAGES="xen-utils-4.17 qemu-system-x86"
# ip (tap devices onto bridges) and modprobe (pciback, vfio-pci, USB drivers) are run by the agent.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         ca-certificates iproute2 kmod ${HYPERVISOR_PACKAGES} \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 65532 domain-operator \
    && useradd --system --uid 65532 --gid 65532 --home-dir /nonexistent --no-create-home \
         --shell /usr/sbin/nologin domain-operator

COPY --from=build /opt/jre /opt/java
COPY --from=build /src/controller/target/domain-operator.jar /opt/domain-operator/domain-operator.jar
COPY --from=build /src/controller/target/lib/ /opt/domain-operator/lib/

ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:$PATH

LABEL org.opencontainers.image.title="domain-operator" \
      org.opencontainers.image.description="Runs Xen/QEMU virtual machines declared as DomainConfig objects"

# The controller runs as this user; the agent's pod asks for root (it drives the hypervisor).
USER 65532:65532
EXPOSE 9464
# The jar's manifest names lib/*.jar (Class-Path), so -jar is the whole command line.
# TieredStopAtLevel=1 (the C1 compiler only): the agent mostly waits on the hypervisor and the API server, and C2's own
# work cost more than it saved. In bench/ (1,000 domains on one agent) C2 compiled for a full core-minute during the
# creates, and kept recompiling at rest (1.1-1.4 % of a core against 0.4 % with C1 only); creation-to-Running was no
# slower with C1 only (bench/RESULTS.md).
ENTRYPOINT ["/opt/java/bin/java", "-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/domain-operator/domain-operator.jar"]
CMD ["--help"]
