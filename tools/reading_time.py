"""Reading time of each notebook of the course: markdown words / 200 + code lines / 15, in minutes.

Only cells a reader sees count: `#| hide` (and `#| include: false`) cells are skipped; every line of a shown code
cell counts, as it takes room on the page. `main` is the time up to a notebook's `## Appendix` section, if it has one
(a deep dive at its end, off the main path).
`python tools/reading_time.py [NOTEBOOK ...]` (default: every nbs/*.ipynb that does not start with `_`).
"""
import json, re, sys
from pathlib import Path

WORDS_PER_MIN, CODE_LINES_PER_MIN = 200, 15

def directives(src): return [l[2:].strip() for l in src.splitlines() if l.startswith("#|")]

def hidden(src): return any(re.match(r"hide\b", d) or d.replace(" ", "") == "include:false" for d in directives(src))

def is_appendix(cell): return cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith("## Appendix")

def cell_minutes(cell):
    "Reading time of one cell: 0 for a hidden one."
    src = "".join(cell["source"])
    if hidden(src): return 0.0
    if cell["cell_type"] == "markdown": return len(src.split()) / WORDS_PER_MIN
    if cell["cell_type"] == "code": return len(src.splitlines()) / CODE_LINES_PER_MIN
    return 0.0

def minutes(path):
    "(total, main path) reading time of notebook `path`, in minutes."
    total = main = 0.0
    in_appendix = False
    for c in json.loads(Path(path).read_text(encoding="utf-8"))["cells"]:
        in_appendix = in_appendix or is_appendix(c)
        m = cell_minutes(c)
        total += m
        if not in_appendix: main += m
    return total, main

if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    paths = [Path(p) for p in sys.argv[1:]] or sorted(p for p in (root / "nbs").glob("*.ipynb") if not p.name.startswith("_"))
    sums = [0.0, 0.0]
    print(f"{'notebook':28} {'minutes':>8} {'main':>6}")
    for p in paths:
        total, main = minutes(p)
        sums[0] += total; sums[1] += main
        print(f"{p.name:28} {total:8.1f} {main:6.1f}")
    print(f"{'total':28} {sums[0]:8.1f} {sums[1]:6.1f}")
