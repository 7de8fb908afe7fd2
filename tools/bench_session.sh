#!/usr/bin/env bash
# The training benchmarks on a GPU machine, in one call (results and logs in $OUT):
#   bash tools/bench_session.sh            # curves, then sweep + push, then profiles
#   bash tools/bench_session.sh curves     # one stage: curves | speed | profile
# curves:  every lever's loss over 200 steps on the sample, one process per lever at once (timing does not matter)
# speed:   tsgpt-bench --suite train --only sweep,push, one row after the other on an otherwise idle GPU
# profile: tools/profile_step.py for ours124 and for the levers that run
# Needs carry=[".carry"] (bash ../shared/gpu/make-carry.sh).
set -uo pipefail
out=${OUT:-/tmp/bench_session}; mkdir -p "$out"
source .carry/setup.sh
stages=("$@"); [ ${#stages[@]} -gt 0 ] || stages=(curves speed profile)
for s in "${stages[@]}"; do
  case "$s" in
    curves)
      names=$(python3 -c "from tinystories_gpt.perf_lab import TRAIN_SETS; print(TRAIN_SETS['curves'].replace(',', ' '))")
      for n in $names; do
        tsgpt-bench --suite curves --only "$n" --device cuda --out "/tmp/curve_$n.json" > "/tmp/curve_$n.log" 2>&1 &
      done
      wait
      tail -q -n 2 /tmp/curve_*.log
      python3 - "$out/curves.json" /tmp/curve_*.json <<'PY'
import sys
from tinystories_gpt.bench import load_rows, save_rows
for p in sys.argv[2:]: save_rows(load_rows(p), sys.argv[1])
PY
      ;;
    speed) tsgpt-bench --suite train --only ${ONLY:-sweep,push} --device cuda --out "$out/train.json" 2>&1 | tee "$out/train.log" ;;
    profile)
      for l in "" fused_ce fp8; do
        python3 tools/profile_step.py --levers "$l" --out "$out/profile_${l:-plain}.txt" 2>&1 | head -14
      done ;;
    *) echo "unknown stage $s: use curves, speed or profile"; exit 2 ;;
  esac
done
