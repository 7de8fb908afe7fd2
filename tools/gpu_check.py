"""The GPU check: the README's GPU commands end to end on the TinyStories sample, natively and in the T4 profile.

    python tools/gpu_check.py                       # needs a CUDA GPU and TINYSTORIES_DIR (train.txt, valid.txt)
    python tools/gpu_check.py --profiles t4 --logs /tmp/gpu_check

For each profile (native, then TSGPT_PROFILE=t4): `tsgpt-prepare` the sample, the default `tsgpt-train` (with `--no-fit_data`: 64 sequences per step, as on the full dataset) for 500 steps
(two evaluations, two checkpoints), `tsgpt-train --resume` on to step 600, and `tsgpt-sample`; then the small-data
default, an ensemble (2 members of 200 steps here), and `tsgpt-sample` from it. Each command runs in
its own process, as a user runs it, and reports the peak GPU memory that PyTorch's allocator reserved. The check fails
if a command fails, if the resumed run does not continue from step 500, or if a stage of the T4 profile reserves more
than a T4's 15 GB. Run it after every change to training, the model, sampling or data.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

T4_BYTES = 15e9
# Runs a console script's module as `python -m` would, then reports the peak GPU memory of the process.
WRAPPER = """
import runpy, sys, torch
module = sys.argv[1]; sys.argv = [module] + sys.argv[2:]
try: runpy.run_module(module, run_name="__main__", alter_sys=True)
finally:
    peak = torch.cuda.max_memory_reserved() if torch.cuda.is_available() and torch.cuda.is_initialized() else 0
    print(f"GPU_CHECK_PEAK {peak}", file=sys.stderr)
