#!/usr/bin/env bash
# Podman as this project runs it (deploy/README.md, "Containers on one machine"): Debian's podman
# with runc (crun fails on hosts with hybrid cgroups) and default ulimits within what an
# unprivileged sandbox may set. Installs what is missing when run as root on Debian.
set -euo pipefail
missing=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
    echo "needs ${missing[*]} (apt-get install -y podman runc debootstrap, as root)" >&2; exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >/dev/null
fi
conf=/etc/containers/containers.conf.d/50-triggerlayer.conf
if [[ ! -f $conf && $(id -u) == 0 ]]; then
  mkdir -p "$(dirname "$conf")"
  cat > "$conf" <<'CONF'
[engine]
runtime = "runc"
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=1024:1024"]
CONF
fi
