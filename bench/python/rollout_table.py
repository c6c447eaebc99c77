"""Tabulates a run of bench/run-rollout-bench.sh: reads ort-*.json, pytorch-*.json, python-*.json, env.json,
loads.txt and the profile traces in a results folder, writes results.md there and prints it.

Usage: python3 rollout_table.py RESULTS_DIR
"""
import json
import os
import statistics
import sys
from collections import defaultdict

ENGINES = [("ort", "onnxruntime"), ("pytorch", "pytorch plugin"), ("python", "Python torch")]
# docs/quickstart.md: an iteration of the embedded default run (1 compute thread) takes 68-72 s.
ITERATION_S = 70.0


def load(path):
    with open(path) as f:
        return json.load(f)


def fmt(v, digits=0):
    if v is None:
        return "–"
    return ("{:,.%df}" % digits).format(v)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def row_of(results, engine, cfg, key):
    r = results.get(engine, {}).get(cfg)
    return None if r is None else r["rollout"].get(key)


def top_level(events):
    """Events not nested in another event of the same thread (by time)."""
    out = []
    by_thread = defaultdict(list)
    for e in events:
        by_thread[e.get("tid")].append(e)
    for evs in by_thread.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        end = -1.0
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            if ts >= end:
                out.append(e)
                end = ts + dur
    return out


def robust(durations_by_name, steps):
    """Per-step time of each op kind: calls per step x the median call (a process preempted by another on the
    shared cores makes single calls take a whole time slice; the median ignores them)."""
    per_step = {name: len(d) / steps * statistics.median(d) for name, d in durations_by_name.items()}
    return sorted(per_step.items(), key=lambda kv: -kv[1]), sum(per_step.values())


def analyse_torch(trace, steps=12):
    """libtorch/PyTorch profiler trace of `steps` decoding steps: top-level aten ops per step, their time."""
    data = load(trace)
    events = data["traceEvents"] if isinstance(data, dict) else data
    ops = [e for e in events if e.get("ph") == "X" and str(e.get("name", "")).startswith("aten::")]
    tops = top_level(ops)
    by_name = defaultdict(list)
    for e in tops:
        by_name[e["name"]].append(float(e["dur"]))
    top, inside = robust(by_name, steps)
    return {"ops_per_step": len(tops) / steps, "all_ops_per_step": len(ops) / steps, "top": top,
            "in_op_us": inside}


def analyse_ort(trace, steps=12):
    """ONNX Runtime profile: the last `steps` model_run events are the profiled decoding steps."""
    events = load(trace)
    runs = sorted((e for e in events if e.get("cat") == "Session" and e.get("name") == "model_run"),
                  key=lambda e: e["ts"])[-steps:]
    nodes = [e for e in events if e.get("cat") == "Node" and str(e.get("name", "")).endswith("_kernel_time")]
    by_op = defaultdict(list)
    count = 0
    for r in runs:
        lo, hi = r["ts"], r["ts"] + r["dur"]
        for n in nodes:
            if lo <= n["ts"] <= hi:
                count += 1
                by_op[n["args"].get("op_name", "?")].append(float(n["dur"]))
    top, inside = robust(by_op, len(runs))
    return {"ops_per_step": count / len(runs), "top": top, "in_op_us": inside,
            "run_us": statistics.median(float(r["dur"]) for r in runs)}


