#!/usr/bin/env bash
# The rollout benchmark of issue 6: new tokens/s of the onnxruntime policy, the pytorch policy (both through
# dev.hir.bench.RolloutBench, i.e. Policy.generate) and plain Python PyTorch (bench/python/rollout_bench.py) on
# the same random checkpoints and prompt token ids, with the same number of compute threads; the onnxruntime
# policy's weight sync (reload); and per-op profiles of cached decoding steps. The engines never run at the
# same time: per config, onnxruntime, then pytorch, then Python. Writes the raw JSON, the profile traces and
# results.md (the Markdown table, bench/python/rollout_table.py) to bench/results-rollout/<date>/.
#
# Usage: bench/run-rollout-bench.sh [--threads 1|2] [--configs a,b] [--runs 5] [--new-tokens 16,64]
#                                   [--batches 1,32] [--prompt 200] [--sections rollout,sync,profile]
#                                   [--skip-profile] [--skip-build] [--no-wait] [--out DIR]
# --sections with fewer sections (e.g. profile) writes ENGINE-CFG-SECTIONS.json, which the table prefers for
# those sections: a profile can be redone into an earlier results folder (the checkpoints are deterministic).
# Needs Debian's python3-torch and libopenblas0-openmp (../shared/FEASIBILITY.md P1-P2). It waits while another
# benchmark (PolicyBench, gpt2_bench, RolloutBench, rollout_bench) runs, unless --no-wait.
set -euo pipefail
cd "$(dirname "$0")/.."

threads=1
configs=a,b
runs=5
new_tokens=16,64
batches=1,32
prompt=200
sections=rollout,sync,profile
profile=1
skip_build=0
wait_quiet=1
out="bench/results-rollout/$(date -u +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --configs) configs=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --new-tokens) new_tokens=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --prompt) prompt=$2; shift 2 ;;
    --sections) sections=$2; shift 2 ;;
    --skip-profile) profile=0; shift ;;
    --skip-build) skip_build=1; shift ;;
    --no-wait) wait_quiet=0; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [ "$threads" != 1 ] && [ "$threads" != 2 ]; then
  echo "--threads must be 1 or 2 (this benchmark assumes a 2-core machine)" >&2
  exit 2
fi

source bench/bench-env.sh
bench_python_env "$threads"

bench_classpath target-rollout
mkdir -p "$out"

# P3: another benchmark on the same 2 cores would distort both.
if [ "$wait_quiet" = 1 ]; then
  while pgrep -f "PolicyBench|gpt2_bench|RolloutBench|rollout_bench" >/dev/null; do
    echo "another benchmark is running ($(pgrep -f 'PolicyBench|gpt2_bench|RolloutBench|rollout_bench' | tr '\n' ' ')); waiting" >&2
    sleep 30
  done
fi

common=(--work "$work" --threads "$threads" --runs "$runs" --new-tokens "$new_tokens" --batches "$batches")
suffix=""
if [ "$sections" != rollout,sync,profile ]; then
  suffix="-${sections//,/-}"
fi
py_sections=$(echo "$sections" | tr ',' '\n' | grep -v '^sync$' | paste -sd, || true)
profile_args=()
if [ "$profile" = 1 ]; then
  profile_args=(--profile-dir "$(cd "$out" && pwd)/profiles")
fi
java_bench() {
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$classpath" dev.hir.bench.RolloutBench "$@"
}
loads="$out/loads$suffix.txt"
: > "$loads"
# Another benchmark may start after the wait above: each phase notes the load and any benchmark it finds.
note_load() {
  others=$(pgrep -f "PolicyBench|gpt2_bench" | paste -sd, || true)
  echo "$(date -u +%H:%M:%S) $1 $(cut -d' ' -f1-3 /proc/loadavg)${others:+ other-benchmark:$others}" >> "$loads"
}
top -bn1 | head -20 > "$out/top-before$suffix.txt" || true

note_load "start"
java_bench --mode prepare --work "$work" --configs "$configs" --batches "$batches" --prompt "$prompt" \
  --out "$out/checkpoints$suffix.json"
first=1
for cfg in ${configs//,/ }; do
  sync=()
  if [ "$first" = 1 ] && [ -d models/tso3-base ]; then
    # The embedded default run's model: its sync is the one a default `hir run` pays every iteration.
    sync=(--sync-checkpoints "$(pwd)/models/tso3-base")
  fi
  first=0
  echo "== config $cfg: onnxruntime" >&2
  note_load "ort-$cfg"
  java_bench --mode measure --engine onnxruntime --configs "$cfg" "${common[@]}" --prompt "$prompt" \
    --sections "$sections" "${profile_args[@]}" "${sync[@]}" --out "$out/ort-$cfg$suffix.json"
  echo "== config $cfg: pytorch" >&2
  note_load "pytorch-$cfg"
  java_bench --mode measure --engine pytorch --configs "$cfg" "${common[@]}" --prompt "$prompt" \
    --sections "$sections" "${profile_args[@]}" --out "$out/pytorch-$cfg$suffix.json"
  echo "== config $cfg: Python" >&2
  note_load "python-$cfg"
  if [ -n "$py_sections" ]; then
    "$py" bench/python/rollout_bench.py --configs "$cfg" "${common[@]}" --sections "$py_sections" "${profile_args[@]}" \
      --out "$out/python-$cfg$suffix.json"
  fi
done
note_load "end"
top -bn1 | head -20 > "$out/top-after$suffix.txt" || true

if [ -n "$suffix" ] && [ -f "$out/env.json" ]; then
  "$py" bench/python/rollout_table.py "$out"
  echo "results in $out" >&2
  exit 0
fi
cat > "$out/env.json" <<EOF
{"date": "$(date -u +%Y-%m-%dT%H:%MZ)", "commit": "$(git rev-parse --short HEAD)",
 "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')",
 "cores": $(getconf _NPROCESSORS_ONLN), "threads": $threads, "openblas_coretype": "${OPENBLAS_CORETYPE:-}",
 "prompt_tokens": $prompt, "runs": $runs}
EOF
"$py" bench/python/rollout_table.py "$out"
echo "results in $out" >&2
