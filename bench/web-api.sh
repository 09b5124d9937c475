#!/usr/bin/env bash
# The REST API of faxlan web (issue 16): requests per second, p50 and p99 of GET /api/v1/faxes (a page of
# 50 jobs) and POST /api/v1/faxes (a 1-page PDF to one number) with an API key, over K threads with the
# JDK's HttpClient; and, in the same run, the same calls straight through the SDK (jobs, upload+submit)
# from K threads with a logged-in client each: what the web process adds, as a difference and a ratio.
# Server and web process run in the bench's JVM on 127.0.0.1 (ports chosen by the OS), plain HTTP on
# loopback. The number is on a SIP trunk whose proxy is the discard port, with one channel: jobs are made
# and queued, not faxed. The jobs are counted on the server at the end. Needs a JDK 17 and Maven; no root.
# Usage: bench/web-api.sh [REQUESTS] [THREADS] [ROUNDS]   (defaults: 200, 4, 2)
set -euo pipefail
requests="${1:-200}"
threads="${2:-4}"
rounds="${3:-2}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
bench_header
status=0
java -XX:+UseParallelGC -Xmx1g -Dfaxlan.rootlog=ERROR -cp "$cp" dev.faxlan.bench.web.WebApiBench \
  --requests "$requests" --threads "$threads" --rounds "$rounds" || status=$?
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
