#!/usr/bin/env bash
# Success rate of faxlan's audio fax terminal against spandsp's (audiopeer) on impaired lines:
# V.27ter 4800, V.29 9600 and V.17 14400, ECM with MMR, one fine page per call, calls alternating
# in direction; CALLS calls per cell (default 20). The spandsp end impairs what it sends (white
# noise at an SNR under its level, its sample clock off by +-100 ppm, its level). A call counts
# when both ends end OK at the cell's rate with equal pixels. Prints a Markdown table.
#
#   bench/audio-impairments.sh
#   CALLS=4 MVN="mvn -q -o" bench/audio-impairments.sh
#
# Needs: JDK 17, Maven, gcc, libspandsp-dev, libtiff-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -q}
CALLS=${CALLS:-20}
report=faxlan-engine/target/audio-impairments.txt

$MVN -B -pl faxlan-engine -am verify -Dtest=none -Dit.test=AudioImpairmentIT -Daudio.impairment.calls="$CALLS" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Djazzer.skip=true >&2
echo "### Impaired lines against spandsp, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD) ($(uname -m), $(nproc) cores, $CALLS calls per cell)"
echo
echo "| modem | line (spandsp's end) | spandsp sends: OK | faxlan sends: OK | success |"
echo "|---|---|---|---|---|"
sort "$report"
