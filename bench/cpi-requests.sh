#!/usr/bin/env bash
# CPI small-request throughput (req/s) and p50/p99 latency for 1, 16 and 128 concurrent clients on
# loopback (issue 3). Server and clients run in one JVM (dev.faxlan.bench.cpi.RequestBench), server on
# 127.0.0.1 with an OS-chosen port. 'info' callers each have their own QUIC connection; 'job.list'
# and 'phonebook.add' (mutating: durable, synced to the disk before the answer) callers share one
# logged-in connection. Needs a JDK 17 and Maven; no root.
# Usage: bench/cpi-requests.sh [SECONDS] [CLIENTS]   (defaults: 10, 1,16,128)
set -euo pipefail
seconds="${1:-10}"
clients="${2:-1,16,128}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
bench_header
exec java -XX:+UseParallelGC -Xmx1g -Dfaxlan.rootlog=ERROR -cp "$cp" dev.faxlan.bench.cpi.RequestBench --seconds "$seconds" --clients "$clients"
