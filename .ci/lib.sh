# Shared helpers for .ci/run and the scripts in .ci/setup.d (sourced, not run).
# Everything heavy is cached outside the repo, keyed by version, so later runs reuse it.
export DOMAIN_OPERATOR_CACHE="${DOMAIN_OPERATOR_CACHE:-$HOME/.cache/domain-operator}"
mkdir -p "$DOMAIN_OPERATOR_CACHE"

log() { printf '[ci %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# apt_install PKG...: installs what is missing; runs `apt-get update` at most once per machine boot.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ ! -e "/tmp/domain-operator-apt-updated" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    touch /tmp/domain-operator-apt-updated
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# find_jdk21: prints a JAVA_HOME whose java is 21 or newer.
find_jdk21() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*)
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    local v
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

# apt_update_once: `apt-get update` unless this boot already did it (for apt-get download / source).
apt_update_once() {
  if [ ! -e "/tmp/domain-operator-apt-updated" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    touch /tmp/domain-operator-apt-updated
  fi
}
