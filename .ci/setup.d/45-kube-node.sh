#!/usr/bin/env bash
# Provides a real one-node Kubernetes cluster for the suites annotated @KubeNode (e2e/README.md, "A real node"):
#   - kubelet, kube-controller-manager, kube-scheduler, kube-proxy and a static `pause`, built by
#     e2e/build-kube-apiserver.sh (40-kube-apiserver.sh ran it) into $DOMAIN_OPERATOR_CACHE/kube-node-<version>/
#   - the pause binary as an OCI image archive beside them (the pod sandbox image; no registry is reachable)
#   - Debian's containerd, runc and containernetworking-plugins (the container runtime and the pods' bridge)
# Each step prints how long it took. Without them the node suites skip and say which part is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh

timed() {
  local what=$1 start
  shift
  start=$(date +%s)
  "$@"
  log "kube node: $what took $(( $(date +%s) - start ))s"
}

timed "containerd, runc, CNI plugins, iptables, conntrack (apt)" \
  apt_install containerd runc containernetworking-plugins iptables conntrack
# The Debian package enables the host's own containerd; the suites run one of their own and need none.
timed "Kubernetes node binaries (cached after the first build)" \
  bash e2e/build-kube-apiserver.sh || log "Kubernetes node binaries unavailable (see above); the node suites will skip"
timed "pause image" bash e2e/build-pause-image.sh || log "no pause image (see above); the node suites will skip"
