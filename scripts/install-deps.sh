#!/usr/bin/env bash
# Installs what the demo and the tests need, on Debian 12, then the npm dependencies.
# Safe to run again: it installs only what is missing.
#
#   Debian packages: nodejs and npm (when `node` or `npm` is missing), orthanc,
#   orthanc-dicomweb, dcmtk, iproute2 (ip), util-linux (unshare) and openssl.
#   npm: `npm ci`, skipped when node_modules was installed from this very package-lock.json.
#
# Installing the orthanc package would normally start Orthanc's system service, which listens
# on every interface. This script keeps it from starting, and leaves it disabled.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ORTHANC_PID_FILE=/run/orthanc.pid
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

system_orthanc_running() {
  if [ -d /run/systemd/system ] && systemctl is-active --quiet orthanc.service 2>/dev/null; then
    return 0
  fi

  [ -s "$ORTHANC_PID_FILE" ] && kill -0 "$(cat "$ORTHANC_PID_FILE")" 2>/dev/null
}

# The tests and the demo start their own Orthancs in a private network namespace; the one of
# the Debian package would listen on every interface, so it stays off.
disable_system_orthanc() {
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable orthanc.service >/dev/null 2>&1 || true
  fi
  if command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d orthanc disable >/dev/null 2>&1 || true
  fi

  if system_orthanc_running; then
    log "stopping the Orthanc system service that the install started"
    if [ -d /run/systemd/system ]; then
      systemctl stop orthanc.service
    else
      /etc/init.d/orthanc stop
    fi
  fi

  if system_orthanc_running; then
    log "the Orthanc system service is still running; stop it with: systemctl stop orthanc" >&2
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

  case " ${packages[*]} " in
    *" orthanc "*) disable_system_orthanc ;;
  esac
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
  log "Debian packages present (node, npm, orthanc, orthanc-dicomweb, dcmtk, ip, unshare, openssl)"
fi

install_node_modules
log "using Node.js $(node_modules/.bin/node --version) from the pinned node dev dependency"
