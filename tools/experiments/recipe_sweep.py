"""Which recipe makes the best model of a small dataset (the TinyStories sample, ~1.27M tokens)?

Each config trains `epochs` passes with train()'s step (TokenLoader, AdamW, warm-up + cosine to the end) and is judged
as the race judges: the best validation bits per byte over every window of 128 tokens. Eager (no compile): the runs
are capped by epochs, not time, so compile would change only their wall time.

    python tools/experiments/recipe_sweep.py --data gpt2=DIR --data bpe4096=DIR --worker 0 --workers 4 --out results.jsonl
"""
import argparse, json, math, time
import torch
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

def run(name, data, n_layer, n_embd, dropout, B, T, lr, epochs, dirs, device, max_seconds):
    train, meta = read_bin(f"{dirs[data]}/train.bin")
    val, vmeta = read_bin(f"{dirs[data]}/validation.bin")
    torch.manual_seed(1337)
    mc = GPTConfig(block_size=T, vocab_size=pad_vocab_size(meta["vocab_size"]), n_layer=n_layer, n_head=n_embd // 64,
                   n_embd=n_embd, dropout=dropout, bias=False)
    model = GPT(mc).to(device)
    opt = model.configure_optimizers(0.1, lr, (0.9, 0.95), torch.device(device).type)
    loader = TokenLoader(train, B, T, device=device)
    steps_per_epoch = meta["n_tokens"] / (B * T)
    max_steps, warmup = max(int(epochs * steps_per_epoch), 1), max(int(0.05 * epochs * steps_per_epoch), 10)
    eval_every = max(int(steps_per_epoch / 2), 1)
    ctx, curve, t0 = autocast_for(device), [], time.perf_counter()
    torch.backends.cuda.matmul.allow_tf32 = True
    for step in range(max_steps):
        for g in opt.param_groups: g["lr"] = get_lr(step, lr, lr / 10, warmup, max_steps)
        x, y = loader.next_batch()
        with ctx: _, loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(); opt.zero_grad(set_to_none=True)
        last = step + 1 == max_steps or time.perf_counter() - t0 > max_seconds
        if (step + 1) % eval_every == 0 or last:
            vl = val_loss_windows(model, val, 128, device)
            curve.append(dict(step=step + 1, epoch=round((step + 1) / steps_per_epoch, 2), train_loss=loss.item(),
                              val_loss=vl, bpb=bits_per_byte(vl, vmeta), seconds=round(time.perf_counter() - t0, 1)))
        if last: break
    best = min(curve, key=lambda p: p["bpb"])
    return dict(name=name, data=data, n_layer=n_layer, n_embd=n_embd, dropout=dropout, batch=B, block=T, lr=lr,
                epochs=epochs, max_steps=max_steps, truncated=step + 1 < max_steps, n_params=sum(p.numel() for p in model.parameters()),
                best_bpb=best["bpb"], best_epoch=best["epoch"], final_bpb=curve[-1]["bpb"], seconds=curve[-1]["seconds"],
                curve=curve, device=torch.cuda.get_device_name() if device == "cuda" else device)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", action="append", required=True)
    ap.add_argument("--worker", type=int, default=0); ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", required=True); ap.add_argument("--max_seconds", type=float, default=240)
    ap.add_argument("--only", default=None)
    a = ap.parse_args()
    dirs = dict(d.split("=", 1) for d in a.data)
    configs = [c for c in CONFIGS if c[1] in dirs and (a.only is None or c[0] in a.only.split(","))]
    for c in configs[a.worker::a.workers]:
        r = run(*c, dirs=dirs, device="cuda", max_seconds=a.max_seconds)
        print(f"{r['name']:22s} best {r['best_bpb']:.4f} bpb at epoch {r['best_epoch']}, final {r['final_bpb']:.4f}, "
              f"{r['seconds']}s{' (truncated)' if r['truncated'] else ''}", flush=True)
        with open(a.out, "a") as f: f.write(json.dumps(r) + "\n")
