#!/usr/bin/env bash
# Runs every test. Needs ../shared/data beside the repository (or CXRQA_DATA).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build CxrQa.sln -c Release
dotnet test tests/CxrQa.Tests -c Release --no-build --logger "console;verbosity=normal" "$@"
