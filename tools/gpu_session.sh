#!/usr/bin/env bash
# Everything the learner's path needs checked on a GPU, in the order that works on the lent GPU machine:
#   bash tools/gpu_session.sh                    # colab, check, then the stored GPU outputs of 05 (logs in $OUT)
#   bash tools/gpu_session.sh check              # one stage: colab | check | outputs NB...
# colab:   "Run all" of every notebook in the T4 profile (tools/run_like_colab.py; COLAB_NBS="nbs/05_training.ipynb" for some). It runs first: the machine's Python
#          must not hold this package or nbdev yet, since the notebooks' setup cells are what install them.
# check:   installs the carried wheels and this checkout (.carry/setup.sh), then tools/gpu_check.py (native and T4).
# outputs: re-makes the stored outputs of the GPU cells (tools/execute_nb.py --flags cuda), default 05_training;
#          NB_FLAGS=cuda,slow re-makes the slow cells too (then the whole notebook comes from one machine).
# Needs carry=[".carry", ".carry-colab"] (bash ../shared/gpu/make-carry.sh; bash tools/make_colab_carry.sh).
set -uo pipefail
out=${OUT:-/tmp/gpu_session}; mkdir -p "$out"
export PYTHONUNBUFFERED=1 TIKTOKEN_CACHE_DIR=$PWD/.carry/tiktoken_cache HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1
export TINYSTORIES_DIR=$PWD/.carry/tinystories
stages=("$@"); [ ${#stages[@]} -gt 0 ] || stages=(colab check outputs)
status=0
setup() { [ -n "${ready:-}" ] || { source .carry/setup.sh; ready=1; }; }  # install the carried wheels and this checkout, once
run_nb() {  # re-make a notebook's stored outputs, its GPU cells included; the notebook comes back in $out
  setup; local nb; nb=$(basename "$1" .ipynb)
  python3 tools/execute_nb.py "nbs/$nb.ipynb" --flags "${NB_FLAGS:-cuda}" > "$out/execute_$nb.log" 2>&1 && cp "nbs/$nb.ipynb" "$out/" || status=1
  tail -2 "$out/execute_$nb.log"
}
for s in "${stages[@]}"; do
  case "$s" in
    colab)
      python3 -m pip install -q --no-index --find-links .carry-colab/whl nbclient ipykernel 2>&1 | grep -v -i warn
      python3 -m pip uninstall -y -q tinystories_gpt nbdev 2>/dev/null
      TSGPT_PROFILE=t4 python3 tools/run_like_colab.py --small --system-site-packages --jobs ${COLAB_JOBS:-4} \
        --find-links .carry/whl --find-links .carry-colab/whl ${COLAB_NBS:-} 2>&1 | grep -v WARN | tee "$out/colab_t4.log" | grep -E "^(ok|FAIL)|Run all" || status=1
      grep -q "0 failed" "$out/colab_t4.log" || status=1 ;;
    check)
      setup
      python3 tools/gpu_check.py --logs "$out/gpu_check_logs" --json "$out/gpu_check.json" 2>&1 | tee "$out/gpu_check.log" | tail -30 || status=1 ;;
    outputs) run_nb 05_training ;;
    *.ipynb|[0-9]*) run_nb "$s" ;;
    *) echo "unknown stage $s: use colab, check, outputs or a notebook name"; exit 2 ;;
  esac
done
exit $status
