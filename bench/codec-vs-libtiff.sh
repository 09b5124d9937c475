#!/usr/bin/env bash
# Times faxlan's MH (G3 1-D) and MMR (G4) codec against libtiff's tiffcp on the same
# 100 fine-resolution pages (50 text-like, 50 halftone; dev.faxlan.bench.codec.BenchPages),
# file to file, in the same run. Prints pages/s for both and the ratio ours/libtiff.
#
#   bench/codec-vs-libtiff.sh            # REPEATS=5 conversions of 100 pages per figure
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
pages=$(tiffinfo "$work/corpus.tif" 2>/dev/null | grep -c 'TIFF Directory at offset')
[ "$pages" = 100 ] || { echo "corpus has $pages pages, expected 100" >&2; exit 1; }

# Ours: one JVM, warmed up, timing REPEATS file-to-file conversions per figure.
ours=$(java -cp "$cp" "$main" time "$work" "$REPEATS")

# libtiff: the same conversions with tiffcp, after one untimed run of each.
lib_rate() { # name, tiffcp args..., input, output
    local name=$1; shift
    local out=${*: -1}
    tiffcp "$@" >/dev/null
    local start end
    start=$(date +%s%N)
    for ((i = 0; i < REPEATS; i++)); do tiffcp "$@"; done
    end=$(date +%s%N)
    local n
    n=$(tiffinfo "$out" 2>/dev/null | grep -c 'TIFF Directory at offset')
    [ "$n" = "$pages" ] || { echo "$name: tiffcp wrote $n pages, expected $pages" >&2; exit 1; }
    awk -v name="$name" -v p="$pages" -v r="$REPEATS" -v ns="$((end - start))" \
        'BEGIN { printf "%s %.1f\n", name, p * r / (ns / 1e9) }'
}
lib=$(
    lib_rate encode-g3 -c g3 "$work/corpus.tif" "$work/lib-g3.tif"
    lib_rate decode-g3 -c none "$work/lib-g3.tif" "$work/lib-back.tif"
    lib_rate encode-g4 -c g4 "$work/corpus.tif" "$work/lib-g4.tif"
    lib_rate decode-g4 -c none "$work/lib-g4.tif" "$work/lib-back.tif"
)

echo "pages=$pages repeats=$REPEATS cpu=$(nproc)x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "ours: $(ls -l "$work/ours-g3.tif" | awk '{print $5}') bytes g3, $(ls -l "$work/ours-g4.tif" | awk '{print $5}') bytes g4;" \
     "libtiff: $(ls -l "$work/lib-g3.tif" | awk '{print $5}') bytes g3, $(ls -l "$work/lib-g4.tif" | awk '{print $5}') bytes g4"
printf '%-10s %14s %14s %8s\n' figure "ours pages/s" "tiffcp pages/s" ratio
join <(sort <<<"$ours") <(sort <<<"$lib") | sort -k1,1 | while read -r name o l; do
    awk -v n="$name" -v o="$o" -v l="$l" 'BEGIN { printf "%-10s %14.1f %14.1f %8.2f\n", n, o, l, o / l }'
done
