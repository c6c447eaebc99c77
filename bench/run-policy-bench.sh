#!/usr/bin/env bash
# The pytorch policy benchmark of issue 4: DJL (dev.hir.bench.PolicyBench, the plugin's own classes) and the
# same GPT-2 in plain Python PyTorch (bench/python/gpt2_bench.py), side by side in one run with the same
# number of compute threads. The two sides never run at the same time: each config runs DJL, then Python.
# Writes the raw JSON and results.md (the Markdown table) to bench/results/<date>/.
#
# Usage: bench/run-policy-bench.sh [--threads 1|2] [--configs a,b] [--runs 5] [--rounds 1] [--memory-steps 1000]
#                                  [--skip-memory] [--skip-build] [--djl-allocator system|jemalloc|jemalloc-retain|tcmalloc]
#                                  [--activation gelu_new|gelu] [--out DIR]
# --rounds N repeats the timed pairs N times, DJL first in odd rounds and Python first in even ones, into
# round-1/ ... round-N/; results.md then judges each goal by the median over the rounds of that round's
# ratio. The speed of this (virtual) machine drifts by 20-30% over minutes, so one pair measured minutes
# apart can cross a goal either way; ratios of adjacent measurements, repeated, do not.
# --activation gelu runs the training, sampling and same-function workloads on both sides with the exact GELU (one
# op on both sides) instead of GPT-2's gelu_new (7 ops in Gpt2Model, one fused op in torch); op costs and memory
# keep gelu_new.
# --djl-allocator preloads that allocator into the DJL side's timing runs only (what `hir run
# -Dhir.allocator=...` does; jemalloc-retain is jemalloc with MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
# unless MALLOC_CONF is set); MALLOC_CONF from the environment passes through (glibc ignores it, so the Python
# side is unaffected).
# Needs Debian's python3-torch and libopenblas0-openmp (../shared/FEASIBILITY.md P1-P2). Run it on a quiet
# machine: with 2 threads, any other busy process slows OpenMP code down many times (P3).
set -euo pipefail
cd "$(dirname "$0")/.."

threads=1
configs=a,b
runs=5
rounds=1
memory_steps=1000
skip_memory=0
skip_build=0
djl_allocator=system
activation=gelu_new
out="bench/results/$(date -u +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --configs) configs=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --memory-steps) memory_steps=$2; shift 2 ;;
    --skip-memory) skip_memory=1; shift ;;
    --skip-build) skip_build=1; shift ;;
    --djl-allocator) djl_allocator=$2; shift 2 ;;
    --activation) activation=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [ "$activation" != gelu_new ] && [ "$activation" != gelu ]; then
  echo "--activation must be gelu_new or gelu, got '$activation'" >&2
  exit 2
fi
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "--rounds must be a positive whole number, got '$rounds'" >&2
  exit 2
fi
if [ "$threads" != 1 ] && [ "$threads" != 2 ]; then
  echo "--threads must be 1 or 2 (this benchmark assumes a 2-core machine)" >&2
  exit 2
fi

# The libraries hir-core's NativeAllocator preloads (the bench runs PolicyBench directly, not through the crash
# supervisor that resolves them in Java): where the dynamic linker's cache has them, else their Debian paths.
allocator_lib() {
  local soname
  case "$1" in
    jemalloc|jemalloc-retain) soname=libjemalloc.so.2 ;;
    tcmalloc) soname=libtcmalloc_minimal.so.4 ;;
    *) echo "unknown allocator $1 (system, jemalloc, jemalloc-retain or tcmalloc)" >&2; return 2 ;;
  esac
  local found
  found=$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true) | awk -v so="$soname" '$1 == so {print $NF; exit}')
  echo "${found:-/usr/lib/$(uname -m)-linux-gnu/$soname}"
}
djl_preload=
if [ "$djl_allocator" != system ]; then
  djl_preload=$(allocator_lib "$djl_allocator") || exit 2
  if [ ! -f "$djl_preload" ]; then
    echo "--djl-allocator $djl_allocator: $djl_preload is not installed" >&2
    exit 2
  fi
