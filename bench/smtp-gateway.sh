#!/usr/bin/env bash
# Mail into fax jobs through the SMTP gateway (issue 15): messages per second, each a 1-page PDF to one
# number, over K concurrent SMTP connections (Angus Mail's SMTP client, AUTH once per connection),
# timed until the last 250; and, in the same run, the same submits straight through the SDK from K
# threads, with the ratio gateway/SDK. Server and gateway run in the bench's JVM on 127.0.0.1 (ports
# chosen by the OS). The number is on a SIP trunk whose proxy is the discard port, with one channel:
# jobs are made and queued, at most one is dialled at a time, so the way in is measured, not fax calls.
# The jobs are counted on the server after each round. Needs a JDK 17 and Maven; no root.
# Usage: bench/smtp-gateway.sh [MESSAGES] [CONNECTIONS] [ROUNDS]   (defaults: 50, 4, 2)
set -euo pipefail
messages="${1:-50}"
connections="${2:-4}"
rounds="${3:-2}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
bench_header
status=0
java -XX:+UseParallelGC -Xmx1g -Dfaxlan.rootlog=ERROR -cp "$cp" dev.faxlan.bench.mail.SmtpGatewayBench \
  --messages "$messages" --connections "$connections" --rounds "$rounds" || status=$?
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
