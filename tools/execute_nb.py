"""Execute notebooks in place and keep their outputs, honouring nbdev's test flags.

    python tools/execute_nb.py nbs/05_training.ipynb                  # CPU: skips `#| slow` and `#| cuda` cells
    python tools/execute_nb.py nbs/05_training.ipynb --flags "cuda"   # on a GPU machine: runs the cuda cells too

Cells skipped by a flag keep the outputs they had (e.g. the ones a GPU run stored), so a CPU re-run never wipes
GPU results. This is how every committed output in the course is produced: by a real run, never by hand.
Unlike `nbdev_test`, it does not set IN_TEST, so notebooks use their real (learner) settings.
"""
import argparse, os, sys, time
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from nbdev.config import get_config
from nbdev.process import NBProcessor, extract_directives

def execute(path, flags=()):
    path = Path(path).resolve()
    skip = set(get_config().tst_flags.split()) - set(flags)
    nb = read_nb(path)
    def preproc(cell):
        if cell.cell_type != "code" or "nbdev_export(" in cell.source: return True
        ds = extract_directives(cell, remove=False)
        if ds.get("eval:", [""])[0].lower() == "false": return True
        if skip & ds.keys(): return True
        cell.outputs, cell.execution_count = [], None  # a re-run replaces old outputs, even with none
        return False
    shell = CaptureShell(path)
    shell.set_path(path.parent)
    cwd = os.getcwd()
    os.chdir(path.parent)
    t0 = time.time()
    try: shell.run_all(nb, exc_stop=True, preproc=preproc)
    finally: os.chdir(cwd)
    write_nb(nb, path)
    return time.time() - t0

if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--flags", default="", help="space-separated test flags to run (e.g. 'slow cuda')")
    a = p.parse_args()
    for nbp in a.notebooks:
        print(f"{nbp}: {execute(nbp, a.flags.split()):.0f}s", flush=True)
    sys.exit(0)