fi
# Only the DJL timing runs get jemalloc-retain's options (the memory phases measure each allocator's defaults).
djl_malloc_conf=${MALLOC_CONF:-}
if [ "$djl_allocator" = jemalloc-retain ] && [ -z "$djl_malloc_conf" ]; then
  djl_malloc_conf=dirty_decay_ms:-1,muzzy_decay_ms:-1
fi

source bench/bench-env.sh
bench_python_env "$threads"

bench_classpath target-bench
mkdir -p "$out"

java_bench() {
  java ${java_heap:-} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$classpath" dev.hir.bench.PolicyBench \
    --threads "$threads" --runs "$runs" --work "$work" --activation "$activation" "$@"
}
python_bench() {
  "$py" bench/python/gpt2_bench.py --threads "$threads" --runs "$runs" --activation "$activation" "$@"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
write_env() { # DIR LOAD_BEFORE
  cat > "$1/env.json" <<EOF
{"date": "$(date -u +%Y-%m-%dT%H:%MZ)", "commit": "$(git rev-parse --short HEAD)",
 "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '), model $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | cut -d: -f2 | tr -d ' '))",
 "cores": $(getconf _NPROCESSORS_ONLN), "threads": $threads, "openblas_coretype": "${OPENBLAS_CORETYPE:-}",
 "djl_allocator": "$djl_allocator", "malloc_conf": "$djl_malloc_conf", "rounds": $rounds, "activation": "$activation",
 "load_before": "$2", "load_after": "$(cut -d' ' -f1-3 /proc/loadavg)"}
EOF
}
# Each invocation measures its own matmul ceiling, so "% of ceiling" compares with what the CPU gave that
# process at about the same time (other processes may share the CPU).
timed_pair() { # CFG DIR FIRST-SIDE
  local sides="java python"
  [ "$3" = python ] && sides="python java"
  for side in $sides; do
    if [ "$side" = java ]; then
      echo "== config $1: DJL" >&2
      LD_PRELOAD="$djl_preload" MALLOC_CONF="$djl_malloc_conf" java_bench --sections ceiling,train,sample --configs "$1" --out "$2/java-$1.json"
    else
      echo "== config $1: Python" >&2
      python_bench --sections ceiling,train,sample --configs "$1" --out "$2/python-$1.json"
    fi
  done
}
if [ "$rounds" = 1 ]; then
  for cfg in ${configs//,/ }; do
    timed_pair "$cfg" "$out" java
  done
else
  for r in $(seq 1 "$rounds"); do
    dir="$out/round-$r"
    mkdir -p "$dir"
    round_load=$(cut -d' ' -f1-3 /proc/loadavg)
    first=java
    [ $((r % 2)) = 0 ] && first=python
    echo "== round $r of $rounds" >&2
    for cfg in ${configs//,/ }; do
      timed_pair "$cfg" "$dir" "$first"
    done
    write_env "$dir" "$round_load"
  done
fi
echo "== the same function on both sides" >&2
java_bench --sections check --configs "$configs" --out "$out/java-check.json"
python_bench --sections check --configs "$configs" --check-dir "$work" --out "$out/python-check.json"
echo "== op costs" >&2
java_bench --sections ops --configs b --out "$out/java-ops.json"
python_bench --sections ops --configs b --out "$out/python-ops.json"
if [ "$skip_memory" = 0 ]; then
  echo "== memory over $memory_steps calls" >&2
  # A fixed, pre-touched heap: RSS then grows only with native memory, not with the heap's expansion.
  java_heap="-Xms512m -Xmx512m -XX:+AlwaysPreTouch" \
    java_bench --sections memory --configs a --memory-steps "$memory_steps" --out "$out/java-memory.json"
  # The same under the allocators `hir run` preloads when they are installed (hir-core NativeAllocator).
  for name in jemalloc tcmalloc; do
    lib=$(allocator_lib "$name")
    [ -f "$lib" ] || continue
    echo "== memory over $memory_steps calls, $name preloaded" >&2
    java_heap="-Xms512m -Xmx512m -XX:+AlwaysPreTouch" LD_PRELOAD="$lib" \
      java_bench --sections memory --configs a --memory-steps "$memory_steps" --out "$out/memory-$name.json"
  done
fi
write_env "$out" "$load_before"
"$py" bench/python/policy_table.py "$out"
echo "results in $out" >&2
