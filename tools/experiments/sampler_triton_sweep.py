"""Block sizes and warps of TritonSampler's kernels: µs per token, 256 greedy tokens at batch 1, bf16 TinyStories model.
Run on a GPU from the project root."""
import itertools, statistics, torch
from tinystories_gpt.bench import time_steps
from tinystories_gpt.gpt import GPT, GPTConfig
from tinystories_gpt.fast_sampling import TritonSampler

def timeit(run): return statistics.median(time_steps(run, steps=5, warmup=1, device="cuda")[1])  # seconds per call

torch.manual_seed(0)
m = GPT(GPTConfig.tinystories()).to("cuda", torch.bfloat16).eval()
idx = torch.zeros((1, 1), dtype=torch.long, device="cuda")
for w, bk, bn in itertools.product((2, 4, 8), (64, 128), (8, 16)):
    ts = TritonSampler(m, 1, max_new_tokens=256, block_n=bn, block_k=bk, num_warps=w)
    us = 1e6 * timeit(lambda: ts.generate(idx, 256, temperature=0, stop_at_eot=False)) / 256
    print(f"num_warps={w} block_k={bk} block_n={bn}: {us:.1f} us/token", flush=True)
for hbn, hbk in itertools.product((32, 64, 128), (64, 128)):
    ts = TritonSampler(m, 1, max_new_tokens=256, head_block_n=hbn, head_block_k=hbk)
    us = 1e6 * timeit(lambda: ts.generate(idx, 256, temperature=0, stop_at_eot=False)) / 256
    print(f"head_block_n={hbn} head_block_k={hbk}: {us:.1f} us/token", flush=True)
