#!/usr/bin/env bash
# Real-time factor (seconds of audio per second of CPU, one thread, 20 ms blocks) of faxlan's fax
# modems against spandsp's in the same run. So far: V.21 channel 2 with HDLC, transmit and receive,
# and the CNG/CED detector; best of 5 rounds of 600 s of back-to-back 38-octet frames each.
#
#   bench/modems.sh
#   MVN="mvn -q -o" bench/modems.sh
#
# Needs: JDK 17, Maven, gcc, libspandsp-dev, libtiff-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -q}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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

# V.27ter at 4800 and 2400 bit/s: our transmitter and receiver (one 600 s carrier of random data,
# best of 5) against spandsp's run by modemoracle on the same amount of data (CPU time of one run,
# reading and writing its files included, so spandsp's figure is if anything low).
gcc -O2 -Wall -o "$work/modemoracle" faxlan-modem/src/test/c/modemoracle/modemoracle.c -lspandsp -ltiff -lm
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
