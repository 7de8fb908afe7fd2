#!/usr/bin/env bash
# Screenshots of the rendered notebooks, for a read-through as a new reader sees them (no Quarto binary here):
#   bash tools/render_pages.sh [NOTEBOOK ...]      # default: index and every numbered notebook; PNGs in /tmp/render
# Pre-renders with nbdev_proc_nbs (what the docs build executes), converts to HTML with nbconvert, and screenshots each
# page with headless Chromium, cut into 1280 x 1500 pieces. Needs: pip install nbconvert; apt-get install chromium.
set -euo pipefail
out=${RENDER_DIR:-/tmp/render}; mkdir -p "$out"
nbdev_proc_nbs > "$out/proc.log" 2>&1
names=("$@"); [ ${#names[@]} -gt 0 ] || names=(index $(cd nbs && ls [0-9]*.ipynb | sed 's/\.ipynb$//'))
for nb in "${names[@]}"; do
  nb=$(basename "$nb" .ipynb)
  jupyter nbconvert --to html --output-dir "$out" "_proc/$nb.ipynb" > /dev/null 2>&1
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,16000 \
    --screenshot="$out/$nb.png" "file://$out/$nb.html" 2> /dev/null
  python3 - "$out/$nb.png" <<'PY'
import sys
from PIL import Image
p = sys.argv[1]; im = Image.open(p); w, h = im.size
for k in range(0, h, 1500): im.crop((0, k, w, min(h, k + 1500))).save(p.replace(".png", f"_{k // 1500:02d}.png"))
PY
  echo "$nb: $out/${nb}_*.png"
done
