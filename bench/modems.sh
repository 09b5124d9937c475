#!/usr/bin/env bash
# Real-time factor (seconds of audio per second of CPU, one thread, 20 ms blocks) of faxlan's fax
# modems against spandsp's in the same run. So far: V.21 channel 2 with HDLC, transmit and receive,
# and the CNG/CED detector; best of 5 rounds of 600 s of back-to-back 38-octet frames each.
# V.29 and V.27ter: see their sections at the end.
#
#   bench/modems.sh
#   MVN="mvn -q -o" bench/modems.sh
#   bench/modems.sh concurrent     # only the concurrent audio calls (last section); AUDIO_CALLS=25,50,...
#
# Needs: JDK 17, Maven, gcc, libspandsp-dev, libtiff-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -q}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Concurrent audio calls: faxlan <-> faxlan, both ends of every call in one JVM, joined by in-memory
# G.711 pipes; each call's 20 ms frames released on the wall clock (as an RTP line gives them) and due
# 20 ms later, served by 2 lane threads; V.17 14400, one fine page per call, ECM. Per count: calls OK,
# underruns (frames finished after their due time), lateness, CPU per call; then the largest count
# with every call OK and no underrun. No spandsp peer for this one: spandsp has no scheduler of its own.
concurrent() {
    $MVN -pl faxlan-engine -am test-compile >&2
    echo "cpus=$(nproc) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) load=$(cut -d' ' -f1-3 /proc/loadavg)"
    # The collector the server runs with (bin/faxlan): Shenandoah where the JVM has it (G1's young
    # pauses, 10-19 ms here, nearly fill a frame's 20 ms on their own); FAXLAN_JAVA_OPTS overrides.
    local gc=""
    if java -XX:+UseShenandoahGC -version >/dev/null 2>&1; then gc="-XX:+UseShenandoahGC"; fi
    # shellcheck disable=SC2086
    java ${FAXLAN_JAVA_OPTS:-$gc -Xmx1g} -cp faxlan-modem/target/classes:faxlan-engine/target/classes:faxlan-engine/target/test-classes \
        dev.faxlan.engine.audio.AudioConcurrentCalls --calls "${AUDIO_CALLS:-25,50,100,150,200}" --lanes 2
    echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
}
if [ "${1:-}" = concurrent ]; then
    concurrent
    exit 0
fi

$MVN -pl faxlan-modem -am test-compile >&2
gcc -O2 -Wall -o "$work/modempeer" faxlan-modem/src/test/c/modempeer/modempeer.c -lspandsp -ltiff -lm

# The lines "NAME: Nx real time ..." that one of our modems' real-time-factor mains prints; the N of one.
faxlan_factors() { java -cp faxlan-modem/target/classes:faxlan-modem/target/test-classes "$1"; }
factor() { grep "$1" | grep -o '[0-9]*x real' | grep -o '[0-9]*'; }

echo "cpus=$(nproc) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) load=$(cut -d' ' -f1-3 /proc/loadavg)"
ours=$(faxlan_factors dev.faxlan.modem.v21.V21RealTimeFactor)
theirs=$("$work/modempeer" bench-v21 600)
echo "$ours"
echo "$theirs"
for what in "transmitter" "receiver"; do
    a=$(echo "$ours" | factor "V.21 $what")
    b=$(echo "$theirs" | factor "V.21 $what")
    awk -v a="$a" -v b="$b" -v w="$what" 'BEGIN { printf "V.21 %s: faxlan/spandsp = %.2f\n", w, a / b }'
done

# The image modems: our transmitter and receiver on a 600 s carrier of random data (best of 5), against
# spandsp's as modemoracle runs them on as much data: CPU time (user + sys) of one tx and one rx run,
# reading and writing its files included, so spandsp's figure is if anything low.
gcc -O2 -Wall -o "$work/modemoracle" faxlan-modem/src/test/c/modemoracle/modemoracle.c -lspandsp -ltiff -lm
cpu() { local TIMEFORMAT='%U %S'; { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ c = $1 + $2; print (c > 0 ? c : 0.001) }'; }
# versus NAME MODEM RATE OURS: spandsp's figures for MODEM at RATE, and ours (the lines "NAME RATE
# transmitter: Nx real time ..." of OURS) over theirs.
versus() {
    local name=$1 modem=$2 rate=$3 ours=$4
    head -c $((600 * rate / 8)) /dev/urandom > "$work/$modem.bin"
    "$work/modemoracle" tx "$modem" "$rate" < "$work/$modem.bin" > "$work/$modem.s16"
    local seconds=$(( $(stat -c %s "$work/$modem.s16") / 16000 ))
    local t_tx t_rx
    t_tx=$(cpu sh -c "\"$work/modemoracle\" tx $modem $rate < \"$work/$modem.bin\"")
    t_rx=$(cpu sh -c "\"$work/modemoracle\" rx $modem $rate < \"$work/$modem.s16\"")
    for what in transmitter receiver; do
        local t=$t_tx; [ $what = receiver ] && t=$t_rx
        local theirs a
        theirs=$(awk -v s="$seconds" -v t="$t" 'BEGIN { printf "%.0f", s / t }')
        a=$(echo "$ours" | factor "$name $rate $what")
        echo "spandsp $name $rate $what: ${theirs}x real time (modemoracle, ${seconds} s, with its I/O)"
        awk -v a="$a" -v b="$theirs" -v w="$name $rate $what" 'BEGIN { printf "%s: faxlan/spandsp = %.2f\n", w, a / b }'
    done
}
# V.29 at 9600 and 7200 bit/s.
ours=$(faxlan_factors dev.faxlan.modem.v29.V29RealTimeFactor)
echo "$ours"
for rate in 9600 7200; do versus V.29 v29 $rate "$ours"; done

# V.27ter at 4800 and 2400 bit/s.
ours=$(faxlan_factors dev.faxlan.modem.v27ter.V27terRealTimeFactor)
echo "$ours"
for rate in 4800 2400; do versus V.27ter v27ter $rate "$ours"; done

# V.17 at 14400 bit/s, long-trained.
ours=$(faxlan_factors dev.faxlan.modem.v17.V17RealTimeFactor)
echo "$ours"
versus V.17 v17 14400 "$ours"

concurrent
