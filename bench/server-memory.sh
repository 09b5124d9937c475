#!/usr/bin/env bash
# Server memory (issue 20): one `faxlan server` child (bin/faxlan, embedded H2) idle, then with N connected
# alert clients (each its own QUIC connection and session holding one subscription, spread over several
# client processes); after a full GC each time: the server's RSS and Java heap used (jcmd GC.heap_info)
# (dev.faxlan.bench.memory.ServerMemoryBench). Needs a JDK 17 (with jcmd) and Maven; no root.
# Usage: bench/server-memory.sh [CLIENTS] [PROCESSES]   (defaults: 1000, 4)
set -euo pipefail
clients="${1:-1000}"
processes="${2:-4}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
bench_header
exec java -XX:+UseSerialGC -Xmx256m -Dfaxlan.rootlog=ERROR -cp "$cp" dev.faxlan.bench.memory.ServerMemoryBench --repo "$here" \
  --clients "$clients" --processes "$processes"
