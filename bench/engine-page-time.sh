#!/usr/bin/env bash
# Issue 5 benchmarks (b) and (c): faxlan's time for one page against the theoretical time at the
# negotiated rate, and the whole call against spandsp->spandsp sending the same page in the same run.
# faxlan runs on a simulated clock (its pacing, not the machine's load); spandsp runs two t38peer
# processes on loopback at --speed 10 and reports the call's duration in its own sample clock.
# Needs a JDK 17, Maven, gcc, libspandsp-dev and libtiff-dev; no root.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -o "$work/t38peer" faxlan-engine/src/test/c/t38peer/t38peer.c -lspandsp -ltiff -lm
bench_header "spandsp $(dpkg-query -W -f='${Version}' libspandsp-dev 2>/dev/null || echo '?')"
java -cp "$cp" dev.faxlan.bench.engine.PageTime --tiff "$work/page.tif" | tee "$work/faxlan.txt"
for coding in mh mr; do
  "$work/t38peer" --receive "$work/rx-$coding.tif" --local-port 47002 --remote-port 47000 --ecm 0 --compressions all \
      --speed 10 --timeout 300 > "$work/rx.json" 2>/dev/null &
  rx=$!
  "$work/t38peer" --send "$work/page.tif" --local-port 47000 --remote-port 47002 --ecm 0 --compressions "$coding" \
      --speed 10 --timeout 300 > "$work/tx.json" 2>/dev/null
  wait "$rx"
  # spandsp's own clock: 20 ms per tick, whatever --speed.
  sp_ms=$(( $(grep -o '"ticks":[0-9]*' "$work/tx.json" | cut -d: -f2) * 20 ))
  fx_ms=$(awk -v c="$(echo $coding | tr a-z A-Z)" '$1==c {print $6}' "$work/faxlan.txt")
  awk -v c="$coding" -v f="$fx_ms" -v s="$sp_ms" 'BEGIN { printf "call %s: faxlan %d ms, spandsp->spandsp %d ms, ratio faxlan/spandsp %.3f\n", c, f, s, f / s }'
done
