#!/usr/bin/env bash
# Installs what the demo and the tests need, on Debian 12, then the npm dependencies.
# Safe to run again: it installs only what is missing.
#
#   Debian packages: nodejs and npm (when `node` or `npm` is missing), orthanc,
#   orthanc-dicomweb, dcmtk, iproute2 (ip), util-linux (unshare), openssl, and for the
#   benchmarks nginx, wrk and curl.
#   npm: `npm ci`, skipped when node_modules was installed from this very package-lock.json.
#
# Installing the orthanc or nginx package would normally start its system service, which
# listens on every interface. This script keeps them from starting, and leaves them disabled:
# the tests and benchmarks start their own, on loopback.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

POLICY_RC=/usr/sbin/policy-rc.d

log() {
  echo "install-deps: $*"
}

is_installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

missing_packages() {
  local -a missing=()
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  local package
  for package in orthanc orthanc-dicomweb dcmtk; do
    is_installed "$package" || missing+=("$package")
  done
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
  # The TLS tests make a throwaway certificate with the openssl command.
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  # The benchmarks: nginx as the reference proxy, wrk and curl as the load.
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)

  echo "${missing[@]}"
}

# A policy-rc.d that answers 101 ("action forbidden") keeps maintainer scripts from starting
# services. One already there (as in Docker images) is left alone.
deny_service_starts() {
  if [ -e "$POLICY_RC" ]; then
    return
  fi

  printf '#!/bin/sh\n# Written by install-deps.sh for the duration of apt-get install.\nexit 101\n' \
    >"$POLICY_RC"
  chmod 755 "$POLICY_RC"
  trap 'rm -f "$POLICY_RC"' EXIT
}

# Usage: system_service_running <service> <pid file>
system_service_running() {
  local service="$1" pid_file="$2"
  if [ -d /run/systemd/system ] && systemctl is-active --quiet "$service.service" 2>/dev/null; then
    return 0
  fi

  [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# The tests, the demo and the benchmarks start their own Orthancs and nginx on loopback; those
# of the Debian packages would listen on every interface, so they stay off.
# Usage: disable_system_service <service> <pid file>
disable_system_service() {
  local service="$1" pid_file="$2"
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable "$service.service" >/dev/null 2>&1 || true
  fi
  if command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d "$service" disable >/dev/null 2>&1 || true
  fi

  if system_service_running "$service" "$pid_file"; then
    log "stopping the $service system service that the install started"
    if [ -d /run/systemd/system ]; then
      systemctl stop "$service.service"
    else
      "/etc/init.d/$service" stop
    fi
  fi

  if system_service_running "$service" "$pid_file"; then
    log "the $service system service is still running; stop it with: systemctl stop $service" >&2
    exit 1
  fi
}

install_packages() {
  local -a packages=("$@")
  if [ "$(id -u)" != "0" ]; then
    echo "install-deps: missing Debian packages: ${packages[*]}" >&2
    echo "install-deps: run this script as root, or install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 1
  fi

  log "installing Debian packages: ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  deny_service_starts
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

  local service
  for service in orthanc nginx; do
    case " ${packages[*]} " in
      *" $service "*) disable_system_service "$service" "/run/$service.pid" ;;
    esac
  done
}

# npm ci starts from an empty node_modules; skip it when node_modules already came from this
# package-lock.json (the stamp is written inside node_modules, so npm ci clears it).
install_node_modules() {
  local stamp=node_modules/.install-deps.sha256
  local lock_sum
  lock_sum="$(sha256sum package-lock.json package.json)"
  if [ -x node_modules/.bin/node ] && [ "$(cat "$stamp" 2>/dev/null)" = "$lock_sum" ]; then
    log "node_modules is up to date with package-lock.json"
    return
  fi

  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >"$stamp"
}

read -r -a missing <<<"$(missing_packages)"
if [ "${#missing[@]}" -gt 0 ]; then
  install_packages "${missing[@]}"
else
  log "Debian packages present (node, npm, orthanc, orthanc-dicomweb, dcmtk, ip, unshare, openssl," \
    "nginx, wrk, curl)"
fi

install_node_modules
log "using Node.js $(node_modules/.bin/node --version) from the pinned node dev dependency"
