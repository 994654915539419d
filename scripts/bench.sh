#!/usr/bin/env bash
# Runs the benchmarks the way BENCHMARKS.md reports them: installs what they need
# (scripts/install-deps.sh: nginx, wrk, curl, Orthanc, dcmtk, the npm dependencies), builds the
# product (the bench measures the compiled dist/), then `npm run bench` with any options given:
#
#   bash scripts/bench.sh                                # every section at full size
#   bash scripts/bench.sh --only large --size-mib 256    # a subset, smaller
#
# Everything runs on loopback inside a network namespace of its own (scripts/in-netns.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
npm run build
npm run bench -- "$@"
