#!/usr/bin/env bash
# Provides a real Kubernetes API server for the *E2E suites in e2e/: kube-apiserver built from Debian's
# source package into $DOMAIN_OPERATOR_CACHE/kube-apiserver-<version>/ (once; later runs reuse it), etcd
# from Debian's etcd-server. When it cannot be built here, the suites skip and say why, and run against
# any cluster KUBECONFIG names instead (e2e/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh
bash e2e/build-kube-apiserver.sh || log "kube-apiserver unavailable (see above); the E2E suites will skip unless KUBECONFIG names a cluster"
