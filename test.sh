#!/usr/bin/env bash
# Runs every test. Needs ../shared/data beside the repository (or CXRQA_DATA); installs missing Debian test tools.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-test-deps.sh
dotnet build CxrQa.sln -c Release
dotnet test CxrQa.sln -c Release --no-build "$@"
