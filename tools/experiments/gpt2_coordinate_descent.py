# Paired repeats: nanoGPT loop vs ours124 vs ours124 + coordinate-descent tuning, alternating, on one GPU.
import json, os, sys, torch
from tinystories_gpt.bench import write_random_tokens
from tinystories_gpt.perf_lab import run_train_bench
import torch._inductor.config as ic
tokens = write_random_tokens("/tmp/tokens.u16", n_tokens=2**23)
rows = []
for rnd in range(int(sys.argv[1]) if len(sys.argv) > 1 else 2):
    for name, cdt in (("nanogpt", False), ("ours124", False), ("ours124", True)):
        ic.coordinate_descent_tuning = cdt
        r = run_train_bench(name, "cuda", tokens)
        r["cdt"] = cdt; r["round"] = rnd
        rows.append(r)
        print(f"round {rnd} {name:8s} cdt={cdt!s:5s} {r['tok_s']:9.0f} tok/s mfu {100*r['mfu']:.1f}% wall {r['wall_s']:.0f}s", flush=True)
        json.dump(rows, open(os.environ["OUT"] + "/p124.json", "w"), indent=1, default=str)
