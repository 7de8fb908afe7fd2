# Prototype: FastSampler with manually captured multi-step CUDA graphs (K decode steps per replay).
import time, statistics, sys, torch
from tinystories_gpt.gpt import GPT, GPTConfig
from tinystories_gpt.sampling import generate
from tinystories_gpt.fast_sampling import FastSampler, decode_step

class GraphSampler(FastSampler):
    def __init__(self, model, batch_size=1, max_new_tokens=1024, graph_steps=16, cdt=False):
        super().__init__(model, batch_size, compile=False, max_new_tokens=max_new_tokens, check_every=graph_steps)
        if cdt: torch._inductor.config.coordinate_descent_tuning = True
        self.K = graph_steps
        self.cstep = torch.compile(decode_step, fullgraph=True, dynamic=False)
        self.graphs = {}
    def _args(self, greedy):
        c = self.cache
        return (self.model, self.out, self.i, self.pos, c.k, c.v, self.done, self.eot, self.temperature, greedy)
    def graph(self, greedy, n):
        key = (greedy, n)
        if key not in self.graphs:
            self.i.zero_(); self.pos.zero_()
            s = torch.cuda.Stream(); s.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(s):
                for _ in range(2): self.cstep(*self._args(greedy))
            torch.cuda.current_stream().wait_stream(s)
            g = torch.cuda.CUDAGraph()
            with torch.cuda.graph(g):
                for _ in range(n): self.cstep(*self._args(greedy))
            self.graphs[key] = g
        return self.graphs[key]
    @torch.inference_mode()
    def generate(self, idx, n, temperature=0.0, stop_at_eot=False):
        greedy = temperature == 0
        gK, g1 = self.graph(greedy, self.K), self.graph(greedy, 1)  # capture before the state is set
        self.i.zero_(); self.done.zero_(); self.eot.fill_(-1)
        self.temperature.fill_(temperature if temperature > 0 else 1.0)
        from tinystories_gpt.fast_sampling import choose_token, record_token
        logits = self._prefill(idx)
        record_token(choose_token(logits, self.temperature, greedy), self.out, self.i, self.done, self.eot)
        t = 1
        while t < n:
            if n - t >= self.K: gK.replay(); t += self.K; self.cache.pos += self.K
            else: g1.replay(); t += 1; self.cache.pos += 1
        return torch.cat([idx, self.out[:, :n]], dim=1)

def timeit(fn, reps=5):
    fn(); torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        torch.cuda.synchronize(); t = time.perf_counter(); fn(); torch.cuda.synchronize(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

torch.manual_seed(0)
model = GPT(GPTConfig.tinystories()).cuda().to(torch.bfloat16).eval()
n = 256
print(torch.cuda.get_device_name(), torch.__version__, flush=True)
for B in (1, 16):
    idx = torch.zeros((B, 1), dtype=torch.long, device="cuda")
    ref = generate(model, idx, n, temperature=0, stop_at_eot=False)
    t_nc = timeit(lambda: generate(model, idx, n, temperature=0, stop_at_eot=False, use_cache=False), 3)
    print(f"B={B} nocache {B*n/t_nc:9.0f} tok/s  {1e6*t_nc/n:7.1f} us/step", flush=True)
    fs = FastSampler(model, B, compile=True, max_new_tokens=n)
    t_fs = timeit(lambda: fs.generate(idx, n, temperature=0, stop_at_eot=False))
    same = torch.equal(fs.generate(idx, n, temperature=0, stop_at_eot=False), ref)
    print(f"B={B} FastSampler(reduce-overhead) {B*n/t_fs:9.0f} tok/s {1e6*t_fs/n:7.1f} us/step same={same} ratio={t_nc/t_fs:.2f}", flush=True)
    for K in (1, 8, 16, 32, 255):
        gs = GraphSampler(model, B, max_new_tokens=n, graph_steps=K)
        t0 = time.perf_counter(); out = gs.generate(idx, n); torch.cuda.synchronize(); first = time.perf_counter() - t0
        same = torch.equal(out, ref)
        t = timeit(lambda: gs.generate(idx, n))
        print(f"B={B} graph K={K:3d} {B*n/t:9.0f} tok/s {1e6*t/n:7.1f} us/step same={same} first={first:.1f}s ratio={t_nc/t:.2f}", flush=True)
    # sampled in graph, K=16
    gs = GraphSampler(model, B, max_new_tokens=n, graph_steps=16)
    a = gs.generate(idx, n, temperature=1.0).clone(); b = gs.generate(idx, n, temperature=1.0).clone()
    t = timeit(lambda: gs.generate(idx, n, temperature=1.0))
    print(f"B={B} graph K=16 sampled {B*n/t:9.0f} tok/s differ={not torch.equal(a, b)} in_vocab={(a < 50257).float().mean().item():.3f}", flush=True)
    torch._dynamo.reset()
# coordinate descent tuning, K=32
idx = torch.zeros((1, 1), dtype=torch.long, device="cuda")
ref = generate(model, idx, n, temperature=0, stop_at_eot=False)
t_nc = timeit(lambda: generate(model, idx, n, temperature=0, stop_at_eot=False, use_cache=False), 3)
gs = GraphSampler(model, 1, max_new_tokens=n, graph_steps=32, cdt=True)
out = gs.generate(idx, n)
t = timeit(lambda: gs.generate(idx, n))
print(f"B=1 graph K=32 coordinate-descent {n/t:9.0f} tok/s {1e6*t/n:7.1f} us/step same={torch.equal(out, ref)} ratio={t_nc/t:.2f}", flush=True)
torch._inductor.config.coordinate_descent_tuning = False
# profile GPU kernels in one K=32 replay
from torch.profiler import profile, ProfilerActivity
torch._dynamo.reset()
gs = GraphSampler(model, 1, max_new_tokens=n, graph_steps=32); gs.generate(idx, n)
with profile(activities=[ProfilerActivity.CUDA]) as prof:
    gs.generate(idx, n); torch.cuda.synchronize()
print(prof.key_averages().table(sort_by="cuda_time_total", row_limit=15), flush=True)
