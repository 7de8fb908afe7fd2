"""Where a training step of GPT-2 124M spends its GPU time: a kernel profile of `bench_ours`'s step, by kind.

    python tools/profile_step.py --batch_size 64 --levers fused_ce --out $OUT/profile.txt

It compiles our loop at GPT-2 124M (vocabulary 50304, no bias, T=1024), runs a few steps, profiles three with
torch.profiler, and prints the GPU time per kind of kernel (matmuls, attention, the loss, the optimizer,
inductor's fused element-wise kernels, copies) and the twenty kernels that take the most time.
"""
import argparse, re
from dataclasses import replace
import torch
from torch.profiler import ProfilerActivity, profile
from tinystories_gpt.bench import bench_ours, write_random_tokens
from tinystories_gpt.gpt import GPTConfig
from tinystories_gpt.perf_lab import lever_kwargs

# "copy" is every kernel whose name holds copy: memory copies, and inductor kernels that fuse a cast (_to_copy) with
# other work (FP8 scaling, a chunked loss); the first pattern that matches names the kind
KINDS = [("matmul", r"gemm|matmul|cutlass|sm90_xmma|nvjet|cublas"), ("attention", r"flash|fmha|attention|cudnn"),
         ("optimizer", r"adam|multi_tensor|foreach"), ("loss", r"cross_entropy|log_softmax|nll"),
         ("copy", r"memcpy|memset|copy"), ("fused element-wise (inductor)", r"triton")]

def kind(name):
    return next((k for k, pat in KINDS if re.search(pat, name, re.I)), "other")

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch_size", type=int, default=64)
    ap.add_argument("--levers", default="", help="comma-separated names in LEVERS")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    tokens = write_random_tokens("/tmp/profile_tokens.u16", 2**23)
    config = replace(GPTConfig.gpt2(dropout=0.0), vocab_size=50304, bias=False)
    kw, off = lever_kwargs([l for l in a.levers.split(",") if l], "cuda")
    state = {}
    def trace(step_fn):  # profile 3 steps after bench_ours's warm-up
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            for _ in range(3): step_fn()
            torch.cuda.synchronize()
        state["prof"] = prof
    import tinystories_gpt.bench as bench
    time_steps = bench.time_steps
    def timed(step, steps, warmup, device):
        first, times = time_steps(step, steps, warmup, device)
        trace(step)
        return first, times
    bench.time_steps = timed
    row = bench_ours("cuda", tokens, config, batch_size=a.batch_size, steps=10, warmup=3, **kw)
    bench.time_steps = time_steps
    events = [e for e in state["prof"].key_averages() if e.device_time_total > 0]
    total = sum(e.device_time_total for e in events)
    by_kind = {}
    for e in events: by_kind[kind(e.key)] = by_kind.get(kind(e.key), 0) + e.device_time_total
    lines = [f"GPT-2 124M, B={a.batch_size}, T=1024, levers: {a.levers or 'none'}{f' (off: {off})' if off else ''}; "
             f"{row['tok_s']:,.0f} tok/s, MFU {100 * row['mfu']:.1f}%, peak {row['peak_mem_gb']:.1f} GB, {row['device']}",
             f"GPU time of 3 steps: {total / 1e3:.1f} ms", "", f"{'kind':<32} {'ms/step':>8} {'share':>6}"]
    for k, t in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        lines.append(f"{k:<32} {t / 3e3:8.2f} {100 * t / total:5.1f}%")
    lines += ["", f"{'kernel':<90} {'ms/step':>8} {'calls/step':>10}"]
    for e in sorted(events, key=lambda e: -e.device_time_total)[:20]:
        lines.append(f"{e.key[:90]:<90} {e.device_time_total / 3e3:8.2f} {e.count / 3:10.1f}")
    text = "\n".join(lines)
    print(text)
    if a.out: open(a.out, "w").write(text + "\n")

if __name__ == "__main__":
    main()
