#!/usr/bin/env bash
# Installs what the demo needs (scripts/install-deps.sh), then runs scripts/demo/main.ts in a
# network namespace of its own whose only interface is loopback: an OAuth server, a
# token-protected "cloud" Orthanc, dicomweb-oauth and a "local" Orthanc, a study sent out with
# STOW-RS, found with QIDO-RS and brought back with WADO-RS. Everything stops at the end.
#
#   DEMO_KEEP=1 bash scripts/demo.sh   keeps it all running until Ctrl-C, to look around.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
echo

# The project's pinned Node.js 24 runs the TypeScript walkthrough directly.
export PATH="$PWD/node_modules/.bin:$PATH"
DEMO_HOST_UID="$(id -u)"
export DEMO_HOST_UID
exec bash scripts/in-netns.sh node scripts/demo/main.ts
