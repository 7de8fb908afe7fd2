"""Which recipe makes the best model of a small dataset (the TinyStories sample, ~1.27M tokens)?

Three tables: CONFIGS (tokenizer, size, dropout, batch, lr, passes), MEMBERS (weight decay 2 and 4, seeds) and LEVERS (weight decay, an exponential moving
average of the weights, bigger models, seeds for an ensemble). `--table levers --ensembles` also scores ensembles:
the mean of the members' probabilities, from each member's best evaluation.

Each config trains `epochs` passes with train()'s step (TokenLoader, AdamW, warm-up + cosine to the end) and is judged
as the race judges: the best validation bits per byte over every window of 128 tokens. Eager unless --compile: the runs
are capped by epochs, not time, so compile changes only their wall time.

    python tools/experiments/recipe_sweep.py --data gpt2=DIR --data bpe4096=DIR --worker 0 --workers 4 --out results.jsonl
"""
import argparse, copy, json, math, time
import numpy as np, torch
from tinystories_gpt.data import read_bin, TokenLoader
from tinystories_gpt.gpt import GPT, GPTConfig, pad_vocab_size
from tinystories_gpt.training import get_lr, bits_per_byte
from tinystories_gpt.perf_lab import val_loss_windows, autocast_for

CONFIGS = [  # name, data, n_layer, n_embd, dropout, batch, block, lr, epochs
    ("g_6x384_d0_e4", "gpt2", 6, 384, 0.0, 32, 512, 2e-3, 4),
    ("g_6x384_d1_e8", "gpt2", 6, 384, 0.1, 32, 512, 2e-3, 8),
    ("g_6x384_d2_e16", "gpt2", 6, 384, 0.2, 32, 512, 2e-3, 16),
    ("g_6x384_d2_e32", "gpt2", 6, 384, 0.2, 32, 512, 2e-3, 32),
    ("b_6x384_d1_e8", "bpe4096", 6, 384, 0.1, 32, 512, 2e-3, 8),
    ("b_6x384_d2_e16", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 16),
    ("b_6x384_d2_e32", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32),
    ("b_8x512_d2_e16", "bpe4096", 8, 512, 0.2, 32, 512, 2e-3, 16),
    ("b_8x512_d3_e32", "bpe4096", 8, 512, 0.3, 32, 512, 2e-3, 32),
    ("b_6x384_d2_e16_lr1", "bpe4096", 6, 384, 0.2, 32, 512, 1e-3, 16),
    ("b_6x384_d2_e16_b64", "bpe4096", 6, 384, 0.2, 64, 512, 2e-3, 16),
    ("b8k_6x384_d2_e16", "bpe8192", 6, 384, 0.2, 32, 512, 2e-3, 16),
]

LEVERS = [  # name, data, n_layer, n_embd, dropout, batch, block, lr, epochs, extras (wd, ema decay, seed)
    ("b_6x384_d2_wd01_e32", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(ema=0.995)),
    ("b_6x384_d2_wd01_e32_s2", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(ema=0.995, seed=2)),
    ("b_6x384_d2_wd05_e32", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=0.5, ema=0.995)),
    ("b_6x384_d2_wd1_e32", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=1.0, ema=0.995)),
    ("b_6x384_d2_wd1_e32_s2", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=1.0, ema=0.995, seed=2)),
    ("b_6x384_d1_wd1_e32", "bpe4096", 6, 384, 0.1, 32, 512, 2e-3, 32, dict(wd=1.0, ema=0.995)),
    ("b_6x384_d2_wd1_e48", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 48, dict(wd=1.0, ema=0.995)),
    ("b_8x512_d3_wd05_e32", "bpe4096", 8, 512, 0.3, 32, 512, 1.5e-3, 32, dict(wd=0.5, ema=0.995)),
    ("b_8x512_d2_wd1_e32", "bpe4096", 8, 512, 0.2, 32, 512, 1.5e-3, 32, dict(wd=1.0, ema=0.995)),
    ("b_12x768_d3_wd05_e24", "bpe4096", 12, 768, 0.3, 32, 512, 1e-3, 24, dict(wd=0.5, ema=0.995)),
    ("g_6x384_d2_wd1_e32", "gpt2", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=1.0, ema=0.995)),
]

