#!/usr/bin/env bash
# faxlan's RTP audio against spandsp's audio fax terminal (audiopeer --rtp) over real UDP in real
# time: CALLS calls each way (default 20) of PAGES fine pages (default 10, 400 rows of random marks
# each; ECM, A-law, 20 ms packets), PARALLEL calls at once (default 4), with LOSS_PCT% random loss
# each way (default 0.1) and JITTER_MS of uniform jitter on the peer's packets (default 20). A call
# counts when both ends end OK and every page arrived pixel-exact. Prints each call, the success
# rate over all calls, and the packets nftables dropped.
#
# The loss (LOSS_BY=nftables, the default; needs root): the test JVM runs in one network namespace and
# the peer in another, joined by a veth pair (10.232.0.1 and .2, which exist only inside them), and
# nftables in the peer's namespace drops LOSS_PCT% of the UDP packets each way at random (numgen
# random). The jitter stays the peer's own seeded shaper. Both namespaces are deleted at exit. The
# namespaces have no route out, so Maven runs offline there: build once before (any mvn run).
# LOSS_BY=shaper: the old way, on 127.0.0.1, loss and jitter both from the peer's seeded shaper, and
# first one clean call each way.
#
#   bench/rtp-spandsp.sh
#   CALLS=4 PAGES=3 bench/rtp-spandsp.sh
#
# Needs: JDK 17, Maven, gcc, libspandsp-dev, libtiff-dev; for nftables: root, iproute2, nftables.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-20}
PAGES=${PAGES:-10}
LOSS_PCT=${LOSS_PCT:-0.1}
JITTER_MS=${JITTER_MS:-20}
PARALLEL=${PARALLEL:-4}
LOSS_BY=${LOSS_BY:-nftables}
echo "### RTP against spandsp, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD) ($(uname -m), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
common=(-B -pl faxlan-lines -am verify -Dtest=none
    -Dfaxlan.rtp.impairment.calls="$CALLS" -Dfaxlan.rtp.impairment.pages="$PAGES"
    -Dfaxlan.rtp.impairment.jitter-ms="$JITTER_MS" -Dfaxlan.rtp.impairment.parallel="$PARALLEL"
    -Dfaxlan.rtp.impairment.min-success=0
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Djazzer.skip=true)

if [ "$LOSS_BY" = shaper ]; then
    MVN=${MVN:-mvn -q}
    $MVN "${common[@]}" -Dit.test=SpandspRtpIT -Dfaxlan.rtp.impairment.loss-pct="$LOSS_PCT" 2>&1 | grep -E '^RTP ' || true
    exit 0
fi
[ "$LOSS_BY" = nftables ] || { echo "rtp-spandsp.sh: LOSS_BY is nftables or shaper, not '$LOSS_BY'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "rtp-spandsp.sh: loss from nftables needs root (network namespaces); LOSS_BY=shaper makes it in the peer instead" >&2; exit 2; }
MVN=${MVN:-mvn -q -o}
tag=fxrtp$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
ours=${tag}f
peer=${tag}p
trap 'ip netns del "$ours" 2>/dev/null || true; ip netns del "$peer" 2>/dev/null || true' EXIT
for ns in "$ours" "$peer"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$ours" link add eth0 type veth peer name eth0 netns "$peer"
ip -n "$ours" addr add 10.232.0.1/30 dev eth0
ip -n "$peer" addr add 10.232.0.2/30 dev eth0
ip -n "$ours" link set eth0 up
ip -n "$peer" link set eth0 up
# LOSS_PCT in 1/100000ths, so 0.1% is "< 100" and shares down to 0.001% can be given.
per100k=$(awk -v p="$LOSS_PCT" 'BEGIN { printf "%d", p * 1000 + 0.5 }')
# Input: packets to spandsp; output: packets to faxlan. Each chain counts what it drops, then what passes.
ip netns exec "$peer" nft -f - <<NFT
table inet fxrtploss {
    chain to_spandsp {
        type filter hook input priority filter; policy accept;
        meta l4proto udp numgen random mod 100000 < $per100k counter drop
        meta l4proto udp counter
    }
    chain to_faxlan {
        type filter hook output priority filter; policy accept;
        meta l4proto udp numgen random mod 100000 < $per100k counter drop
        meta l4proto udp counter
    }
}
NFT
ip netns exec "$ours" $MVN "${common[@]}" -Dit.test='SpandspRtpIT#lossAndJitterSuccessRateBothWays' \
    -Dfaxlan.rtp.impairment.loss-pct=0 -Dfaxlan.rtp.peer-netns="$peer" -Dfaxlan.rtp.local-address=10.232.0.1 -Dfaxlan.rtp.peer-address=10.232.0.2 \
    "-Dfaxlan.rtp.impairment.network=${LOSS_PCT}% random loss each way by nftables between two network namespaces" 2>&1 \
    | grep -E '^RTP ' || true
# The four counters in ruleset order: dropped and passed to spandsp, dropped and passed to faxlan.
ip netns exec "$peer" nft list table inet fxrtploss | grep -o 'packets [0-9]*' | awk '{ print $2 }' | paste -sd' ' | awk '{
    printf "RTP nftables: dropped %d of %d packets to spandsp (%.3f%%), %d of %d to faxlan (%.3f%%)\n",
        $1, $1 + $2, ($1 + $2) ? 100 * $1 / ($1 + $2) : 0, $3, $3 + $4, ($3 + $4) ? 100 * $3 / ($3 + $4) : 0 }'
