# Shared set-up of the benchmark scripts (sourced, not run): Debian's Python torch as FEASIBILITY.md P1-P2 say,
# the thread count, and a class path whose project jars are copies.
#
#   bench_python_env THREADS      sets $py and exports OMP_NUM_THREADS (and OPENBLAS_CORETYPE when needed)
#   bench_classpath BUILD_DIR     builds the bench module into bench/BUILD_DIR (unless $skip_build is 1) and
#                                 sets $work (a temporary folder removed on exit) and $classpath

bench_python_env() {
  # P2: Debian's torch lives in the system python, not in the pyenv one that comes first on PATH.
  py=/usr/bin/python3
  if ! "$py" -c "import torch" 2>/dev/null; then
    echo "$py cannot import torch: apt-get install python3-torch libopenblas0-openmp" >&2
    exit 1
  fi
  # P1: without OpenBLAS, Debian's torch uses the reference BLAS (about 2.5 GFLOP/s).
  if ! dpkg-query -W -f='${Status}' libopenblas0-openmp 2>/dev/null | grep -q "install ok installed"; then
    echo "libopenblas0-openmp is not installed: apt-get install libopenblas0-openmp" >&2
    exit 1
  fi
  export OMP_NUM_THREADS=$1
  # P1: OpenBLAS 0.3.21 falls back to slow generic kernels on CPUs it does not know. Keep its own choice
  # when it is fast; otherwise name the kernels the CPU can run (SkylakeX needs AVX-512: on an AVX2-only CPU
  # it dies with SIGILL).
  if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
    local probe='import torch,time
torch.set_num_threads(1); x=torch.rand(512,512); x@x; t=time.perf_counter()
for _ in range(20): x@x
print(int(20*2*512**3/(time.perf_counter()-t)/1e9))'
    local auto
    auto=$("$py" -c "$probe")
    if [ "$auto" -lt 20 ]; then
      if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; else export OPENBLAS_CORETYPE=Haswell; fi
      echo "OpenBLAS auto-detection gives $auto GFLOP/s: using OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE" >&2
    fi
  fi
}

bench_classpath() {
  local dir=$1
  local build=bench/$dir
  if [ "${skip_build:-0}" = 0 ]; then
    # -am builds and installs the modules the bench depends on from this tree too: without it Maven takes them
    # from the local repository, which on a fresh machine has none and elsewhere may hold an older build.
    mvn -q -o -pl bench -am -Dhir.build.dir="$dir" install -DskipTests
    mvn -q -o -pl bench -Dhir.build.dir="$dir" dependency:build-classpath -Dmdep.outputFile="$dir/classpath.txt"
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # The project's own jars are copied first: other work may reinstall them into ~/.m2 while the bench runs,
  # and a JVM whose jar changes under it fails with NoClassDefFoundError.
  mkdir -p "$work/lib"
  classpath="$build/classes"
  local jar
  for jar in $(tr ':' ' ' < "$build/classpath.txt"); do
    case "$jar" in
      */dev/hir/*) cp "$jar" "$work/lib/"; classpath="$classpath:$work/lib/$(basename "$jar")" ;;
      *) classpath="$classpath:$jar" ;;
    esac
  done
}
