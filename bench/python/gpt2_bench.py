"""The Python side of the policy benchmark: the pytorch policy's GPT-2 written in plain PyTorch.

Same architecture as plugins-pytorch's Gpt2Model (learned positions, pre-LayerNorm blocks, causal multi-head
attention with fused QKV, GPT-2's tanh GELU, tied LM head, weights in GPT-2's Conv1D layout y = x W + b,
Hugging Face's initialization) and the same workloads, timed the same way as dev.hir.bench.PolicyBench:
  - the matmul ceiling (1024x1024 float matmul) and the cost of a tiny op;
  - training tokens/s: B x 128 tokens, next-token cross-entropy, backward, gradient clipping to norm 1,
    AdamW (lr 3e-4, weight decay 0.01 on rank >= 2 parameters only), batch 1 and 32;
  - KV-cache sampling new tokens/s: 16-token prompts, 112 new tokens at temperature 1 (the last id, the
    model's end of sequence, is never drawn, so no sample stops early), batch 1 and 32; and the same loop
    with greedy choice ("model only").
Each timing: warm-up calls, then RUNS timed runs; the median run is reported. Prints JSON.

Run with Debian's python3 and python3-torch, libopenblas0-openmp and OPENBLAS_CORETYPE=SkylakeX (see
../shared/FEASIBILITY.md P1-P2); bench/run-policy-bench.sh sets this up.

Usage: /usr/bin/python3 gpt2_bench.py [--threads N] [--configs a,b] [--sections ceiling,ops,train,sample,check] [--check-dir DIR]
       [--runs 5] [--out FILE.json]
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

CONFIGS = {
    "a": dict(n_layer=2, n_embd=128, n_head=4, n_positions=128, vocab=512),
    "b": dict(n_layer=4, n_embd=256, n_head=8, n_positions=256, vocab=2048),
}
TRAIN_LENGTH = 128
PROMPT = 16
NEW_TOKENS = 112
BATCHES = (1, 32)
EPS = 1e-5
MASKED = -1e9


def log(message):
    print("[gpt2_bench] " + message, file=sys.stderr, flush=True)


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmRSS")


ACTIVATION = "gelu_new"  # --activation: GPT-2's tanh GELU, or "gelu", the exact one (as PolicyBench)


def activation(x):
    return F.gelu(x) if ACTIVATION == "gelu" else F.gelu(x, approximate="tanh")


class Gpt2(torch.nn.Module):
    def __init__(self, n_layer, n_embd, n_head, n_positions, vocab, seed):
        super().__init__()
        self.n_layer, self.d, self.h, self.vocab = n_layer, n_embd, n_head, vocab
        self.hs = n_embd // n_head
        g = torch.Generator().manual_seed(seed)
        d = n_embd
        proj_std = 0.02 / math.sqrt(2.0 * n_layer)

        def normal(*shape, std=0.02):
            return torch.nn.Parameter(torch.randn(*shape, generator=g) * std)

        def zeros(n):
            return torch.nn.Parameter(torch.zeros(n))

        def ones(n):
            return torch.nn.Parameter(torch.ones(n))

        self.wte = normal(vocab, d)
        self.wpe = normal(n_positions, d)
        self.blocks = torch.nn.ModuleList()
        for _ in range(n_layer):
            b = torch.nn.Module()
            b.ln1_w, b.ln1_b = ones(d), zeros(d)
            b.attn_w, b.attn_b = normal(d, 3 * d), zeros(3 * d)
            b.proj_w, b.proj_b = normal(d, d, std=proj_std), zeros(d)
            b.ln2_w, b.ln2_b = ones(d), zeros(d)
            b.fc_w, b.fc_b = normal(d, 4 * d), zeros(4 * d)
            b.mlp_w, b.mlp_b = normal(4 * d, d, std=proj_std), zeros(d)
            self.blocks.append(b)
        self.lnf_w, self.lnf_b = ones(d), zeros(d)
        self.scale = 1.0 / math.sqrt(self.hs)

    def hidden(self, idx, pos, bias, cache=None):
        """Final hidden states [B, T, d]; cache is a per-layer list of (K, V), extended in place."""
        bsz, t = idx.shape
        d, h, hs = self.d, self.h, self.hs
        x = F.embedding(idx, self.wte) + F.embedding(pos, self.wpe)
        for i, b in enumerate(self.blocks):
            a = F.layer_norm(x, (d,), b.ln1_w, b.ln1_b, EPS)
            q, k, v = (a @ b.attn_w + b.attn_b).split(d, dim=2)
            q = q.view(bsz, t, h, hs).transpose(1, 2)
            k = k.view(bsz, t, h, hs).transpose(1, 2)
            v = v.view(bsz, t, h, hs).transpose(1, 2)
            if cache is not None:
                if cache[i] is not None:
                    k = torch.cat((cache[i][0], k), dim=2)
                    v = torch.cat((cache[i][1], v), dim=2)
                cache[i] = (k, v)
            scores = (q @ k.transpose(-2, -1)) * self.scale
            if bias is not None:
                scores = scores + bias
            y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(bsz, t, d)
            x = x + (y @ b.proj_w + b.proj_b)
            c = F.layer_norm(x, (d,), b.ln2_w, b.ln2_b, EPS)
            x = x + (activation(c @ b.fc_w + b.fc_b) @ b.mlp_w + b.mlp_b)
        return F.layer_norm(x, (d,), self.lnf_w, self.lnf_b, EPS)

    def logits(self, hidden):
        return F.linear(hidden, self.wte)


def causal_bias(t):
    return torch.full((t, t), MASKED).triu(1).view(1, 1, t, t)


WARMUP_SECONDS = 2.0  # as PolicyBench, whose JIT needs it; the same here for an equal protocol


def timed(warmup, runs, calls, fn):
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < WARMUP_SECONDS:
        fn()
        done += 1
    wall, cpu = [], []
    for _ in range(runs):
        cpu_start = time.process_time()
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return wall, cpu


def rate(timing, calls, units, flops):
    wall, cpu = timing
    med, med_cpu = statistics.median(wall), statistics.median(cpu)
    row = {"per_s": units * calls / med, "runs_per_s": [units * calls / s for s in wall],
           "per_cpu_s": units * calls / med_cpu, "s_per_call": med / calls}
    if flops > 0:
        row["gflops"] = flops * calls / med / 1e9
        row["gflops_per_cpu_s"] = flops * calls / med_cpu / 1e9
    row["calls_per_run"] = calls
    return row


def median_wall(timing):
    return statistics.median(timing[0])


def per_token_body(c, context):
    d = c["n_embd"]
    return 24.0 * c["n_layer"] * d * d + 4.0 * c["n_layer"] * d * context


def training_flops(c, batch, length):
    return 3.0 * batch * length * (per_token_body(c, length) + 2.0 * c["vocab"] * c["n_embd"])


def sampling_flops(c, batch, prompt, new_tokens):
    head = 2.0 * c["vocab"] * c["n_embd"]
    flops = prompt * per_token_body(c, prompt) + head
    for step in range(1, new_tokens):
        flops += per_token_body(c, prompt + step) + head
    return batch * flops


def calls_for(flops, threads):
    # As PolicyBench: about half a second of work at an assumed 40 GFLOP/s per thread, 1..50 calls.
    return int(max(1, min(50, round(0.5 * 40e9 * threads / flops))))


def matmul_ceiling(runs):
    n = 1024
    x = torch.rand(n, n) * 2 - 1
    y = torch.rand(n, n) * 2 - 1
    seconds = timed(2, runs, 10, lambda: x @ y)
    return rate(seconds, 10, 1, 2.0 * n ** 3)


def tiny_op(runs):
    a = torch.ones(1, 8)
    ops = 2000

    def loop():
        for _ in range(ops):
            a.add(a)

    return {"us_per_op": median_wall(timed(1, runs, 1, loop)) / ops * 1e6}


def decode_op_costs(runs):
    """Microseconds per call of the ops of a cached decoding step at batch 1 on config (b)'s shapes."""
    c = CONFIGS["b"]
    d, h = c["n_embd"], c["n_head"]
    hs, past = d // h, 64
    x, w, bias = torch.randn(1, 1, d), torch.randn(d, 3 * d), torch.zeros(3 * d)
    gain, shift = torch.ones(d), torch.zeros(d)
    y = torch.randn(1, 1, 3 * d)
    cache, step = torch.randn(1, h, past, hs), torch.randn(1, h, 1, hs)
    heads, scores = torch.randn(1, 1, h, hs), torch.randn(1, h, 1, past + 1)
    hidden, wte = torch.randn(1, d), torch.randn(c["vocab"], d)
    logits, mlp = torch.randn(1, c["vocab"]), torch.randn(1, 1, 4 * d)
    ops = {
        "matMul [1,1,256]x[256,768]": lambda: x @ w,
        "add bias [1,1,768]": lambda: y + bias,
        "layerNorm [1,1,256]": lambda: F.layer_norm(x, (d,), gain, shift, EPS),
        "split into q,k,v": lambda: y.split(d, dim=2),
        "reshape": lambda: y.view(1, 1, 3 * h, hs),
        "transpose(0,2,1,3)": lambda: heads.transpose(1, 2),
        "concat cache [1,8,64,32]+[1,8,1,32]": lambda: torch.cat((cache, step), dim=2),
        "softmax [1,8,1,65]": lambda: scores.softmax(-1),
        "GELU, F.gelu(approximate='tanh') (1 op)": lambda: F.gelu(mlp, approximate="tanh"),
        "LM head + logSoftmax [1,2048]": lambda: F.linear(hidden, wte).log_softmax(-1),
        "tolist [1,2048] (host copy)": lambda: logits.tolist(),
    }
    out = {}
    calls = 500
    with torch.inference_mode():
        for name, op in ops.items():
            def loop():
                for _ in range(calls):
                    op()
            out[name] = median_wall(timed(1, runs, 1, loop)) / calls * 1e6
    return out


