#!/usr/bin/env bash
# The LEVERS table of recipe_sweep.py on one GPU machine, eight processes at once, then the ensembles (results in $OUT):
#   source .carry/setup.sh && bash tools/experiments/levers_session.sh
set -uo pipefail
out=${OUT:-/tmp/levers}; mkdir -p "$out/lp"; d=/tmp/levers_data
tsgpt-prepare --source "$TINYSTORIES_DIR" --out_dir $d/gpt2 > "$out/prepare.log" 2>&1
tsgpt-prepare --source "$TINYSTORIES_DIR" --out_dir $d/bpe4096 --tokenizer bpe:4096 >> "$out/prepare.log" 2>&1
args=(--data gpt2=$d/gpt2 --data bpe4096=$d/bpe4096 --table levers --save "$out/lp" --out "$out/levers.jsonl" --max_seconds ${MAX_SECONDS:-400})
for only in b_12x768_d3_wd05_e24 b_8x512_d3_wd05_e32 b_8x512_d2_wd1_e32 g_6x384_d2_wd1_e32 \
            b_6x384_d2_wd01_e32,b_6x384_d2_wd01_e32_s2 b_6x384_d2_wd05_e32,b_6x384_d2_wd1_e32 \
            b_6x384_d2_wd1_e32_s2,b_6x384_d1_wd1_e32 b_6x384_d2_wd1_e48; do
  python3 tools/experiments/recipe_sweep.py "${args[@]}" --only $only >> "$out/runs.log" 2>&1 &
done
wait
cat "$out/runs.log" | grep -v -i warn
python3 tools/experiments/recipe_sweep.py "${args[@]}" --ensembles 2>&1 | tee "$out/ensembles.log"
