#!/usr/bin/env bash
# faxlan's RTP audio against spandsp's audio fax terminal (audiopeer --rtp) over real UDP on
# 127.0.0.1 in real time: first one clean call each way of 10 pages, then CALLS calls each way (default 20) of PAGES fine pages (default 10, 400 rows
# of random marks each; ECM, A-law, 20 ms packets), with LOSS_PCT% random loss each way (default 0.1)
# and JITTER_MS of uniform jitter on the peer's packets (default 20), both made by the peer's seeded
# shaper; PARALLEL calls at once (default 4). A call counts when both ends end OK and every page
# arrived pixel-exact. Prints each call and the success rate.
#
#   bench/rtp-spandsp.sh
#   CALLS=4 PAGES=3 MVN="mvn -q -o" bench/rtp-spandsp.sh
#
# Needs: JDK 17, Maven, gcc, libspandsp-dev, libtiff-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -q}
CALLS=${CALLS:-20}
PAGES=${PAGES:-10}
LOSS_PCT=${LOSS_PCT:-0.1}
JITTER_MS=${JITTER_MS:-20}
PARALLEL=${PARALLEL:-4}
echo "### RTP against spandsp, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD) ($(uname -m), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
$MVN -B -pl faxlan-lines -am verify -Dtest=none -Dit.test=SpandspRtpIT \
    -Dfaxlan.rtp.impairment.calls="$CALLS" -Dfaxlan.rtp.impairment.pages="$PAGES" \
    -Dfaxlan.rtp.impairment.loss-pct="$LOSS_PCT" -Dfaxlan.rtp.impairment.jitter-ms="$JITTER_MS" \
    -Dfaxlan.rtp.impairment.parallel="$PARALLEL" -Dfaxlan.rtp.impairment.min-success=0 \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Djazzer.skip=true 2>&1 \
    | grep -E '^RTP ' || true
