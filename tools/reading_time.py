"""Reading time of each notebook of the course: markdown words / 200 + code lines / 15, in minutes.

Only cells a reader sees count: `#| hide` (and `#| include: false`) cells are skipped; every line of a shown code
cell counts, as it takes room on the page.
`python tools/reading_time.py [NOTEBOOK ...]` (default: every nbs/*.ipynb that does not start with `_`).
"""
import json, re, sys
from pathlib import Path

WORDS_PER_MIN, CODE_LINES_PER_MIN = 200, 15

def directives(src): return [l[2:].strip() for l in src.splitlines() if l.startswith("#|")]

def hidden(src): return any(re.match(r"hide\b", d) or d.replace(" ", "") == "include:false" for d in directives(src))

def counts(path):
    "(markdown words, code lines) of the cells of notebook `path` that are shown."
    words = lines = 0
    for c in json.loads(Path(path).read_text(encoding="utf-8"))["cells"]:
        src = "".join(c["source"])
        if hidden(src): continue
        if c["cell_type"] == "markdown": words += len(src.split())
        elif c["cell_type"] == "code": lines += len(src.splitlines())
    return words, lines

def minutes(words, lines): return words / WORDS_PER_MIN + lines / CODE_LINES_PER_MIN

if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    paths = [Path(p) for p in sys.argv[1:]] or sorted(p for p in (root / "nbs").glob("*.ipynb") if not p.name.startswith("_"))
    total = 0.0
    print(f"{'notebook':28} {'words':>6} {'code':>5} {'minutes':>8}")
    for p in paths:
        w, l = counts(p)
        total += (m := minutes(w, l))
        print(f"{p.name:28} {w:6} {l:5} {m:8.1f}")
    print(f"{'total':28} {'':6} {'':5} {total:8.1f}")
