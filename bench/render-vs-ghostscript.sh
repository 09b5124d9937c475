#!/usr/bin/env bash
# PDF -> TIFF-F at 204x196 dpi: faxlan's converter against Ghostscript (tiffg4), same PDF, same run.
# Prints pages/s and output bytes for both, and the ratios; with --append, adds them to bench/RESULTS.md.
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

report="$(python3 - "$work/jmh.json" "$sizes" <<'PY'
import json, sys
runs = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
kv = dict(p.split("=") for p in sys.argv[2].split())
pages = int(kv["pages"])
ours_ms, gs_ms = runs["faxlan"]["score"], runs["ghostscript"]["score"]
ours_err, gs_err = runs["faxlan"]["scoreError"], runs["ghostscript"]["scoreError"]
ours_pps, gs_pps = pages / ours_ms * 1000, pages / gs_ms * 1000
ours_b, gs_b = int(kv["faxlan_bytes"]), int(kv["gs_bytes"])
print(f"| converter | ms per {pages}-page PDF | pages/s | TIFF bytes | bytes/page |")
print("|---|---|---|---|---|")
print(f"| faxlan (PDFBox, ordered halftone, G4) | {ours_ms:.0f} ± {ours_err:.0f} | {ours_pps:.1f} | {ours_b} | {ours_b // pages} |")
print(f"| Ghostscript tiffg4 | {gs_ms:.0f} ± {gs_err:.0f} | {gs_pps:.1f} | {gs_b} | {gs_b // pages} |")
print()
print(f"Ratios faxlan/Ghostscript: speed {ours_pps / gs_pps:.2f}x, size {ours_b / gs_b:.3f}x "
      f"(aim: speed >= 1.00x, size <= 1.10x)")
PY
)"
gsver="$(gs --version)"
cmd="bench/render-vs-ghostscript.sh --append${*:+ $*}"
echo "$report"
if $append; then
  [[ -s bench/RESULTS.md ]] || printf '# Benchmark results\n' >bench/RESULTS.md
  {
    grep -q '^## Documents' bench/RESULTS.md 2>/dev/null || printf '\n## Documents\n'
    printf '\n### PDF to TIFF-F, 204x196 dpi, %s (%s, %s cores, %s, Ghostscript %s)\n\n' \
      "$(date -u +%Y-%m-%d)" "$(uname -m)" "$(nproc)" "$(java -version 2>&1 | head -1)" "$gsver"
    printf 'Command: `%s`; Ghostscript runs as `gs -q -dNOPAUSE -dBATCH -sDEVICE=tiffg4 -r204x196 -sOutputFile=OUT in.pdf`.\n\n' "$cmd"
    printf '%s\n' "$report"
  } >>bench/RESULTS.md
  echo "appended to bench/RESULTS.md"
fi
