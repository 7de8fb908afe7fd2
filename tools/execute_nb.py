"""Execute notebooks in place and keep their outputs, honouring nbdev's test flags.

    python tools/execute_nb.py nbs/05_training.ipynb                  # CPU: skips `#| slow` and `#| cuda` cells
    python tools/execute_nb.py nbs/05_training.ipynb --flags cuda,slow  # on a GPU machine: the cuda and slow cells too

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

class Shell(CaptureShell):
    "execnb's shell, except that a cell ending in `;` keeps its printed output (only its value is hidden, as in Jupyter)."
    def _run(self, raw_cell, *args, **kwargs):
        src = raw_cell.rstrip()
        if not src.endswith(";"): return super()._run(raw_cell, *args, **kwargs)
        res = super()._run(src[:-1], *args, **kwargs)
        res["quiet"] = True
        return res

def settle(text):
    "What a terminal shows for `text`: each carriage return overwrites its line (progress bars keep their last state)."
    return "\n".join(line.split("\r")[-1] if line.strip("\r") else "" for line in
                     [l.rstrip("\r") if l.strip("\r") else l for l in text.split("\n")])

def settle_outputs(cell):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            text = settle("".join(o["text"]))
            o["text"] = text.splitlines(True)

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
    shell = Shell(path)
    shell.set_path(path.parent)
    cwd = os.getcwd()
    os.chdir(path.parent)
    t0 = time.time()
    try: shell.run_all(nb, exc_stop=True, preproc=preproc, postproc=settle_outputs)
    finally: os.chdir(cwd)
    write_nb(nb, path)
    return time.time() - t0

if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--flags", default="", help="test flags to run, separated by spaces or commas (e.g. 'cuda,slow')")
    a = p.parse_args()
    for nbp in a.notebooks:
        print(f"{nbp}: {execute(nbp, a.flags.replace(',', ' ').split()):.0f}s", flush=True)
    sys.exit(0)