def training(c, runs, threads):
    torch.manual_seed(11)
    model = Gpt2(c["n_layer"], c["n_embd"], c["n_head"], c["n_positions"], c["vocab"], seed=1)
    params = list(model.parameters())
    # Weight decay on weight matrices and embeddings only, as the plugin's AdamW does.
    opt = torch.optim.AdamW([
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.01},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ], lr=3e-4, betas=(0.9, 0.999), eps=1e-8)
    out = {}
    pos = torch.arange(TRAIN_LENGTH).view(1, TRAIN_LENGTH)
    bias = causal_bias(TRAIN_LENGTH)
    for batch in BATCHES:
        tokens = torch.randint(0, c["vocab"] - 1, (batch, TRAIN_LENGTH + 1))
        x, y = tokens[:, :-1].contiguous(), tokens[:, 1:].contiguous()

        def step():
            logits = model.logits(model.hidden(x, pos, bias))
            loss = F.cross_entropy(logits.reshape(-1, c["vocab"]), y.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)

        def forward():
            with torch.no_grad():
                logits = model.logits(model.hidden(x, pos, bias))
                F.cross_entropy(logits.reshape(-1, c["vocab"]), y.reshape(-1))

        def forward_backward():
            # Gradients dropped as step() drops them, so the backward pass writes them the same way.
            opt.zero_grad(set_to_none=True)
            logits = model.logits(model.hidden(x, pos, bias))
            F.cross_entropy(logits.reshape(-1, c["vocab"]), y.reshape(-1)).backward()

        flops = training_flops(c, batch, TRAIN_LENGTH)
        calls = calls_for(flops * 3, threads)
        row = rate(timed(2, runs, calls, step), calls, batch * TRAIN_LENGTH, flops)
        row["rss_mb"] = rss_mb()
        # The parts of a step (as PolicyBench times them).
        row["forward_s"] = median_wall(timed(2, runs, calls, forward)) / calls
        row["forward_backward_s"] = median_wall(timed(2, runs, calls, forward_backward)) / calls
        # The update as a whole step minus forward and backward, timed one after the other, so that it sees real
        # gradients (as PolicyBench does). Timed alone, updates run on zeroed gradients: over the warm-up the first
        # moments decay into subnormal floats and an update took 9.5 instead of 2.7 ms (config a, session 19).
        row["optimizer_s"] = median_wall(timed(2, runs, calls, step)) / calls - row["forward_backward_s"]
        opt.zero_grad(set_to_none=True)
        out["b%d" % batch] = row
        log("%s train B=%d %s" % (c["name"], batch, row))
    return out


