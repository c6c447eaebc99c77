"""The Python side of the rollout benchmark (issue 6): cached sampling in plain PyTorch on the checkpoints
that dev.hir.bench.RolloutBench writes, with the same prompt token ids.

The model is bench/python/gpt2_bench.py's Gpt2 (the pytorch policy's GPT-2 in plain PyTorch), loaded with
the checkpoint's weights: model.safetensors is read here (8-byte header length, JSON header, raw
little-endian data), no extra packages. Workloads, timed as RolloutBench times the policies (warm-up, then
RUNS timed runs of a few calls, the median run):
  - rollout: B prompts of 200 tokens, prefill, then one-token steps with a KV cache, temperature 1
    (softmax + torch.multinomial); 1 new token (prefill only) and each --new-tokens count; batch 1 and 32.
    The checkpoint's end-of-sequence logit is pinned at -1000 (see RolloutBench), so no sample stops early.
  - profile: torch.profiler over 12 greedy cached steps after a prefill (chrome trace, for rollout_table.py),
    and the same steps unprofiled.
  - greedy_check: the model's log-probability of its 16 greedy tokens after prompt 0, to compare with the
    policies (same weights, same answer).

Run with Debian's python3 (python3-torch), libopenblas0-openmp and OPENBLAS_CORETYPE set (FEASIBILITY.md
P1-P2); bench/run-rollout-bench.sh sets this up.

Usage: /usr/bin/python3 rollout_bench.py --work DIR [--configs a,b] [--threads 1] [--runs 5]
       [--new-tokens 16,64] [--batches 1,32] [--sections rollout,profile] [--profile-dir DIR] [--out FILE.json]
"""
import argparse
import json
import os
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_bench  # noqa: E402  (the same model as the issue-4 benchmark)

PROFILED_STEPS = 12
DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def log(message):
    print("[rollout_bench] " + message, file=sys.stderr, flush=True)


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        raw = bytearray(data[start:end])
        t = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]) if raw else torch.empty(0)
        tensors[name] = t.reshape(entry["shape"]).float()
    return tensors


def load_model(checkpoint):
    with open(os.path.join(checkpoint, "config.json")) as f:
        c = json.load(f)
    model = gpt2_bench.Gpt2(c["n_layer"], c["n_embd"], c["n_head"], c["n_positions"], c["vocab_size"], seed=0)
    w = {k[len("transformer."):] if k.startswith("transformer.") else k: v
         for k, v in read_safetensors(os.path.join(checkpoint, "model.safetensors")).items()}
    names = {"wte": "wte.weight", "wpe": "wpe.weight", "lnf_w": "ln_f.weight", "lnf_b": "ln_f.bias"}
    per_block = {"ln1_w": "ln_1.weight", "ln1_b": "ln_1.bias", "attn_w": "attn.c_attn.weight",
                 "attn_b": "attn.c_attn.bias", "proj_w": "attn.c_proj.weight", "proj_b": "attn.c_proj.bias",
                 "ln2_w": "ln_2.weight", "ln2_b": "ln_2.bias", "fc_w": "mlp.c_fc.weight", "fc_b": "mlp.c_fc.bias",
                 "mlp_w": "mlp.c_proj.weight", "mlp_b": "mlp.c_proj.bias"}
    used = set()
    with torch.no_grad():
        for attr, name in names.items():
            getattr(model, attr).copy_(w[name])
            used.add(name)
        for i, block in enumerate(model.blocks):
            for attr, name in per_block.items():
                getattr(block, attr).copy_(w["h.%d.%s" % (i, name)])
                used.add("h.%d.%s" % (i, name))
    extra = set(w) - used
    if extra:
        raise ValueError("unused tensors in %s: %s" % (checkpoint, sorted(extra)))
    model.requires_grad_(False)
    return model, c


def prefill(model, prompts, cache):
    t = prompts.shape[1]
    h = model.hidden(prompts, torch.arange(t).view(1, t), gpt2_bench.causal_bias(t), cache)
    return model.logits(h[:, -1])


def step(model, tokens, position, cache):
    h = model.hidden(tokens, torch.tensor([[position]]), None, cache)
    return model.logits(h.view(tokens.shape[0], model.d))


def generate(model, prompts, new_tokens, gen, eos):
    """Prefill, then one-token cached steps, sampling at temperature 1; checks that no sample ends early."""
    bsz, t = prompts.shape
    cache = [None] * model.n_layer
    logits = prefill(model, prompts, cache)
    out = []
    for s in range(new_tokens):
        nxt = torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=gen)
        out.append(nxt)
        if s == new_tokens - 1:
            break
        logits = step(model, nxt, t + s, cache)
    tokens = torch.cat(out, dim=1)
    if tokens.shape != (bsz, new_tokens) or bool((tokens == eos).any()):
        raise AssertionError("a sample chose the end of sequence")
    return tokens


