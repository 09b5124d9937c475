#!/usr/bin/env bash
# Times faxlan's MH (G3 1-D) and MMR (G4) codec against libtiff's tiffcp on the same
# 100 fine-resolution pages (50 text-like, 50 halftone; dev.faxlan.bench.codec.BenchPages),
# file to file, in the same run: each figure alternates our conversion and tiffcp's REPEATS
# times and keeps the best of each. Prints pages/s for both and the ratio ours/libtiff.
#
#   bench/codec-vs-libtiff.sh            # REPEATS=5
#   MVN="mvn -q -o" REPEATS=10 bench/codec-vs-libtiff.sh
#
# Needs: JDK 17, Maven, libtiff-tools (tiffcp, tiffinfo).
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -q}
REPEATS=${REPEATS:-5}
for tool in tiffcp tiffinfo java; do
    command -v "$tool" >/dev/null || { echo "missing $tool (libtiff-tools / JDK)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

$MVN -pl faxlan-bench -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/cp.txt -DskipTests >&2
cp="faxlan-bench/target/classes:$(cat faxlan-bench/target/cp.txt)"
main=dev.faxlan.bench.codec.CodecVsLibtiff

java -cp "$cp" "$main" corpus "$work/corpus.tif"
count() { tiffinfo "$1" 2>/dev/null | grep -c 'TIFF Directory at offset'; }
pages=$(count "$work/corpus.tif")
[ "$pages" = 100 ] || { echo "corpus has $pages pages, expected 100" >&2; exit 1; }

echo "pages=$pages repeats=$REPEATS cpus=$(nproc) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) load=$(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$cp" "$main" time "$work" "$REPEATS"
for f in ours-g3 ours-g4 lib-g3 lib-g4; do
    n=$(count "$work/$f.tif")
    [ "$n" = "$pages" ] || { echo "$f.tif has $n pages, expected $pages" >&2; exit 1; }
done
echo "bytes: ours g3 $(stat -c %s "$work/ours-g3.tif"), g4 $(stat -c %s "$work/ours-g4.tif");" \
     "libtiff g3 $(stat -c %s "$work/lib-g3.tif"), g4 $(stat -c %s "$work/lib-g4.tif")"
