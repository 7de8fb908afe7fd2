"""TritonSampler with and without programmatic dependent launch: float32 tokens against `generate`, then bf16 speed
in two paired rounds (µs per token, 256 greedy tokens at batch 1). Run on a Hopper GPU from the project root."""
import statistics, torch
from tinystories_gpt.bench import time_steps
from tinystories_gpt.gpt import GPT, GPTConfig
from tinystories_gpt.sampling import generate
from tinystories_gpt.fast_sampling import TritonSampler

def timeit(run): return statistics.median(time_steps(run, steps=5, warmup=1, device="cuda")[1])  # seconds per call

torch.manual_seed(0)
m32 = GPT(GPTConfig.tinystories()).to("cuda").eval()
p = torch.randint(50257, (1, 8), device="cuda")
ref = generate(m32, p, 200, temperature=0, stop_at_eot=False)
for pdl in (False, True):
    got = TritonSampler(m32, 1, max_new_tokens=200, pdl=pdl).generate(p, 200, temperature=0, stop_at_eot=False)
    print("float32, pdl", pdl, "tokens equal to generate:", (got == ref).all().item(), flush=True)
m = m32.to(torch.bfloat16)
idx = torch.zeros((1, 1), dtype=torch.long, device="cuda")
for r in range(2):
    for pdl in (False, True):
        ts = TritonSampler(m, 1, max_new_tokens=256, pdl=pdl)
        us = 1e6 * timeit(lambda: ts.generate(idx, 256, temperature=0, stop_at_eot=False)) / 256
        print(f"round {r} pdl={pdl}: {us:.1f} us/token", flush=True)
