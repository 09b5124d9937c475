# Sourced by the benchmark scripts (not run by itself): the repository root, the build of faxlan-bench
# (skipped when SKIP_BUILD is set), its class path, and the machine line every result file starts with.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
cp="$here/faxlan-bench/target/classes:$here/faxlan-testkit/target/classes:$here/faxlan-launcher/target/faxlan.jar:$here/faxlan-launcher/target/lib/*"

# Offline first (the usual case once dependencies are fetched), then online.
bench_build() {
  if [ -n "${SKIP_BUILD:-}" ]; then return 0; fi
  mvn -q -B -o -DskipTests -Djazzer.skip=true -pl faxlan-bench -am package >&2 ||
    mvn -q -B -DskipTests -Djazzer.skip=true -pl faxlan-bench -am package >&2
}

# Prints "# <time> <kernel>, <n> CPUs, load <1 5 15>, <java>[, what the caller adds]": figures mean little
# without the load they were measured under.
bench_header() {
  local extra=""
  if [ $# -gt 0 ]; then extra=", $*"; fi
  echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)$extra"
}
