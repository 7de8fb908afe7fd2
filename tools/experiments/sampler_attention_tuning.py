# Decode-step variants: attention spelled for inductor, coordinate-descent tuning, max-autotune.
import time, statistics, math, torch, torch.nn.functional as F
import tinystories_gpt.fast_sampling as S
from tinystories_gpt.gpt import GPT, GPTConfig
from tinystories_gpt.attention import apply_rope
from tinystories_gpt.sampling import generate
from tinystories_gpt.fast_sampling import FastSampler

orig = S._attend_one
def attend_sum(attn, x, pos, k_cache, v_cache, mask):
    B, T, C = x.size()
    q, k, v = attn.c_attn(x).split(attn.n_embd, dim=2)
    q, k, v = [t.view(B, T, attn.n_head, attn.head_size).transpose(1, 2) for t in (q, k, v)]
    if attn.rope:
        cos, sin = attn.rope_cos[pos], attn.rope_sin[pos]
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
    k_cache.index_copy_(2, pos, k.to(k_cache.dtype)); v_cache.index_copy_(2, pos, v.to(v_cache.dtype))
    s = (q.float() * k_cache.float()).sum(-1, keepdim=True) / math.sqrt(attn.head_size)   # (B, nh, L, 1)
    s = s.masked_fill(~mask.view(1, 1, -1, 1), float("-inf"))
    p = torch.softmax(s, dim=2)
    y = (p * v_cache.float()).sum(2, keepdim=True).to(q.dtype)                       # (B, nh, 1, hs)
    return attn.c_proj(y.transpose(1, 2).reshape(B, T, C))
def attend_mm(attn, x, pos, k_cache, v_cache, mask):
    B, T, C = x.size()
    q, k, v = attn.c_attn(x).split(attn.n_embd, dim=2)
    q, k, v = [t.view(B, T, attn.n_head, attn.head_size).transpose(1, 2) for t in (q, k, v)]
    if attn.rope:
        cos, sin = attn.rope_cos[pos], attn.rope_sin[pos]
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
    k_cache.index_copy_(2, pos, k.to(k_cache.dtype)); v_cache.index_copy_(2, pos, v.to(v_cache.dtype))
    s = (q @ k_cache.to(q.dtype).transpose(-2, -1)).float() / math.sqrt(attn.head_size)  # (B, nh, 1, L)
    p = torch.softmax(s.masked_fill(~mask, float("-inf")), dim=-1).to(q.dtype)
    y = p @ v_cache.to(q.dtype)
    return attn.c_proj(y.transpose(1, 2).reshape(B, T, C))

def timeit(fn, reps=5):
    fn(); torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        torch.cuda.synchronize(); t = time.perf_counter(); fn(); torch.cuda.synchronize(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

class Opt(FastSampler):
    "FastSampler with compile options instead of mode."
    def __init__(self, model, B, max_new_tokens, options):
        super().__init__(model, B, compile=True, max_new_tokens=max_new_tokens)
        wrap = lambda f: torch.compile(f, fullgraph=True, dynamic=False, options={"triton.cudagraphs": True, **options})
        self.step, self.logits_step = wrap(S.decode_step), wrap(S.decode_logits)

torch.manual_seed(0)
model = GPT(GPTConfig.tinystories()).cuda().to(torch.bfloat16).eval()
f32 = GPT(GPTConfig.tinystories()).cuda().eval()
n = 256
print(torch.cuda.get_device_name(), torch.__version__, flush=True)
idx = torch.zeros((1, 1), dtype=torch.long, device="cuda")
t_nc = timeit(lambda: generate(model, idx, n, temperature=0, stop_at_eot=False, use_cache=False), 3)
print(f"nocache b1 {n/t_nc:8.0f} tok/s {1e6*t_nc/n:7.1f} us/step", flush=True)
ref32 = generate(f32, idx, 100, temperature=0, stop_at_eot=False)
for aname, fn in (("sdpa", orig), ("sum", attend_sum), ("mm", attend_mm)):
    S._attend_one = fn
    for oname, opts in (("plain", {}), ("cdt", {"coordinate_descent_tuning": True})):
        torch._dynamo.reset()
        t0 = time.perf_counter()
        fs = Opt(model, 1, n, opts); fs.generate(idx, n, temperature=0, stop_at_eot=False); torch.cuda.synchronize()
        first = time.perf_counter() - t0
        t = timeit(lambda: fs.generate(idx, n, temperature=0, stop_at_eot=False))
        ts = timeit(lambda: fs.generate(idx, n, temperature=1.0, stop_at_eot=False))
        fs32 = Opt(f32, 1, 100, opts)
        same32 = torch.equal(fs32.generate(idx, 100, temperature=0, stop_at_eot=False), ref32)
        print(f"{aname:5s} {oname:6s} greedy {n/t:7.0f} tok/s {1e6*t/n:6.1f} us/step ratio {t_nc/t:5.2f} | sampled {n/ts:7.0f} tok/s | fp32==eager {same32} | first {first:.0f}s", flush=True)
# best guess + max_autotune
for aname, fn in (("sum", attend_sum), ("mm", attend_mm)):
    S._attend_one = fn
    torch._dynamo.reset()
    t0 = time.perf_counter()
    fs = Opt(model, 1, n, {"coordinate_descent_tuning": True, "max_autotune": True}); fs.generate(idx, n, temperature=0, stop_at_eot=False)
    first = time.perf_counter() - t0
    t = timeit(lambda: fs.generate(idx, n, temperature=0, stop_at_eot=False))
    print(f"{aname:5s} cdt+max_autotune greedy {n/t:7.0f} tok/s {1e6*t/n:6.1f} us/step ratio {t_nc/t:5.2f} first {first:.0f}s", flush=True)
t_nc = timeit(lambda: generate(model, idx, n, temperature=0, stop_at_eot=False, use_cache=False), 3)
print(f"nocache b1 again {n/t_nc:8.0f} tok/s {1e6*t_nc/n:7.1f} us/step", flush=True)
