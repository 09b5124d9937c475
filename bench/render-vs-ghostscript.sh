#!/usr/bin/env bash
# PDF -> TIFF-F at 204x196 dpi: faxlan's converter against Ghostscript (tiffg4), same PDF, same run.
# Prints pages/s, output bytes and peak memory for both, and the ratios; with --append, adds them to
# bench/RESULTS.md. faxlan renders with its default workers (one per processor); gs as the command below.
#
# Usage: bench/render-vs-ghostscript.sh [--append] [extra JMH options, e.g. -i 10]
# Needs: JDK 17+, Maven, Ghostscript (gs) and python3 on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

append=false
if [[ "${1:-}" == "--append" ]]; then append=true; shift; fi
command -v gs >/dev/null || { echo "render-vs-ghostscript: gs (Ghostscript) not found on PATH" >&2; exit 1; }

mvn -q -o -pl faxlan-bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  || mvn -q -pl faxlan-bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.cp
cp="faxlan-bench/target/classes:$(cat faxlan-bench/target/bench.cp)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Same PDF for both: sizes from one conversion each, then timing by JMH.
sizes="$(java -cp "$cp" dev.faxlan.bench.documents.Sizes "$work/bench.pdf" "$work")"
java -cp "$cp" org.openjdk.jmh.Main 'dev.faxlan.bench.documents.RenderVsGhostscriptBench' \
  -p pdf="$work/bench.pdf" -rf json -rff "$work/jmh.json" "$@" >"$work/jmh.log" 2>&1 \
  || { tail -40 "$work/jmh.log" >&2; exit 1; }

# Peak memory, apart from the timing (JMH's fork also runs gs): each converter in a process of its own,
# its peak RSS as the kernel counts it; for faxlan also the JVM's own heap and RSS peaks over 10 conversions.
peak_rss() {
  python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], check=True, stdout=subprocess.PIPE, text=True)
print(r.stdout.strip(), "rss_mib=%d" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))' "$@"
}
ours_mem="$(peak_rss java -Xmx1g -cp "$cp" dev.faxlan.bench.documents.PeakMemory "$work/bench.pdf" 10)"
gs_mem="$(peak_rss gs -q -dNOPAUSE -dBATCH -sDEVICE=tiffg4 -r204x196 -sOutputFile="$work/gs-mem.tif" "$work/bench.pdf")"

report="$(python3 - "$work/jmh.json" "$sizes" "$ours_mem" "$gs_mem" <<'PY'
import json, sys
runs = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
kv = dict(p.split("=") for p in sys.argv[2].split())
ours_mem = dict(p.split("=") for p in sys.argv[3].split())
gs_mem = dict(p.split("=") for p in sys.argv[4].split())
pages = int(kv["pages"])
ours_ms, gs_ms = runs["faxlan"]["score"], runs["ghostscript"]["score"]
ours_err, gs_err = runs["faxlan"]["scoreError"], runs["ghostscript"]["scoreError"]
ours_pps, gs_pps = pages / ours_ms * 1000, pages / gs_ms * 1000
ours_b, gs_b = int(kv["faxlan_bytes"]), int(kv["gs_bytes"])
print(f"| converter | ms per {pages}-page PDF | pages/s | TIFF bytes | bytes/page | peak RSS |")
print("|---|---|---|---|---|---|")
print(f"| faxlan (PDFBox, ordered halftone, G4; {ours_mem['workers']} workers) | {ours_ms:.0f} ± {ours_err:.0f} "
      f"| {ours_pps:.1f} | {ours_b} | {ours_b // pages} | {ours_mem['rss_mib']} MiB (JVM: heap peak "
      f"{ours_mem['heap_peak_mib']} MiB, -Xmx1g) |")
print(f"| Ghostscript tiffg4 | {gs_ms:.0f} ± {gs_err:.0f} | {gs_pps:.1f} | {gs_b} | {gs_b // pages} | {gs_mem['rss_mib']} MiB |")
print()
print(f"Ratios faxlan/Ghostscript: speed (pages/s) {ours_pps / gs_pps:.2f}x, size {ours_b / gs_b:.3f}x, "
      f"peak RSS {int(ours_mem['rss_mib']) / max(1, int(gs_mem['rss_mib'])):.1f}x "
      f"(aim: speed >= 1.50x, size <= 1.10x)")
PY
)"
gsver="$(gs --version)"
cmd="bench/render-vs-ghostscript.sh --append${*:+ $*}"
echo "$report"
if $append; then
  [[ -s bench/RESULTS.md ]] || printf '# Benchmark results\n' >bench/RESULTS.md
  block="$(
    printf '### PDF to TIFF-F, 204x196 dpi, %s (%s, %s cores, %s, Ghostscript %s)\n\n' \
      "$(date -u +%Y-%m-%d)" "$(uname -m)" "$(nproc)" "$(java -version 2>&1 | head -1)" "$gsver"
    printf 'Command: `%s`; Ghostscript runs as `gs -q -dNOPAUSE -dBATCH -sDEVICE=tiffg4 -r204x196 -sOutputFile=OUT in.pdf`.\n\n' "$cmd"
    printf '%s\n' "$report"
  )"
  # At the end of the "## Documents" section (made if missing), wherever it is in the file.
  python3 - bench/RESULTS.md "$block" <<'PY'
import sys
path, block = sys.argv[1], sys.argv[2].strip("\n")
text = open(path).read().rstrip("\n") + "\n"
start = text.find("\n## Documents\n")
if start < 0:
    text += "\n## Documents\n"
    start = text.find("\n## Documents\n")
end = text.find("\n## ", start + 1)
end = len(text) if end < 0 else end
text = text[:end].rstrip("\n") + "\n\n" + block + "\n" + text[end:]
open(path, "w").write(text)
PY
  echo "appended to bench/RESULTS.md"
fi
