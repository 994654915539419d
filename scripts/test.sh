#!/usr/bin/env bash
# Installs what the tests need (scripts/install-deps.sh), then runs all of them: typecheck,
# lint, unit tests, and the end-to-end tests with real Orthanc in a loopback-only namespace.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
npm test
