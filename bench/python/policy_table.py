"""Merges the JSON files of one bench/run-policy-bench.sh run and writes its Markdown table.

Usage: python3 policy_table.py RESULTS_DIR   (reads java-*.json, python-*.json, env.json; writes results.md)
With round-N/ subdirectories (run-policy-bench.sh --rounds N), each round gets its own results.md and the
top-level one judges each speed goal by the median over the rounds of the round's ratio.
Standard library only.
"""
import copy
import glob
import json
import os
import statistics
import sys

# The goals of issue 4's "Bench" paragraph.
TRAIN_RATIO_GOAL = 1.0
CEILING_SHARE_GOAL = 0.45
SAMPLE_RATIO_GOAL = {1: 1.0, 32: 1.5}
# RSS counts as flat when it grows by at most this share from the 100th call to the last, with the
# policy's count of live native arrays unchanged.
FLAT_SHARE = 0.05


def merge(into, other):
    for k, v in other.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            merge(into[k], v)
        else:
            # A copy: the same dict may also hang under a config (ceilings), and later merges change into.
            into[k] = copy.deepcopy(v)
    return into


def load(directory, side):
    out = {}
    for path in sorted(glob.glob(os.path.join(directory, side + "-*.json"))):
        with open(path) as f:
            data = json.load(f)
        # A file's ceiling and op cost belong to the configs that file measured.
        for cfg in data.get("configs", {}).values():
            for key in ("matmul_ceiling", "tiny_op"):
                if key in data:
                    cfg[key] = data[key]
        merge(out, data)
    return out


def fmt(x, digits=0):
    if x is None:
        return "–"
    return f"{x:,.{digits}f}"


def verdict(ok):
    return "**met**" if ok else "**not met**"


def memory_table(memory, allocator, w, goals):
    """The RSS table of one memory section and its two "flat" goals."""
    w("")
    under = f"with {allocator} preloaded" if allocator else "with the system allocator (glibc)"
    w(f"Resident memory (VmRSS, MiB) of the DJL process {under} over the `pytorch` policy's calls on cfg a "
      f"(training: {memory['train_batch']}, NLL; generate: {memory['generate_call']}); "
      f"\"arrays\" = native arrays the policy's manager holds:")
    w("")
    at = memory["train"]["at"]
    w("| calls | " + " | ".join(str(a) for a in at) + " | growth 100→last |")
    w("|---|" + "---|" * (len(at) + 1))
    for what in ("train", "generate"):
        m = memory[what]
        w(f"| {what} RSS | " + " | ".join(fmt(x) for x in m["rss_mb"]) +
          f" | {m['growth_mb_from_100']:+.1f} MiB |")
        w(f"| {what} arrays | " + " | ".join(str(x) for x in m["managed_arrays"]) + " | |")
        if "heap_committed_mb" in m:
            w(f"| {what} Java heap committed | " + " | ".join(fmt(x) for x in m["heap_committed_mb"]) + " | |")
        if "non_heap_committed_mb" in m:
            w(f"| {what} JVM non-heap committed | " + " | ".join(fmt(x) for x in m["non_heap_committed_mb"])
              + f" | {m['non_heap_committed_mb'][-1] - m['non_heap_committed_mb'][1]:+.1f} MiB |")
        base = m["rss_mb"][1] if len(m["rss_mb"]) > 1 else m["rss_mb"][0]
        flat = (m["growth_mb_from_100"] <= FLAT_SHARE * base
                and len(set(m["managed_arrays"])) == 1)
        goals.append((f"RSS flat over {at[-1]} {what} calls (≤ {FLAT_SHARE:.0%} growth after call 100, "
                       f"constant array count){', ' + allocator if allocator else ''}", f"{m['growth_mb_from_100']:+.1f} MiB", flat, "", None,
                      None, None))


def main(directory):
    rounds = sorted(glob.glob(os.path.join(directory, "round-*")), key=lambda d: int(d.rsplit("-", 1)[1]))
    by_round = [report(d) for d in rounds]
    report(directory, by_round)