def generate(model, prompts, gen, greedy):
    """Prefill, then one-token steps with a KV cache; the model's last id (end of sequence) is never drawn."""
    bsz = prompts.shape[0]
    cache = [None] * model.n_layer
    h = model.hidden(prompts, torch.arange(PROMPT).view(1, PROMPT), causal_bias(PROMPT), cache)
    logits = model.logits(h[:, -1])
    out = []
    for step in range(NEW_TOKENS):
        if greedy:
            nxt = logits.argmax(-1, keepdim=True)
        else:
            probs = torch.softmax(logits[:, : model.vocab - 1], dim=-1)
            nxt = torch.multinomial(probs, 1, generator=gen)
        out.append(nxt)
        if step == NEW_TOKENS - 1:
            break
        pos = torch.tensor([[PROMPT + step]])
        h = model.hidden(nxt, pos, None, cache)
        logits = model.logits(h.view(bsz, model.d))
    tokens = torch.cat(out, dim=1)
    assert tokens.shape == (bsz, NEW_TOKENS)
    return tokens


def sampling(c, runs):
    torch.manual_seed(12)
    model = Gpt2(c["n_layer"], c["n_embd"], c["n_head"], c["n_positions"], c["vocab"], seed=2)
    model.requires_grad_(False)
    gen = torch.Generator().manual_seed(0)
    out = {}
    for batch in BATCHES:
        prompts = torch.randint(0, c["vocab"] - 1, (batch, PROMPT))
        calls = 3 if batch == 1 else 1
        flops = sampling_flops(c, batch, PROMPT, NEW_TOKENS)
        with torch.inference_mode():
            row = rate(timed(1, runs, calls, lambda: generate(model, prompts, gen, False)),
                       calls, batch * NEW_TOKENS, flops)
            greedy = timed(1, runs, calls, lambda: generate(model, prompts, gen, True))
        row["rss_mb"] = rss_mb()
        row["model_only_per_s"] = batch * NEW_TOKENS * calls / statistics.median(greedy[0])
        row["model_only_per_cpu_s"] = batch * NEW_TOKENS * calls / statistics.median(greedy[1])
        out["b%d" % batch] = row
        log("%s sample B=%d %s" % (c["name"], batch, row))
    return out


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError("%s: dtype %s" % (name, entry["dtype"]))
        begin, end = entry["data_offsets"]
        raw = bytearray(data[8 + n + begin:8 + n + end])
        out[name] = torch.frombuffer(raw, dtype=torch.float32).reshape(entry["shape"]).clone()
    return out


