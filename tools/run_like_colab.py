"""Run the notebooks as Colab's "Run all" does, to test the learner's path.

    python tools/run_like_colab.py --small                  # every notebook, on this machine's CPU, small settings
    TSGPT_PROFILE=t4 python tools/run_like_colab.py --system-site-packages    # on a GPU machine, with a T4's rules

What it reproduces:
- a fresh virtual environment without this package or nbdev: only what Colab has before a notebook starts (PyTorch,
  numpy, matplotlib, pandas, tqdm, ipywidgets and a Jupyter kernel). `--system-site-packages` takes those from the
  Python running this script instead (a GPU machine's CUDA build of PyTorch, which pip cannot fetch offline);
- a kernel in which `google.colab` is imported, as on Colab, so that each notebook's setup cell installs the package
  itself: the spec in TSGPT_PIP_SPEC, which this script points at a wheel built from this checkout (with the `dev`
  extra, as the setup cell asks);
- every cell of every notebook, in order, with nbclient, whatever its `#| ...` flags: "Run all" knows no flags, so a
  notebook must get through by itself (its setup cell makes `#| cuda` cells skip on a CPU runtime and `#| slow` cells
  skip unless RUN_SLOW);
- TINYSTORIES_DIR, TIKTOKEN_CACHE_DIR, HF_*_OFFLINE and TSGPT_PROFILE pass through to the kernel. `--small` sets
  IN_TEST=1, so that the notebooks pick their test-size settings (CI's 2-core CPU).

It prints one line per notebook with its wall time, then `N passed, N failed`; the exit status is 1 if any failed.
Offline machines pass `--find-links DIR` (wheels for the kernel's packages and the package's requirements).
"""
import argparse, glob, json, os, re, shutil, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLAB_BASE = ["numpy", "matplotlib", "pandas", "tqdm", "ipywidgets", "ipykernel"]  # preinstalled on Colab (+ torch)


def sh(*cmd, env=None):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env)
    if r.returncode: raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r.stdout