def main():
    out = sys.argv[1]
    env = load(os.path.join(out, "env.json"))
    results = {e: {} for e, _ in ENGINES}
    sync_extra = {}
    # ENGINE-CFG.json first, then ENGINE-CFG-SECTIONS.json (a later rerun of some sections), whose rows win.
    for name in sorted(os.listdir(out), key=lambda n: (n.count("-"), n)):
        for engine, _ in ENGINES:
            if name.startswith(engine + "-") and name.endswith(".json"):
                data = load(os.path.join(out, name))
                for cfg, rows in data["configs"].items():
                    results[engine].setdefault(cfg, {}).update(rows)
                results.setdefault(engine + "_meta", data)
                sync_extra.update(data.get("sync_checkpoints", {}))
    configs = sorted(set().union(*[results[e].keys() for e, _ in ENGINES]))
    keys = []
    for cfg in configs:
        for e, _ in ENGINES:
            for k in results[e].get(cfg, {}).get("rollout", {}):
                if (cfg, k) not in keys:
                    keys.append((cfg, k))
    lines = []
    w = lines.append
    w("# Rollout benchmark (issue 6)")
    w("")
    w("%s, commit %s, %s (%d cores), %d compute thread(s) per engine, prompt %d tokens, median of %d runs after "
      "warm-up; OPENBLAS_CORETYPE=%s." % (env["date"], env["commit"], env["cpu"], env["cores"], env["threads"],
                                          env["prompt_tokens"], env["runs"], env["openblas_coretype"] or "(auto)"))
    for e, label in ENGINES:
        meta = results.get(e + "_meta")
        if meta:
            w("- %s: %s" % (label, meta["engine"]))
    for loads in sorted(n for n in os.listdir(out) if n.startswith("loads") and n.endswith(".txt")):
        with open(os.path.join(out, loads)) as f:
            w("- load average (1, 5, 15 min) at each phase (%s): " % loads + "; ".join(
                line.strip() for line in f if line.strip()))
    w("")
    w("## New tokens per second (wall clock; per CPU-second of the process in parentheses)")
    w("")
    w("| config | batch | new tokens | onnxruntime | pytorch plugin | Python torch | onnxruntime ÷ pytorch | "
      "onnxruntime ÷ Python |")
    w("|---|---|---|---|---|---|---|---|")
    ratios = {}
    for cfg, key in keys:
        rows = {e: row_of(results, e, cfg, key) for e, _ in ENGINES}
        any_row = next(r for r in rows.values() if r)
        if any_row["new_tokens"] == 1:
            continue
        cells = []
        for e, _ in ENGINES:
            r = rows[e]
            cells.append("–" if r is None else "%s (%s)" % (fmt(r["per_s"]), fmt(r["per_cpu_s"])))
        rp = ratio(rows["ort"] and rows["ort"]["per_s"], rows["pytorch"] and rows["pytorch"]["per_s"])
        rpc = ratio(rows["ort"] and rows["ort"]["per_cpu_s"], rows["pytorch"] and rows["pytorch"]["per_cpu_s"])
        ry = ratio(rows["ort"] and rows["ort"]["per_s"], rows["python"] and rows["python"]["per_s"])
        ryc = ratio(rows["ort"] and rows["ort"]["per_cpu_s"], rows["python"] and rows["python"]["per_cpu_s"])
        ratios[(cfg, any_row["batch"], any_row["new_tokens"])] = (rp, rpc, ry, ryc)
        w("| %s | %d | %d | %s | %s | %s | %s× (%s×) | %s× (%s×) |" % (
            cfg, any_row["batch"], any_row["new_tokens"], cells[0], cells[1], cells[2],
            fmt(rp, 2), fmt(rpc, 2), fmt(ry, 2), fmt(ryc, 2)))
    w("")
    w("## Where the time goes: prefill and decoding steps")
    w("")
    w("Prefill = a `generate` call with 1 new token (the 200-token forward pass and one choice, no decoding "
      "step). Step (difference) = (time of the 64-token call − time of the 16-token call) ÷ 48: one cached "
      "decoding step with its sampling, wall clock and CPU seconds of the process. Step (timed alone) = 12 greedy "
      "cached steps after the prefill on the engine's model (median wall, mean CPU of the calling thread), "
      "around position 200–212.")
    w("")
    w("| config | batch | engine | prefill ms wall (CPU) | step ms, difference, wall (CPU) | "
      "step ms, timed alone, wall (CPU) | prefill share of the 16 / 64-token call (CPU) |")
    w("|---|---|---|---|---|---|---|")
    for cfg in configs:
        batches = sorted({r["batch"] for e, _ in ENGINES for r in results[e].get(cfg, {}).get("rollout", {}).values()})
        for b in batches:
            for e, label in ENGINES:
                rs = results[e].get(cfg, {}).get("rollout", {})
                mine = sorted((r for r in rs.values() if r["batch"] == b), key=lambda r: r["new_tokens"])
                if len(mine) < 3:
                    continue

                def cpu(r):
                    return r["batch"] * r["new_tokens"] / r["per_cpu_s"]

                pre, lo, hi = mine[0], mine[1], mine[-1]
                n = hi["new_tokens"] - lo["new_tokens"]
                step = (hi["s_per_call"] - lo["s_per_call"]) / n
                step_cpu = (cpu(hi) - cpu(lo)) / n
                prof = results[e].get(cfg, {}).get("profile", {})
                alone = "–"
                if ("b%d_step_s" % b) in prof:
                    alone = "%s (%s)" % (fmt(prof["b%d_step_s" % b] * 1e3, 2),
                                         fmt(prof.get("b%d_step_cpu_s" % b, float("nan")) * 1e3, 2))
                w("| %s | %d | %s | %s (%s) | %s (%s) | %s | %.0f%% / %.0f%% |" % (
                    cfg, b, label, fmt(pre["s_per_call"] * 1e3, 1), fmt(cpu(pre) * 1e3, 1), fmt(step * 1e3, 2),
                    fmt(step_cpu * 1e3, 2), alone, 100 * cpu(pre) / cpu(lo), 100 * cpu(pre) / cpu(hi)))
    w("")
    w("## Per-op cost of a cached decoding step (profilers, 12 greedy steps after the 200-token prefill)")
    w("")
    w("Ops = operators run per step (ONNX Runtime: graph nodes after its optimizations; libtorch and PyTorch: "
      "top-level aten calls). Step = the same 12 steps without the profiler, CPU time of the calling thread "
      "(robust to other processes). In-op = per op kind, calls per step × its median call (preempted calls "
      "ignored), summed, under the profiler (which slows each op down, PyTorch's the most): what the kernels "
      "cost, against the step's total; the rest of a step is dispatch between ops, the host language (JNI, Java "
      "or Python) and copying the log-probabilities out.")
    w("")
    w("| config | batch | engine | step ms (CPU) | ops per step | µs per op (step ÷ ops) | in-op ms (profiled) | "
      "most in-op time |")
    w("|---|---|---|---|---|---|---|---|")
    for cfg in configs:
        traced = sorted({int(k[1:-len("_trace")]) for e, _ in ENGINES
                         for k in results[e].get(cfg, {}).get("profile", {}) if k.endswith("_trace")})
        for b in traced:
            for e, label in ENGINES:
                prof = results[e].get(cfg, {}).get("profile")
                if not prof or ("b%d_trace" % b) not in prof:
                    continue
                trace = prof["b%d_trace" % b]
                if not os.path.exists(trace):
                    trace = os.path.join(out, "profiles", os.path.basename(trace))
                try:
                    a = analyse_ort(trace) if e == "ort" else analyse_torch(trace)
                except (OSError, ValueError, KeyError) as ex:
                    w("| %s | %d | %s | trace unreadable: %s ||||||" % (cfg, b, label, ex))
                    continue
                step_ms = prof.get("b%d_step_cpu_s" % b, prof["b%d_step_s" % b]) * 1e3
                top = ", ".join("%s %.0f%%" % (n.replace("aten::", ""), 100 * t / a["in_op_us"]) for n, t in a["top"][:4])
                w("| %s | %d | %s | %s | %s | %s | %s | %s |" % (
                    cfg, b, label, fmt(step_ms, 2), fmt(a["ops_per_step"]), fmt(step_ms * 1e3 / a["ops_per_step"], 1),
                    fmt(a["in_op_us"] / 1e3, 2), top))
    w("")
    w("## Weight sync (onnxruntime policy `reload`: export + new session + swap)")
    w("")
    w("Compared with one iteration of the embedded default run, %.0f s (docs/quickstart.md: 68–72 s with 1 "
      "compute thread)." % ITERATION_S)
    w("")
    w("| checkpoint | ONNX MB | export ms | session ms | reload ms | reload ÷ iteration |")
    w("|---|---|---|---|---|---|")
    sync_rows = []
    for cfg in configs:
        s = results["ort"].get(cfg, {}).get("sync")
        if s:
            sync_rows.append(("config " + cfg, s))
    for path, s in sync_extra.items():
        sync_rows.append((os.path.basename(path.rstrip("/")), s))
    worst = 0.0
    for name, s in sync_rows:
        share = s["reload_s"] / ITERATION_S
        worst = max(worst, share)
        w("| %s | %.1f | %s | %s | %s | %.2f%% |" % (name, s["onnx_mb"], fmt(s["export_s"] * 1e3, 1),
                                                   fmt(s["session_s"] * 1e3, 1), fmt(s["reload_s"] * 1e3, 1),
                                                   100 * share))
    w("")
    w("## Same weights, same answer")
    w("")
    checks = []
    for cfg in configs:
        vals = []
        for e, label in ENGINES:
            g = results[e].get(cfg, {}).get("greedy_check")
            if g:
                vals.append("%s %.4f" % (label, g["log_prob"]))
        checks.append("config %s: %s" % (cfg, ", ".join(vals)))
    w("Log-probability of the 16 greedy tokens after prompt 0 — " + "; ".join(checks) + ".")
    w("")
    w("## Goals of issue 6")
    w("")

    def goal(text, batch, index, target):
        vals = [(k, v[index]) for k, v in ratios.items() if k[1] == batch and v[index] is not None]
        if not vals:
            return
        met = all(v >= target for _, v in vals)
        detail = ", ".join("%s/%d new %.2f×" % (k[0], k[2], v) for k, v in sorted(vals))
        w("- %s: **%s** (%s)" % (text, "met" if met else "not met", detail))

    goal("onnxruntime ≥ 3× the pytorch plugin at batch 1 (wall)", 1, 0, 3.0)
    goal("onnxruntime ≥ 2× the pytorch plugin at batch 32 (wall)", 32, 0, 2.0)
    goal("onnxruntime ≥ 2.5× Python torch at batch 32 (wall)", 32, 2, 2.5)
    if sync_rows:
        w("- weight sync < 5%% of an iteration: **%s** (largest: %.2f%%)" % ("met" if worst < 0.05 else "not met",
                                                                          100 * worst))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
