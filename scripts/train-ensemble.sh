#!/usr/bin/env bash
# Trains the shipped deep ensemble from scratch: three members on one patient split (--split-seed 42), each with its
# own seed (weights' training order, augmentation draws), then merges and calibrates them.
# Usage: scripts/train-ensemble.sh [DATA] [OUT] [MINUTES_PER_MEMBER]
# Each member fits a session on the 2-core machine with --max-minutes; rerun with the same arguments to --resume.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data/kermany-224/train}"
out="${2:-models/cxrqa-ensemble-resnet18}"
minutes="${3:-30}"
work="${CXRQA_MEMBERS_DIR:-$HOME/.cache/cxrqa/members}"
mkdir -p "$work"
dotnet build src/CxrQa.Cli -c Release
cli="dotnet src/CxrQa.Cli/bin/Release/net10.0/linux-x64/cxrqa.dll"
members=()
for seed in 101 102 103; do
  resume=()
  [[ -f "$work/m$seed/checkpoints/last.json" ]] && resume=(--resume)
  $cli train --data "$data" --out "$work/m$seed" --train-layers layer3,layer4 --epochs 4 --max-minutes "$minutes" \
    --seed "$seed" --split-seed 42 --calibration-fraction 0.25 --no-fp16 "${resume[@]}"
  members+=("$work/m$seed")
done
$cli ensemble --members "${members[@]}" --out "$out" --data "$data"
