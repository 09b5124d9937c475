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

echo "cpus=$(nproc) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) load=$(cut -d' ' -f1-3 /proc/loadavg)"
ours=$(java -cp faxlan-modem/target/classes:faxlan-modem/target/test-classes dev.faxlan.modem.v21.V21RealTimeFactor)
theirs=$("$work/modempeer" bench-v21 600)
echo "$ours"
echo "$theirs"
factor() { grep "$1" | grep -o '[0-9]*x real' | grep -o '[0-9]*'; }
for what in "transmitter" "receiver"; do
    a=$(echo "$ours" | factor "V.21 $what")
    b=$(echo "$theirs" | factor "V.21 $what")
    awk -v a="$a" -v b="$b" -v w="$what" 'BEGIN { printf "V.21 %s: faxlan/spandsp = %.2f\n", w, a / b }'
done

# V.29 (9600 and 7200): our transmitter and receiver on a 600 s carrier of random data (best of 5),
# against spandsp's as modemoracle runs them: CPU time (user + sys) of one tx and one rx over 600 s.
gcc -O2 -Wall -o "$work/modemoracle" faxlan-modem/src/test/c/modemoracle/modemoracle.c -lspandsp -ltiff -lm
v29=$(java -cp faxlan-modem/target/classes:faxlan-modem/target/test-classes dev.faxlan.modem.v29.V29RealTimeFactor)
echo "$v29"
for rate in 9600 7200; do
    head -c $((600 * rate / 8)) /dev/urandom > "$work/v29.bin"
    "$work/modemoracle" tx v29 "$rate" < "$work/v29.bin" > "$work/v29.s16"
    seconds=$(( $(stat -c %s "$work/v29.s16") / 16000 ))
    t=$( { TIMEFORMAT='%U %S'; time "$work/modemoracle" tx v29 "$rate" < "$work/v29.bin" > /dev/null; } 2>&1 | tail -1)
    r=$( { TIMEFORMAT='%U %S'; time "$work/modemoracle" rx v29 "$rate" < "$work/v29.s16" > /dev/null 2>&1; } 2>&1 | tail -1)
    for what in transmitter receiver; do
        [ $what = transmitter ] && used=$t || used=$r
        theirs=$(echo "$used" | awk -v s="$seconds" '{ c = $1 + $2; if (c <= 0) c = 0.001; printf "%.0f", s / c }')
        ours=$(echo "$v29" | grep "V.29 $rate $what" | grep -o '[0-9]*x real' | grep -o '[0-9]*')
        echo "spandsp V.29 $rate $what: ${theirs}x real time (modemoracle, ${seconds} s, with its I/O)"
        awk -v a="$ours" -v b="$theirs" -v w="V.29 $rate $what" 'BEGIN { printf "%s: faxlan/spandsp = %.2f\n", w, a / b }'
    done
done

# V.27ter at 4800 and 2400 bit/s: our transmitter and receiver (one 600 s carrier of random data,
# best of 5) against spandsp's run by modemoracle on the same amount of data (CPU time of one run,
# reading and writing its files included, so spandsp's figure is if anything low).
ours=$(java -cp faxlan-modem/target/classes:faxlan-modem/target/test-classes dev.faxlan.modem.v27ter.V27terRealTimeFactor)
echo "$ours"
cpu() { local TIMEFORMAT='%U %S'; { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }'; }
for rate in 4800 2400; do
    head -c $((rate * 600 / 8)) /dev/urandom > "$work/v27ter.bin"
    "$work/modemoracle" tx v27ter $rate < "$work/v27ter.bin" > "$work/v27ter.s16"
    audio=$(( $(stat -c %s "$work/v27ter.s16") / 16000 ))
    t_tx=$(cpu sh -c "\"$work/modemoracle\" tx v27ter $rate < \"$work/v27ter.bin\"")
    t_rx=$(cpu sh -c "\"$work/modemoracle\" rx v27ter $rate < \"$work/v27ter.s16\"")
    for what in transmitter receiver; do
        t=$t_tx; [ $what = receiver ] && t=$t_rx
        b=$(awk -v a="$audio" -v t="$t" 'BEGIN { printf "%.0f", a / (t > 0 ? t : 0.001) }')
        echo "spandsp V.27ter $rate $what: ${b}x real time"
        a=$(echo "$ours" | grep "V.27ter $rate $what" | grep -o '[0-9]*x real' | grep -o '[0-9]*')
        awk -v a="$a" -v b="$b" -v r="$rate" -v w="$what" 'BEGIN { printf "V.27ter %s %s: faxlan/spandsp = %.2f\n", r, w, a / b }'
    done
done

# V.17 (14400): our transmitter and receiver on a 600 s long-trained carrier of random data (best of 5),
# against spandsp's as modemoracle runs them: CPU time (user + sys) of one tx and one rx over 600 s.
v17=$(java -cp faxlan-modem/target/classes:faxlan-modem/target/test-classes dev.faxlan.modem.v17.V17RealTimeFactor)
echo "$v17"
[ -x "$work/modemoracle" ] || gcc -O2 -Wall -o "$work/modemoracle" faxlan-modem/src/test/c/modemoracle/modemoracle.c -lspandsp -ltiff -lm
head -c $((600 * 14400 / 8)) /dev/urandom > "$work/v17.bin"
"$work/modemoracle" tx v17 14400 < "$work/v17.bin" > "$work/v17.s16"
seconds=$(( $(stat -c %s "$work/v17.s16") / 16000 ))
t=$( { TIMEFORMAT='%U %S'; time "$work/modemoracle" tx v17 14400 < "$work/v17.bin" > /dev/null; } 2>&1 | tail -1)
r=$( { TIMEFORMAT='%U %S'; time "$work/modemoracle" rx v17 14400 < "$work/v17.s16" > /dev/null 2>&1; } 2>&1 | tail -1)
for what in transmitter receiver; do
    [ $what = transmitter ] && used=$t || used=$r
    theirs=$(echo "$used" | awk -v s="$seconds" '{ c = $1 + $2; if (c <= 0) c = 0.001; printf "%.0f", s / c }')
    ours=$(echo "$v17" | grep "V.17 14400 $what" | grep -o '[0-9]*x real' | grep -o '[0-9]*')
    echo "spandsp V.17 14400 $what: ${theirs}x real time (modemoracle, ${seconds} s, with its I/O)"
    awk -v a="$ours" -v b="$theirs" -v w="V.17 14400 $what" 'BEGIN { printf "%s: faxlan/spandsp = %.2f\n", w, a / b }'
done

concurrent