MEMBERS = [  # name, data, n_layer, n_embd, dropout, batch, block, lr, epochs, extras: stronger weight decay, and seeds to ensemble
    ("g_6x384_d2_wd2_e32", "gpt2", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=2.0, ema=0.995)),
    ("g_6x384_d2_wd2_e32_s2", "gpt2", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=2.0, ema=0.995, seed=2)),
    ("g_6x384_d2_wd1_e32_s2", "gpt2", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=1.0, ema=0.995, seed=2)),
    ("g_6x384_d2_wd4_e32", "gpt2", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=4.0, ema=0.995)),
    ("b_6x384_d2_wd2_e32", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=2.0, ema=0.995)),
    ("b_6x384_d2_wd2_e32_s2", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=2.0, ema=0.995, seed=2)),
    ("b_6x384_d2_wd2_e32_s3", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=2.0, ema=0.995, seed=3)),
    ("b_6x384_d2_wd4_e32", "bpe4096", 6, 384, 0.2, 32, 512, 2e-3, 32, dict(wd=4.0, ema=0.995)),
]
MEMBER_ENSEMBLES = [("g_6x384_d2_wd2_e32", "g_6x384_d2_wd2_e32_s2"), ("g_6x384_d2_wd2_e32", "g_6x384_d2_wd1_e32_s2"),
                    ("g_6x384_d2_wd2_e32", "g_6x384_d2_wd2_e32_s2", "g_6x384_d2_wd4_e32"),
                    ("b_6x384_d2_wd2_e32", "b_6x384_d2_wd2_e32_s2"),
                    ("b_6x384_d2_wd2_e32", "b_6x384_d2_wd2_e32_s2", "b_6x384_d2_wd2_e32_s3"),
                    ("b_6x384_d2_wd2_e32", "b_6x384_d2_wd2_e32_s2", "b_6x384_d2_wd2_e32_s3", "b_6x384_d2_wd4_e32")]

@torch.no_grad()
def target_logprobs(model, val, T, device, batch_size=64):
    "log p(next token) at every position of every non-overlapping window of `T` tokens of `val` (float32, on the CPU)."
    val = torch.as_tensor(np.asarray(val, dtype=np.int64))
    n = (len(val) - 1) // T
    x, y = val[:n * T].view(n, T), val[1:n * T + 1].view(n, T)
    was_training, out = model.training, []
    model.eval()
    with autocast_for(device):
        for i in range(0, n, batch_size):
            logits, _ = model(x[i:i + batch_size].to(device), y[i:i + batch_size].to(device))
            lp = torch.log_softmax(logits.float(), -1).gather(-1, y[i:i + batch_size].to(device)[..., None])[..., 0]
            out.append(lp.cpu())
    model.train(was_training)
    return torch.cat(out)

