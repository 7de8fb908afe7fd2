#!/usr/bin/env bash
# Wheels that the Colab simulation needs on a GPU machine without network (its image has no Jupyter kernel):
# ipykernel, nbclient, nbformat, ipywidgets and what they need, for the GPU image's CPython 3.12 on x86-64.
# Usage (project root, on the CPU machine, after `bash ../shared/gpu/make-carry.sh`):  bash tools/make_colab_carry.sh
# Then pass carry=[".carry", ".carry-colab"] to the device and run `bash tools/gpu_session.sh` there.
set -euo pipefail
root=$(git rev-parse --show-toplevel); cd "$root"
ex="$(git rev-parse --git-dir)/info/exclude"; grep -qxF /.carry-colab/ "$ex" 2>/dev/null || echo /.carry-colab/ >> "$ex"
rm -rf .carry-colab && mkdir -p .carry-colab/whl
python3 -m pip download -q --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d .carry-colab/whl ipykernel nbclient nbformat ipywidgets
du -sh .carry-colab