def check_same_function(c, directory):
    """Max |logit difference| between this model and PolicyBench's Gpt2Model on the same weights and ids."""
    p = {k[len("transformer."):] if k.startswith("transformer.") else k: v
         for k, v in read_safetensors(directory + "/model.safetensors").items()}
    model = Gpt2(c["n_layer"], c["n_embd"], c["n_head"], c["n_positions"], c["vocab"], seed=0)
    with torch.no_grad():
        model.wte.copy_(p["wte.weight"])
        model.wpe.copy_(p["wpe.weight"])
        model.lnf_w.copy_(p["ln_f.weight"])
        model.lnf_b.copy_(p["ln_f.bias"])
        for i, b in enumerate(model.blocks):
            h = "h.%d." % i
            for attr, name in (("ln1_w", "ln_1.weight"), ("ln1_b", "ln_1.bias"), ("attn_w", "attn.c_attn.weight"),
                               ("attn_b", "attn.c_attn.bias"), ("proj_w", "attn.c_proj.weight"),
                               ("proj_b", "attn.c_proj.bias"), ("ln2_w", "ln_2.weight"), ("ln2_b", "ln_2.bias"),
                               ("fc_w", "mlp.c_fc.weight"), ("fc_b", "mlp.c_fc.bias"),
                               ("mlp_w", "mlp.c_proj.weight"), ("mlp_b", "mlp.c_proj.bias")):
                getattr(b, attr).copy_(p[h + name])
        with open(directory + "/ids.json") as f:
            ids = torch.tensor(json.load(f)).view(2, -1)
        t = ids.shape[1]
        logits = model.logits(model.hidden(ids, torch.arange(t).view(1, t), causal_bias(t)))
        with open(directory + "/logits.f32", "rb") as f:
            java = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).view(logits.shape)
    return {"max_abs_logit_diff": float((logits - java).abs().max()), "max_abs_logit": float(java.abs().max())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--configs", default="a,b")
    ap.add_argument("--sections", default="ceiling,train,sample")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default="")
    ap.add_argument("--check-dir", default="", help="PolicyBench's --work folder, for --sections check")
    ap.add_argument("--activation", default="gelu_new", choices=["gelu_new", "gelu"],
                    help="the MLP activation of the train, sample and check models")
    args = ap.parse_args()
    global ACTIVATION
    ACTIVATION = args.activation
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    sections = args.sections.split(",")
    result = {"engine": "Python torch " + torch.__version__, "threads": args.threads,
              "intra_op_threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
              "activation": args.activation}
    if "ceiling" in sections:
        result["matmul_ceiling"] = matmul_ceiling(args.runs)
        result["tiny_op"] = tiny_op(args.runs)
        log("ceiling %s" % result["matmul_ceiling"])
    if "ops" in sections:
        result["decode_ops_us"] = decode_op_costs(args.runs)
        log("decode ops %s" % result["decode_ops_us"])
    configs = {}
    for name in args.configs.split(","):
        c = dict(CONFIGS[name], name=name)
        rows = {"parameters": sum(p.numel() for p in
                                  Gpt2(c["n_layer"], c["n_embd"], c["n_head"], c["n_positions"], c["vocab"], 0)
                                  .parameters())}
        if "train" in sections:
            rows["train"] = training(c, args.runs, args.threads)
        if "sample" in sections:
            rows["sample"] = sampling(c, args.runs)
        if "check" in sections:
            rows["check"] = check_same_function(c, args.check_dir + "/check-" + name)
            log("%s same function: %s" % (name, rows["check"]))
        configs[name] = rows
    result["configs"] = configs
    write_json(result, args.out)


def write_json(result, out):
    """Writes the result as JSON to the file out, or to standard output when out is empty."""
    text = json.dumps(result, indent=2) + "\n"
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