def make_venv(venv: Path, system_site: bool, pip_env: dict):
    "A fresh environment with Colab's preinstalled packages only."
    if venv.exists(): shutil.rmtree(venv)
    sh(sys.executable, "-m", "venv", venv)
    py = venv / "bin" / "python"
    base = list(COLAB_BASE)
    if system_site:  # this Python's packages, after the environment's own (this Python may itself be a venv)
        import site
        own = Path(sh(py, "-c", "import site; print(site.getsitepackages()[0])").strip())
        (own / "_colab_base.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    else:
        import torch  # the same PyTorch as this machine's (a CPU wheel here; Colab's is a CUDA build)
        base.insert(0, f"torch=={torch.__version__.split('+')[0]}")
    sh(py, "-m", "pip", "install", "-q", *base, env=pip_env)
    for name in ("tinystories_gpt", "nbdev"):
        r = subprocess.run([py, "-c", f"import {name}"], capture_output=True, cwd=venv)  # not this checkout
        if r.returncode == 0: raise SystemExit(f"the fresh environment already has {name}: it would not test the setup cell")
    return py


def build_wheel(out: Path, pip_env: dict) -> Path:
    "A wheel of this checkout: what `pip install tinystories_gpt==<version>` would bring."
    sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", out, ROOT, env=pip_env)
    return next(out.glob("tinystories_gpt-*.whl"))


def colab_kernel(py: Path, home: Path, env: dict) -> str:
    "A kernelspec for `py` whose kernels start with `google.colab` imported; returns its name."
    fake = home / "fake_colab" / "google" / "colab"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('"""Stands in for Colab\'s module: its presence is what the setup cell looks for."""\n')
    startup = home / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab\n")
    kdir = home / "jupyter" / "kernels" / "colab-sim"
    kdir.mkdir(parents=True)
    kenv = {**env, "IPYTHONDIR": str(home / "ipython"),
            "PYTHONPATH": os.pathsep.join([str(home / "fake_colab"), *filter(None, [env.get("PYTHONPATH")])])}
    spec = dict(argv=[str(py), "-m", "ipykernel_launcher", "-f", "{connection_file}"], display_name="Colab (simulated)",
                language="python", env=kenv)
    (kdir / "kernel.json").write_text(json.dumps(spec, indent=1))
    os.environ["JUPYTER_PATH"] = str(home / "jupyter")
    return "colab-sim"


def run_notebook(path: Path, kernel: str, timeout: int) -> tuple:
    "Execute every cell of `path` in order; (ok, seconds, message)."
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    try:
        client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, resources={"metadata": {"path": str(path.parent)}})
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log (pip's notices); cell outputs and errors stay
        return True, time.perf_counter() - t0, ""
    except CellExecutionError as e:
        return False, time.perf_counter() - t0, re.sub(r"\x1b\[[0-9;]*m", "", str(e)).strip()[-2500:]  # without colours
    except Exception as e:
        return False, time.perf_counter() - t0, f"{type(e).__name__}: {e}"[-2500:]


CPU_SECONDS = {"00_tokenizer": 22, "01_data": 29, "01a_runtime": 7, "02_attention": 7, "03_block": 8, "04_gpt": 44,
               "05_training": 51, "06_sampling": 35, "06a_export": 54, "07_benchmarking": 19, "08_fast_decoding": 14,
               "09_performance_lab": 96}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="notebooks to run (default: nbs/[0-9]*.ipynb)")
    ap.add_argument("--small", action="store_true", help="IN_TEST=1: the notebooks' test-size settings")
    ap.add_argument("--system-site-packages", action="store_true", help="take Colab's base packages from this Python")
    ap.add_argument("--find-links", action="append", default=[], help="a folder of wheels (offline machines)")
    ap.add_argument("--jobs", type=int, default=1, help="notebooks run at once (after the first one)")
    ap.add_argument("--timeout", type=int, default=1200, help="seconds per cell")
    ap.add_argument("--workdir", default=None, help="where the environment goes (default: a temporary folder)")
    args = ap.parse_args()
    nbs = [Path(p).resolve() for p in (args.notebooks or sorted(glob.glob(str(ROOT / "nbs" / "[0-9]*.ipynb"))))]
    # the quickest notebook first (its setup cell installs the package alone), then the longest first, so that no long
    # notebook starts last and runs alone: seconds on a 2-core CPU with --small, for ordering only
    secs = lambda p: CPU_SECONDS.get(p.stem, 30)
    if nbs:
        first = min(nbs, key=secs)
        nbs = [first] + sorted((p for p in nbs if p != first), key=secs, reverse=True)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="colab-sim-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    pip_env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    if args.find_links: pip_env.update(PIP_FIND_LINKS=" ".join(map(str, map(os.path.abspath, args.find_links))), PIP_NO_INDEX="1")
    t0 = time.perf_counter()
    py = make_venv(work / "venv", args.system_site_packages, pip_env)
    wheel = build_wheel(work / "wheel", pip_env)
    env = {k: v for k, v in pip_env.items() if k not in ("MPLBACKEND", "IN_TEST", "PYTHONPATH", "JUPYTER_PATH", "IPYTHONDIR")}
    env.update(TSGPT_PIP_SPEC=f"{wheel}[dev]", PATH=f"{py.parent}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(work / "venv"))
    if args.small: env["IN_TEST"] = "1"
    kernel = colab_kernel(py, work / "home", env)
    print(f"environment ready in {time.perf_counter() - t0:.0f}s: {py} (TSGPT_PIP_SPEC={wheel.name}[dev], "
          f"TSGPT_PROFILE={os.environ.get('TSGPT_PROFILE', '') or 'native'}, {'small' if args.small else 'learner'} settings)", flush=True)
    results = {}
    def one(p):
        ok, dt, msg = run_notebook(p, kernel, args.timeout)
        results[p] = ok
        print(f"{'ok  ' if ok else 'FAIL'} {p.name:28} {dt:6.0f}s", flush=True)
        if msg: print("     " + msg.replace("\n", "\n     "), flush=True)
    if nbs: one(nbs[0])  # the first notebook's setup cell installs the package; then the others may run side by side
    with ThreadPoolExecutor(max(1, args.jobs)) as pool: list(pool.map(one, nbs[1:]))
    n_ok = sum(results.values())
    print(f"Colab-style Run all: {n_ok} passed, {len(results) - n_ok} failed in {time.perf_counter() - t0:.0f}s")
    if not args.workdir: shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if n_ok == len(results) else 1)


if __name__ == "__main__":
    main()
