# Decode step with matrix-vector products written as reductions (inductor fuses norms/activations/residuals into them).
import time, statistics, math, sys, torch, torch.nn.functional as F
import tinystories_gpt.fast_sampling as S
from tinystories_gpt.gpt import GPT, GPTConfig
from tinystories_gpt.sampling import generate
from tinystories_gpt.fast_sampling import FastSampler

def lin(x, layer):  # (B, 1, C) -> (B, 1, O)
    y = (x.unsqueeze(-2).float() * layer.weight.float()).sum(-1)
    if layer.bias is not None: y = y + layer.bias.float()
    return y.to(x.dtype)

def attend(attn, x, pos, k_cache, v_cache, mask, head_lin):
    B, T, C = x.size()
    q, k, v = head_lin(x, attn.c_attn).split(attn.n_embd, dim=2)
    q, k, v = [t.view(B, T, attn.n_head, attn.head_size).transpose(1, 2) for t in (q, k, v)]
    k_cache.index_copy_(2, pos, k.to(k_cache.dtype)); v_cache.index_copy_(2, pos, v.to(v_cache.dtype))
    s = (q.float() * k_cache.float()).sum(-1, keepdim=True) / math.sqrt(attn.head_size)   # (B, nh, L, 1)
    s = s.masked_fill(~mask.view(1, 1, -1, 1), float("-inf"))
    p = torch.softmax(s, dim=2)
    y = (p * v_cache.float()).sum(2, keepdim=True).to(q.dtype)
    return head_lin(y.transpose(1, 2).reshape(B, T, C), attn.c_proj)

def make_decode(layer_lin, head_reduce):
    def decode_one_token(model, tok, pos, ks, vs):
        x = model.wte(tok)
        if model.wpe is not None: x = x + model.wpe(pos)
        L = ks[0].size(2)
        mask = (torch.arange(L, device=tok.device) <= pos).view(1, 1, 1, L)
        for block, kc, vc in zip(model.h, ks, vs):
            x = x + attend(block.attn, block.ln_1(x), pos, kc, vc, mask, layer_lin)
            h = layer_lin(block.ln_2(x), block.mlp.c_fc)
            x = x + layer_lin(block.mlp.gelu(h), block.mlp.c_proj)
        x = model.ln_f(x)
        return lin(x, model.lm_head) if head_reduce else model.lm_head(x)
    return decode_one_token

def timeit(fn, reps=5):
    fn(); torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        torch.cuda.synchronize(); t = time.perf_counter(); fn(); torch.cuda.synchronize(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

class Opt(FastSampler):
    def __init__(self, model, B, max_new_tokens, options):
        super().__init__(model, B, compile=True, max_new_tokens=max_new_tokens)
        wrap = lambda f: torch.compile(f, fullgraph=True, dynamic=False, options={"triton.cudagraphs": True, **options})
        self.step, self.logits_step = wrap(S.decode_step), wrap(S.decode_logits)

torch.manual_seed(0)
model = GPT(GPTConfig.tinystories()).cuda().to(torch.bfloat16).eval()
f32 = GPT(GPTConfig.tinystories()).cuda().eval()
n = 256
idx = torch.zeros((1, 1), dtype=torch.long, device="cuda")
t_nc = timeit(lambda: generate(model, idx, n, temperature=0, stop_at_eot=False, use_cache=False), 3)
print(f"nocache b1 {n/t_nc:8.0f} tok/s {1e6*t_nc/n:7.1f} us/step", flush=True)
ref32 = generate(f32, idx, 100, temperature=0, stop_at_eot=False)
nn_lin = lambda x, layer: layer(x)
variants = [("sum-attn, cuBLAS linears", nn_lin, False), ("reduce linears, cuBLAS head", lin, False), ("reduce linears + head", lin, True)]
for name, ll, hr in variants:
    S.decode_one_token = make_decode(ll, hr)
    for oname, opts in (("cdt", {"coordinate_descent_tuning": True}),):
        torch._dynamo.reset()
        t0 = time.perf_counter()
        fs = Opt(model, 1, n, opts); fs.generate(idx, n, temperature=0, stop_at_eot=False); torch.cuda.synchronize()
        first = time.perf_counter() - t0
        t = timeit(lambda: fs.generate(idx, n, temperature=0, stop_at_eot=False))
        fs16 = Opt(model, 16, n, opts); t16 = timeit(lambda: fs16.generate(idx.expand(16, 1).contiguous(), n, temperature=0, stop_at_eot=False))
        fs32 = Opt(f32, 1, 100, opts)
        same32 = torch.equal(fs32.generate(idx, 100, temperature=0, stop_at_eot=False), ref32)
        print(f"{name:28s} {oname} greedy b1 {n/t:6.0f} tok/s {1e6*t/n:6.1f} us/step ratio {t_nc/t:5.2f} | b16 {16*n/t16:7.0f} tok/s | fp32==eager {same32} | first {first:.0f}s", flush=True)
t_nc = timeit(lambda: generate(model, idx, n, temperature=0, stop_at_eot=False, use_cache=False), 3)
print(f"nocache b1 again {n/t_nc:8.0f} tok/s {1e6*t_nc/n:7.1f} us/step", flush=True)
