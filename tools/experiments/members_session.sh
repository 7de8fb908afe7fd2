#!/usr/bin/env bash
# The MEMBERS table of recipe_sweep.py on one GPU machine, eight compiled processes at once, then its ensembles ($OUT):
#   source .carry/setup.sh && bash tools/experiments/members_session.sh
set -uo pipefail
out=${OUT:-/tmp/members}; mkdir -p "$out/lp"; d=/tmp/members_data
tsgpt-prepare --source "$TINYSTORIES_DIR" --out_dir $d/gpt2 > "$out/prepare.log" 2>&1 &
tsgpt-prepare --source "$TINYSTORIES_DIR" --out_dir $d/bpe4096 --tokenizer bpe:4096 >> "$out/prepare.log" 2>&1 &
wait
args=(--data gpt2=$d/gpt2 --data bpe4096=$d/bpe4096 --table members --save "$out/lp" --out "$out/members.jsonl"
      --max_seconds ${MAX_SECONDS:-420} --compile)
names=$(python3 -c "import sys; sys.path.insert(0, 'tools/experiments'); from recipe_sweep import MEMBERS; print(' '.join(m[0] for m in MEMBERS))")
for only in $names; do
  python3 tools/experiments/recipe_sweep.py "${args[@]}" --only $only >> "$out/runs.log" 2>&1 &
done
wait
grep -v -i warn "$out/runs.log" | tail -40
python3 tools/experiments/recipe_sweep.py "${args[@]}" --ensembles 2>&1 | tee "$out/ensembles.log"
