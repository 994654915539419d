#!/usr/bin/env bash
# Runs a command inside a fresh network namespace whose only interface is loopback.
# Orthanc listens on every interface and cannot be told otherwise, so the end-to-end tests
# start it only where "every interface" means loopback alone.
set -euo pipefail

if [ "${DICOMWEB_OAUTH_NETNS:-}" = "1" ]; then
  exec "$@"
fi

userns=()
if [ "$(id -u)" != "0" ]; then
  userns=(--map-root-user)
fi

export DICOMWEB_OAUTH_NETNS=1
exec unshare --net "${userns[@]}" -- bash -c 'ip link set lo up && exec "$@"' netns "$@"
