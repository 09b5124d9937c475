#!/usr/bin/env bash
# Submission throughput (issue 20): fax jobs accepted and queued durably per second, and submit latency
# p50/p99, from N concurrent clients, each job one small one-page text letter due in 30 days (no call is
# made). faxlan (server children started through bin/faxlan on 127.0.0.1) and, in the same run, HylaFAX
# (Debian's hylafax-server: faxq and hfaxd on a spool of their own, submissions with `sendfax -n`); prints
# each setup's figures and the ratio faxlan/HylaFAX (dev.faxlan.bench.submit.SubmitBench).
# Needs root (hfaxd and faxq change to the fax user), a JDK 17, Maven, and
#   apt-get install hylafax-server hylafax-client
# Usage: bench/submit-throughput.sh [CLIENTS] [JOBS] [SETUPS]   (defaults: 16, 1000, h2,hylafax)
set -euo pipefail
clients="${1:-16}"
jobs="${2:-1000}"
setups="${3:-h2,hylafax}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
bench_header
exec java -XX:+UseParallelGC -Xmx1g -Dfaxlan.rootlog=ERROR -cp "$cp" dev.faxlan.bench.submit.SubmitBench --repo "$here" \
  --clients "$clients" --jobs "$jobs" --setups "$setups"
