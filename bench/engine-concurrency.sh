#!/usr/bin/env bash
# Issue 5 benchmark (a): how many concurrent faxlan->faxlan T.38 calls one JVM carries on loopback in
# real time with every call ending OK; prints per N the calls OK (and the failures by result), the wall
# time, the lateness of due IFPs (p50, p99, max), the CPU seconds of the process, the collections that
# stopped it (count and seconds) and the machine's 1-minute load average (other programs' load shows in
# the lateness). Needs a JDK 17 and Maven; no root.
# Usage: bench/engine-concurrency.sh [CALLS] [PAGES] [ECM]   (defaults: 200,500,1000 1 true)
set -euo pipefail
calls="${1:-200,500,1000}"
pages="${2:-1}"
ecm="${3:-true}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
# The collector the server runs with (bin/faxlan): Shenandoah where the JVM has it; FAXLAN_JAVA_OPTS
# overrides, as it does for the server.
gc=""
if java -XX:+UseShenandoahGC -version >/dev/null 2>&1; then gc="-XX:+UseShenandoahGC"; fi
opts="${FAXLAN_JAVA_OPTS:-$gc -Xmx2g}"
bench_header
# shellcheck disable=SC2086
exec java $opts -cp "$cp" dev.faxlan.bench.engine.ConcurrentCalls --calls "$calls" --pages "$pages" --ecm "$ecm"
