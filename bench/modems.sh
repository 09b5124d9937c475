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