"""
MODULES = {"tsgpt-prepare": "tinystories_gpt.data", "tsgpt-train": "tinystories_gpt.training", "tsgpt-sample": "tinystories_gpt.sampling"}


def run(cmd: list, profile: str, log: Path) -> dict:
    "Run one CLI command in its own process under `profile`; its seconds, peak GPU bytes and output."
    env = dict(os.environ)
    env.pop("TSGPT_PROFILE", None)
    if profile != "native": env["TSGPT_PROFILE"] = profile
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", WRAPPER, MODULES[cmd[0]], *map(str, cmd[1:])], capture_output=True, text=True, env=env)
    peaks = [int(l.split()[1]) for l in r.stderr.splitlines() if l.startswith("GPU_CHECK_PEAK ")]
    log.write_text(f"$ {' '.join(map(str, cmd))}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}")
    return dict(ok=r.returncode == 0, seconds=time.perf_counter() - t0, peak=peaks[-1] if peaks else 0, out=r.stdout + r.stderr)


def check_profile(profile: str, data: Path, work: Path, logs: Path) -> list:
    from tinystories_gpt.training import read_metrics  # the package under test (installed by .carry/setup.sh)
    out = work / f"out_{profile}"
    # --no-fit_data: the full-data recipe (64 sequences per step), the heaviest a learner runs, so the memory fit is tested
    common = ["--data_dir", data, "--out_dir", out, "--eval_interval", 250, "--ckpt_interval", 250, "--no-fit_data"]
    rows = []
    def stage(name, cmd, check):
        r = run(cmd, profile, logs / f"{profile}_{name}.log")
        problems = [] if r["ok"] else [f"exit status non-zero:\n{r['out'][-2500:]}"]
        if r["ok"]: problems += check(r)
        if profile == "t4" and r["peak"] > T4_BYTES: problems.append(f"peak {r['peak'] / 1e9:.1f} GB is more than a T4's 15 GB")
        rows.append(dict(profile=profile, stage=name, seconds=round(r["seconds"], 1), peak_GB=round(r["peak"] / 1e9, 2),
                         ok=not problems, problems=problems, lines=[l for l in r["out"].splitlines() if l.startswith(("memory:", "peak GPU", "step ", "resum", "member", "ensemble"))][:12]))
        return r
    def trained(r):
        ev = [m["step"] for m in read_metrics(out) if "val_loss" in m]
        p = [] if ev[:2] == [250, 500] else [f"expected evaluations at steps 250 and 500, got {ev}"]
        return p + [f"no {d}/" for d in ("best", "last") if not (out / d / "model.safetensors").is_file()]
    def resumed(r):
        step = json.loads((out / "last" / "config.json").read_text())["step"]
        logged = [m["step"] for m in read_metrics(out) if "loss" in m]  # training rows, one per log_interval
        new = [s for s in logged if s > 500]
        return ([] if step == 600 else [f"last/ is at step {step}, not 600"]) + ([] if new and len(set(logged)) == len(logged) else ["the resumed run did not continue from step 500"])
    def sampled(r):
        return [] if "Once upon a time" in r["out"] and len(r["out"].split()) > 20 else ["no story in the output"]
    stage("train", ["tsgpt-train", *common, "--max_steps", 500], trained)
    stage("resume", ["tsgpt-train", *common, "--max_steps", 600, "--resume"], resumed)
    stage("sample", ["tsgpt-sample", "--ckpt", out, "--prompt", "Once upon a time", "--max_new_tokens", 80, "--seed", 0], sampled)
    # the small-data default (fitted: an ensemble), shortened to 2 members: trained, saved, loaded, sampled
    ens = work / f"ensemble_{profile}"
    def ensembled(r):
        meta = json.loads((ens / "best" / "config.json").read_text())
        p = [] if meta.get("members") == 2 else [f"best/ holds {meta.get('members')} members, not 2"]
        p += [] if meta["train"].get("ema") else ["not fitted to the data: no average of the weights"]
        p += [f"no {d}/" for d in ("member1", "member2") if not (ens / d / "best" / "model.safetensors").is_file()]
        p += [] if meta["val_loss"] <= sum(meta["member_val_loss"]) / 2 else ["the ensemble is worse than its members"]
        return p + ([] if "ensemble of 2" in r["out"] else ["no line about the ensemble's validation loss"])
    # 200 steps of 64 x 512 tokens read the sample 5 times: small data, so the recipe is fitted
    stage("ensemble", ["tsgpt-train", "--data_dir", data, "--out_dir", ens, "--members", 2, "--max_steps", 200,
                       "--eval_interval", 50, "--ckpt_interval", 50], ensembled)
    stage("ens_sample", ["tsgpt-sample", "--ckpt", ens, "--prompt", "Once upon a time", "--max_new_tokens", 80, "--seed", 0],
          sampled)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profiles", default="native,t4", help="comma-separated: native, t4")
    ap.add_argument("--data", default=os.environ.get("TINYSTORIES_DIR"), help="folder with train.txt and valid.txt")
    ap.add_argument("--logs", default=None, help="folder for each command's full output")
    ap.add_argument("--json", default=None, help="write the result rows to this file")
    args = ap.parse_args()
    import torch
    if not torch.cuda.is_available(): raise SystemExit("gpu_check: no CUDA GPU visible: run it on a GPU machine")
    if not args.data or not Path(args.data, "train.txt").is_file(): raise SystemExit("gpu_check: set TINYSTORIES_DIR (or --data) to a folder with train.txt and valid.txt")
    work = Path(tempfile.mkdtemp(prefix="gpu-check-"))
    logs = Path(args.logs or work / "logs"); logs.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    prep = run(["tsgpt-prepare", "--source", args.data, "--out_dir", work / "data"], "native", logs / "prepare.log")
    if not prep["ok"]: raise SystemExit(f"gpu_check: tsgpt-prepare failed:\n{prep['out'][-3000:]}")
    rows = [dict(profile="-", stage="prepare", seconds=round(prep["seconds"], 1), peak_GB=round(prep["peak"] / 1e9, 2), ok=True, problems=[], lines=[])]
    for p in args.profiles.split(","): rows += check_profile(p, work / "data", work, logs)
    print(f"\nGPU check on {torch.cuda.get_device_name()} (torch {torch.__version__}), {time.perf_counter() - t0:.0f}s in all")
    print(f"{'profile':8} {'stage':8} {'seconds':>8} {'peak GB':>8}  result")
    for r in rows:
        print(f"{r['profile']:8} {r['stage']:8} {r['seconds']:8.1f} {r['peak_GB']:8.2f}  {'ok' if r['ok'] else 'FAIL'}")
        for l in r["lines"]: print(f"{'':28}{l}")
        for pr in r["problems"]: print(f"{'':28}! {pr}")
    if args.json: Path(args.json).write_text(json.dumps(dict(device=torch.cuda.get_device_name(), torch=torch.__version__, rows=rows), indent=1))
    n_ok = sum(r["ok"] for r in rows)
    print(f"{n_ok} passed, {len(rows) - n_ok} failed")
    sys.exit(0 if n_ok == len(rows) else 1)


if __name__ == "__main__":
    main()