def rounds_table(by_round, w):
    """Each speed goal per round and its median over the rounds, judged by the median."""
    w("")
    w(f"Speed goals over {len(by_round)} rounds (each round measured both sides back to back, DJL first in odd "
      f"rounds and Python first in even ones; round-N/results.md has each round's tables). The verdict is the "
      f"median's:")
    w("")
    w("| goal (issue 4) | " + " | ".join(f"round {i + 1}" for i in range(len(by_round))) + " | median | verdict |")
    w("|---|" + "---|" * (len(by_round) + 2))
    names = [g[0] for g in by_round[0] if g[5] is not None]
    for name in names:
        values, goal = [], None
        for goals in by_round:
            for g in goals:
                if g[0] == name:
                    values.append(g[5])
                    goal = g[6]
        percent = "ceiling" in name
        show = (lambda v: f"{v:.0%}") if percent else (lambda v: f"{v:.2f}×")
        median = statistics.median(values)
        w(f"| {name} | " + " | ".join(show(v) for v in values) + f" | {show(median)} | {verdict(median >= goal)} |")


def report(directory, by_round=None):
    java = load(directory, "java")
    py = load(directory, "python")
    env = {}
    if os.path.exists(os.path.join(directory, "env.json")):
        with open(os.path.join(directory, "env.json")) as f:
            env = json.load(f)
    lines = []
    w = lines.append
    w(f"Run of {env.get('date', '?')} at commit {env.get('commit', '?')}: {env.get('cpu', '?')}, "
      f"{env.get('cores', '?')} cores, {java.get('threads')} compute thread(s) per side "
      f"(DJL intra-op {java.get('intra_op_threads')}, inter-op {java.get('interop_threads')}; "
      f"Python intra-op {py.get('intra_op_threads')}, inter-op {py.get('interop_threads')}). "
      f"Load average before/after: {env.get('load_before', '?')} / {env.get('load_after', '?')}. "
      f"{java.get('engine')} vs {py.get('engine')} (OpenBLAS core type: "
      f"{env.get('openblas_coretype') or 'auto-detected'}). MLP activation of the timed models: "
      f"{env.get('activation', 'gelu_new')}" + (" (the exact GELU, one op on both sides)" if env.get('activation') == "gelu"
                                                else " (GPT-2's: 7 ops in Gpt2Model, 1 fused op in torch)") + ".")
    allocator = env.get("djl_allocator", "system")
    if allocator != "system":
        conf = env.get("malloc_conf")
        w(f"The DJL side's timing runs had {allocator} preloaded"
          f"{' with MALLOC_CONF=' + conf if conf else ''} (`hir run -Dhir.allocator={allocator}`); "
          f"the Python side used the system allocator.")
    w("")
    checks = [f"{cfg}: {py['configs'][cfg]['check']['max_abs_logit_diff']:.1e}"
              for cfg in sorted(py.get("configs", {})) if "check" in py["configs"][cfg]]
    if checks:
        w("Same model on both sides: the Python script loads the weights `Gpt2Model` wrote and reproduces its "
          "logits for 2×20 tokens within a max absolute difference of " + ", ".join(checks) + ".")
        w("")
    # The timed sections; a --rounds run has them in round-N/results.md only.
    write = w
    if not any("train" in c or "sample" in c for c in java.get("configs", {}).values()):
        w = lambda line: None  # noqa: E731
    w("Matmul ceiling (1024×1024 float matmul, GFLOP/s) and the cost of one tiny op (`add` on 1×8, µs), "
      "measured by each process just before its config's workloads:")
    w("")
    w("| cfg | DJL ceiling | Python ceiling | DJL tiny op | Python tiny op |")
    w("|---|---|---|---|---|")
    for cfg in sorted(java.get("configs", {})):
        jc, pc = java["configs"][cfg], py["configs"].get(cfg, {})
        if "matmul_ceiling" in jc:
            w(f"| {cfg} | {fmt(jc['matmul_ceiling']['gflops'], 1)} | {fmt(pc['matmul_ceiling']['gflops'], 1)} | "
              f"{fmt(jc['tiny_op']['us_per_op'], 1)} | {fmt(pc['tiny_op']['us_per_op'], 1)} |")
    w("")
    w("Throughput by wall-clock time (median run; the issue's measure), by the CPU time of each process, and "
      "the ratio of the fastest runs (the two are steadier when other processes share the cores). % of "
      "ceiling: DJL's GFLOP/s over the DJL matmul ceiling measured the same way.")
    w("")
    w("| cfg | batch | metric | DJL | Python | DJL/Py | DJL/Py by CPU time | DJL/Py best runs | "
      "DJL GFLOP/s (% of ceiling) | by CPU time | Python GFLOP/s |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
    goals = []
    for cfg in sorted(java.get("configs", {})):
        jc, pc = java["configs"][cfg], py["configs"].get(cfg, {})
        if "train" not in jc and "sample" not in jc:
            continue
        ceiling = jc["matmul_ceiling"]["gflops"]
        cpu_ceiling = jc["matmul_ceiling"]["gflops_per_cpu_s"]
        for section, metric in (("train", "train tokens/s"), ("sample", "KV sampling new tokens/s")):
            for key in sorted(jc.get(section, {}), key=lambda k: int(k[1:])):
                j = jc[section][key]
                p = pc.get(section, {}).get(key)
                ratio = j["per_s"] / p["per_s"] if p else None
                cpu_ratio = j["per_cpu_s"] / p["per_cpu_s"] if p else None
                share = j["gflops"] / ceiling
                cpu_share = j["gflops_per_cpu_s"] / cpu_ceiling
                best = max(j["runs_per_s"]) / max(p["runs_per_s"]) if p else None
                w(f"| {cfg} | {key[1:]} | {metric} | {fmt(j['per_s'])} | {fmt(p['per_s'] if p else None)} | "
                  f"{fmt(ratio, 2)} | {fmt(cpu_ratio, 2)} | {fmt(best, 2)} | {fmt(j['gflops'], 1)} ({share:.0%}) | "
                  f"{fmt(j['gflops_per_cpu_s'], 1)} ({cpu_share:.0%}) | {fmt(p['gflops'] if p else None, 1)} |")
                batch = int(key[1:])
                if section == "train" and ratio is not None:
                    goals.append((f"training ≥ {TRAIN_RATIO_GOAL}× Python, cfg {cfg}, batch {batch}",
                                  f"{ratio:.2f}×", ratio >= TRAIN_RATIO_GOAL, f"{cpu_ratio:.2f}×",
                                  cpu_ratio >= TRAIN_RATIO_GOAL, ratio, TRAIN_RATIO_GOAL))
                    if batch == 32:
                        goals.append((f"training ≥ {CEILING_SHARE_GOAL:.0%} of the matmul ceiling, cfg {cfg}, "
                                      f"batch {batch}", f"{share:.0%}", share >= CEILING_SHARE_GOAL,
                                      f"{cpu_share:.0%}", cpu_share >= CEILING_SHARE_GOAL, share, CEILING_SHARE_GOAL))
                if section == "sample" and ratio is not None and batch in SAMPLE_RATIO_GOAL:
                    goal = SAMPLE_RATIO_GOAL[batch]
                    goals.append((f"KV sampling ≥ {goal}× Python, cfg {cfg}, batch {batch}", f"{ratio:.2f}×",
                                  ratio >= goal, f"{cpu_ratio:.2f}×", cpu_ratio >= goal, ratio, goal))
    w("")
    w("Where training time goes (ms per step; forward and forward+backward each timed alone; optimizer = "
      "forward+backward+update minus forward+backward, timed one after the other, so the update sees real gradients; "
      "\"rest\" = step − forward/backward − optimizer, the trainer's own bookkeeping):")
    w("")
    w("| cfg | batch | side | step | forward | forward+backward | optimizer (clip + AdamW) | rest | "
      "DJL fused adamUpdate instead |")
    w("|---|---|---|---|---|---|---|---|---|")
    for cfg in sorted(java.get("configs", {})):
        for side, data in (("DJL", java), ("Python", py)):
            for key, r in sorted(data["configs"].get(cfg, {}).get("train", {}).items(), key=lambda kv: int(kv[0][1:])):
                if "forward_s" not in r:
                    continue
                rest = r["s_per_call"] - r["forward_backward_s"] - r["optimizer_s"]
                w(f"| {cfg} | {key[1:]} | {side} | {fmt(r['s_per_call'] * 1e3, 1)} | {fmt(r['forward_s'] * 1e3, 1)} | "
                  f"{fmt(r['forward_backward_s'] * 1e3, 1)} | {fmt(r['optimizer_s'] * 1e3, 1)} | {fmt(rest * 1e3, 1)} | "
                  f"{fmt(r['fused_update_s'] * 1e3, 1) if 'fused_update_s' in r else ''} |")
    w("")
    w("Where sampling time goes (new tokens/s; \"steps\" = how the Sampler ran its one-token steps: `StepDecoder` "
      "(Java) or libtorch operations; \"libtorch steps\" = the same calls with every step as libtorch operations; "
      "\"model only\" = the same prefill + 111 cached libtorch steps with "
      "greedy choice inside the engine and no copy of the log-probabilities to the host; \"Java choice\" = "
      "the time `TokenSampler.choose` alone takes per generate call on random log-probabilities):")
    w("")
    w("| cfg | batch | DJL Sampler | steps | DJL Sampler, libtorch steps | DJL model only | Java choice (ms/call) | "
      "Sampler call (ms) | Python sampling | Python model only |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for cfg in sorted(java.get("configs", {})):
        jc, pc = java["configs"][cfg], py["configs"].get(cfg, {})
        for key in sorted(jc.get("sample", {}), key=lambda k: int(k[1:])):
            j = jc["sample"][key]
            p = pc.get("sample", {}).get(key, {})
            steps = "" if "java_steps" not in j else ("Java" if j["java_steps"] else "libtorch")
            w(f"| {cfg} | {key[1:]} | {fmt(j['per_s'])} | {steps} | {fmt(j.get('libtorch_steps_per_s'))} | "
              f"{fmt(j['model_only_per_s'])} | "
              f"{fmt(j['java_choice_s_per_call'] * 1e3, 1)} | {fmt(j['s_per_call'] * 1e3, 1)} | "
              f"{fmt(p.get('per_s'))} | {fmt(p.get('model_only_per_s'))} |")
    w = write
    memories = [("", java.get("memory"))]
    # The same memory section under a preloaded allocator (run-policy-bench.sh writes memory-<name>.json).
    for path in sorted(glob.glob(os.path.join(directory, "memory-*.json"))):
        with open(path) as f:
            memories.append((os.path.basename(path)[len("memory-"):-len(".json")], json.load(f).get("memory")))
    for allocator, memory in memories:
        if memory:
            memory_table(memory, allocator, w, goals)
    w("")
    jops, pops = java.get("decode_ops_us"), py.get("decode_ops_us")
    if jops and pops:
        w("")
        w("Cost of single ops of a cached decoding step, batch 1, config b's shapes (µs per call, median; "
          "the arithmetic of each is well under a microsecond except the matmul and LM head):")
        w("")
        w("| op | DJL | Python |")
        w("|---|---|---|")
        pvals = list(pops.items())
        for i, (name, value) in enumerate(jops.items()):
            pname, pvalue = pvals[i] if i < len(pvals) else ("", None)
            label = name if pname == name else f"{name} / Python: {pname}"
            w(f"| {label} | {fmt(value, 1)} | {fmt(pvalue, 1)} |")
    if by_round:
        rounds_table(by_round, w)
    w("")
    if goals:
        w("| goal (issue 4) | wall time | verdict | CPU time | verdict |")
        w("|---|---|---|---|---|")
    for name, value, ok, cpu_value, cpu_ok, _, _ in goals:
        w(f"| {name} | {value} | {verdict(ok)} | {cpu_value} | {verdict(cpu_ok) if cpu_ok is not None else ''} |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(directory, "results.md"), "w") as f:
        f.write(text)
    if by_round is not None:
        sys.stdout.write(text)
    return goals


if __name__ == "__main__":
    main(sys.argv[1])