def greedy_steps(model, prompts, steps):
    """Prefill, then `steps` greedy cached steps (as the Java profiles); returns (prefill s, median wall s of a
    step, mean CPU s of a step on this thread)."""
    t = prompts.shape[1]
    cache = [None] * model.n_layer
    start = time.perf_counter()
    logits = prefill(model, prompts, cache).log_softmax(-1)
    first = time.perf_counter() - start
    walls = []
    cpu_start = time.thread_time()
    for s in range(1, steps + 1):
        start = time.perf_counter()
        nxt = logits.argmax(-1, keepdim=True)
        logits = step(model, nxt, t + s - 1, cache).log_softmax(-1)
        logits.tolist()  # the Java engines copy each step's log-probabilities out, too
        walls.append(time.perf_counter() - start)
    return first, statistics.median(walls), (time.thread_time() - cpu_start) / steps


def calls_per_run(fn):
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    return int(max(1, min(50, round(0.4 / seconds))))


def rollouts(model, ids, eos, batches, counts, runs):
    out = {}
    gen = torch.Generator().manual_seed(0)
    for batch in batches:
        prompts = torch.tensor(ids[:batch], dtype=torch.long)
        for n in [1] + counts:
            fn = lambda: generate(model, prompts, n, gen, eos)  # noqa: E731
            calls = calls_per_run(fn)
            row = gpt2_bench.rate(gpt2_bench.timed(1, runs, calls, fn), calls, batch * n, 0)
            row["batch"], row["new_tokens"] = batch, n
            out["b%d_n%d" % (batch, n)] = row
            log("B=%d new=%d: %.0f new tokens/s, %.4f s/call" % (batch, n, row["per_s"], row["s_per_call"]))
    return out


def profile(model, ids, name, batches, directory):
    out = {}
    for batch in batches:
        prompts = torch.tensor(ids[:batch], dtype=torch.long)
        for _ in range(3):
            first, per_step, per_step_cpu = greedy_steps(model, prompts, PROFILED_STEPS)
        t = prompts.shape[1]
        cache = [None] * model.n_layer
        logits = prefill(model, prompts, cache).log_softmax(-1)
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            for s in range(1, PROFILED_STEPS + 1):
                nxt = logits.argmax(-1, keepdim=True)
                logits = step(model, nxt, t + s - 1, cache).log_softmax(-1)
                logits.tolist()
        trace = os.path.abspath(os.path.join(directory, "python-%s-b%d.json" % (name, batch)))
        prof.export_chrome_trace(trace)
        out["b%d_trace" % batch] = trace
        out["b%d_prefill_s" % batch] = first
        out["b%d_step_s" % batch] = per_step
        out["b%d_step_cpu_s" % batch] = per_step_cpu
    return out


def greedy_check(model, ids, n=16):
    prompts = torch.tensor(ids[:1], dtype=torch.long)
    t = prompts.shape[1]
    cache = [None] * model.n_layer
    logp = prefill(model, prompts, cache).log_softmax(-1)
    total, tokens = 0.0, []
    for s in range(n):
        nxt = logp.argmax(-1, keepdim=True)
        total += float(logp[0, nxt[0, 0]])
        tokens.append(int(nxt[0, 0]))
        if s < n - 1:
            logp = step(model, nxt, t + s, cache).log_softmax(-1)
    return {"log_prob": total, "tokens": tokens}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--configs", default="a,b")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--new-tokens", default="16,64")
    ap.add_argument("--batches", default="1,32")
    ap.add_argument("--sections", default="rollout,profile")
    ap.add_argument("--profile-dir", default="")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    batches = [int(b) for b in args.batches.split(",")]
    counts = [int(n) for n in args.new_tokens.split(",")]
    result = {"engine": "Python torch " + torch.__version__, "threads": args.threads,
              "intra_op_threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
              "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "")}
    configs = {}
    with torch.inference_mode():
        for name in args.configs.split(","):
            directory = os.path.join(args.work, name)
            model, c = load_model(os.path.join(directory, "checkpoint"))
            with open(os.path.join(directory, "prompts.json")) as f:
                prompts = json.load(f)
            eos = prompts["end_of_sequence"]
            rows = {"parameters": sum(p.numel() for p in model.parameters()),
                    "greedy_check": greedy_check(model, prompts["ids"])}
            sections = args.sections.split(",")
            if "rollout" in sections:
                rows["rollout"] = rollouts(model, prompts["ids"], eos, batches, counts, args.runs)
            if "profile" in sections and args.profile_dir:
                os.makedirs(args.profile_dir, exist_ok=True)
                rows["profile"] = profile(model, prompts["ids"], name, batches, args.profile_dir)
            configs[name] = rows
    result["configs"] = configs
    gpt2_bench.write_json(result, args.out)


if __name__ == "__main__":
    main()