def run(name, data, n_layer, n_embd, dropout, B, T, lr, epochs, extras=None, *, dirs, device, max_seconds, save=None, compile=False):
    wd, ema, seed = (extras or {}).get("wd", 0.1), (extras or {}).get("ema", 0.0), (extras or {}).get("seed", 1337)
    train, meta = read_bin(f"{dirs[data]}/train.bin")
    val, vmeta = read_bin(f"{dirs[data]}/validation.bin")
    torch.manual_seed(seed)
    mc = GPTConfig(block_size=T, vocab_size=pad_vocab_size(meta["vocab_size"]), n_layer=n_layer, n_head=n_embd // 64,
                   n_embd=n_embd, dropout=dropout, bias=False)
    model = GPT(mc).to(device)
    ema_model = copy.deepcopy(model) if ema else None
    raw, model = model, (torch.compile(model) if compile else model)
    opt = raw.configure_optimizers(wd, lr, (0.9, 0.95), torch.device(device).type)
    loader = TokenLoader(train, B, T, device=device)
    steps_per_epoch = meta["n_tokens"] / (B * T)
    max_steps, warmup = max(int(epochs * steps_per_epoch), 1), max(int(0.05 * epochs * steps_per_epoch), 10)
    eval_every = max(int(steps_per_epoch / 2), 1)
    ctx, curve, t0, best_lp = autocast_for(device), [], time.perf_counter(), {}
    torch.backends.cuda.matmul.allow_tf32 = True
    for step in range(max_steps):
        for g in opt.param_groups: g["lr"] = get_lr(step, lr, lr / 10, warmup, max_steps)
        x, y = loader.next_batch()
        with ctx: _, loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(raw.parameters(), 1.0)
        opt.step(); opt.zero_grad(set_to_none=True)
        if ema_model is not None:
            with torch.no_grad(): torch._foreach_lerp_(list(ema_model.parameters()), list(raw.parameters()), 1 - ema)
        last = step + 1 == max_steps or time.perf_counter() - t0 > max_seconds
        if (step + 1) % eval_every == 0 or last:
            point = dict(step=step + 1, epoch=round((step + 1) / steps_per_epoch, 2), train_loss=loss.item(),
                         seconds=round(time.perf_counter() - t0, 1))
            for kind, m in (("", raw), ("ema_", ema_model)):
                if m is None: continue
                lp = target_logprobs(m, val, 128, device)
                point[kind + "val_loss"] = -lp.mean().item()
                point[kind + "bpb"] = bits_per_byte(point[kind + "val_loss"], vmeta)
                if point[kind + "bpb"] < best_lp.get(kind, (math.inf,))[0]: best_lp[kind] = (point[kind + "bpb"], lp)
            curve.append(point)
        if last: break
    if save:
        for kind, (_, lp) in best_lp.items(): torch.save(lp, f"{save}/{name}.{kind or 'raw_'}lp.pt")
    best = min(curve, key=lambda p: p["bpb"])
    ema_best = min(curve, key=lambda p: p["ema_bpb"]) if ema else None
    return dict(name=name, data=data, n_layer=n_layer, n_embd=n_embd, dropout=dropout, batch=B, block=T, lr=lr,
                epochs=epochs, wd=wd, ema=ema, seed=seed,
                ema_best_bpb=ema_best and ema_best["ema_bpb"], ema_best_epoch=ema_best and ema_best["epoch"], max_steps=max_steps, truncated=step + 1 < max_steps, n_params=sum(p.numel() for p in raw.parameters()), compiled=compile,
                best_bpb=best["bpb"], best_epoch=best["epoch"], final_bpb=curve[-1]["bpb"], seconds=curve[-1]["seconds"],
                curve=curve, device=torch.cuda.get_device_name() if device == "cuda" else device)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", action="append", required=True)
    ap.add_argument("--worker", type=int, default=0); ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", required=True); ap.add_argument("--max_seconds", type=float, default=240)
    ap.add_argument("--only", default=None)
    ap.add_argument("--table", default="configs", choices=["configs", "levers", "members"])
    ap.add_argument("--compile", action="store_true", help="torch.compile each model (one process per config)")
    ap.add_argument("--save", default=None, help="folder for each run's best per-token log-probabilities")
    ap.add_argument("--ensembles", action="store_true", help="only score ensembles of the log-probabilities in --save")
    a = ap.parse_args()
    dirs = dict(d.split("=", 1) for d in a.data)
    if a.ensembles:
        from pathlib import Path
        vmeta = {d: read_bin(f"{dirs[d]}/validation.bin")[1] for d in dirs}
        groups = MEMBER_ENSEMBLES if a.table == "members" else [("b_6x384_d2_wd01_e32", "b_6x384_d2_wd01_e32_s2"), ("b_6x384_d2_wd1_e32", "b_6x384_d2_wd1_e32_s2"),
                  ("b_6x384_d2_wd1_e32", "b_6x384_d2_wd1_e32_s2", "b_6x384_d1_wd1_e32", "b_6x384_d2_wd05_e32"),
                  ("b_6x384_d2_wd1_e32", "b_6x384_d2_wd1_e32_s2", "b_6x384_d1_wd1_e32", "b_6x384_d2_wd05_e32",
                   "b_8x512_d2_wd1_e32", "b_8x512_d3_wd05_e32", "b_6x384_d2_wd1_e48")]
        for kind in ("raw_", "ema_"):
            for g in groups:
                files = [Path(a.save) / f"{n}.{kind}lp.pt" for n in g]
                if not all(f.exists() for f in files): print("missing members for", g); continue
                lps = torch.stack([torch.load(f) for f in files])  # (members, windows, T)
                vl = -(torch.logsumexp(lps, 0) - math.log(len(g))).mean().item()
                r = dict(ensemble=list(g), kind=kind, val_loss=vl, bpb=bits_per_byte(vl, vmeta["gpt2" if g[0].startswith("g_") else "bpe4096"]))
                print(f"ensemble {kind}{len(g)}: {r['bpb']:.4f} bpb  {g}", flush=True)
                with open(a.out, "a") as f: f.write(json.dumps(r) + "\n")
        raise SystemExit
    table = dict(configs=CONFIGS, levers=LEVERS, members=MEMBERS)[a.table]
    configs = [c for c in table if c[1] in dirs and (a.only is None or c[0] in a.only.split(","))]
    for c in configs[a.worker::a.workers]:
        r = run(*c, dirs=dirs, device="cuda" if torch.cuda.is_available() else "cpu", max_seconds=a.max_seconds, save=a.save,
                compile=a.compile)
        print(f"{r['name']:22s} best {r['best_bpb']:.4f} bpb at epoch {r['best_epoch']}, final {r['final_bpb']:.4f}, "
              + (f"EMA best {r['ema_best_bpb']:.4f} at epoch {r['ema_best_epoch']}, " if r['ema'] else "")
              + f"{r['seconds']}s{' (truncated)' if r['truncated'] else ''}", flush=True)
        with open(a.out, "a") as f: f.write(json.dumps({k: v for k, v in r.items()}) + "\n")
