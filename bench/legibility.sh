#!/usr/bin/env bash
# Legibility and size of fax pages: faxlan against Ghostscript (tiffg4), same documents, same run.
#
# Builds its own corpus in a temporary directory from several producers:
#   memo      a PostScript memo, made a PDF by Ghostscript (ps2pdf)
#   invoice   an OpenDocument invoice (flat .fodt) with alternate grey table rows and white text on a
#             dark header row, made a PDF by LibreOffice
#   scan      a letter rendered at 300 dpi, degraded by ImageMagick (grey paper, uneven lighting, noise,
#             0.7 degree rotation, JPEG quality 60) and wrapped in a PDF by img2pdf
#   photo     a fractal "photograph" with a caption, as a JPEG in a PDF (img2pdf)
#   latin1    a German/French letter in ISO-8859-1 with CRLF line ends (Ghostscript prints it with gslp.ps)
# converts each at fine resolution (204x196) with faxlan and with Ghostscript's tiffg4 device, reads
# every page back with tesseract (after scaling the fax pages to square pels, the same for both), and
# prints per document and converter: word recall against the text the generator used, bytes per page,
# seconds of line time per page at 14,400 bit/s, and the ratios faxlan/Ghostscript.
#
# Usage: bench/legibility.sh [--append] [--keep DIR]
#   --append   adds the table to bench/RESULTS.md (section "Legibility")
#   --keep DIR keeps the corpus and the fax pages in DIR (otherwise a temporary directory, removed)
# Needs: JDK 17+, Maven, Ghostscript, LibreOffice (soffice), ImageMagick (convert), img2pdf, tesseract
# (with English data), libtiff-tools (tiffinfo) and python3. Every random input has a fixed seed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

append=false
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --append) append=true; shift ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "usage: bench/legibility.sh [--append] [--keep DIR]" >&2; exit 2 ;;
  esac
done
for tool in gs soffice convert img2pdf tesseract tiffinfo python3 java; do
  command -v "$tool" >/dev/null || { echo "legibility: $tool not found on PATH" >&2; exit 1; }
done
tesseract --list-langs 2>/dev/null | grep -qx deu || { echo "legibility: tesseract has no German model (apt-get install tesseract-ocr-deu)" >&2; exit 1; }

mvn -q -o -pl faxlan-bench -am package -DskipTests -Djazzer.skip=true dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  || mvn -q -pl faxlan-bench -am package -DskipTests -Djazzer.skip=true dependency:build-classpath -Dmdep.outputFile=target/bench.cp
cp="faxlan-bench/target/classes:$(cat faxlan-bench/target/bench.cp)"

if [[ -n "$keep" ]]; then
  mkdir -p "$keep"; work="$(cd "$keep" && pwd)"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi
corpus="$work/corpus"; mkdir -p "$corpus"

# --- corpus: sources and the text each generator used (NAME.expected.txt) ---------------------------
python3 - "$corpus" <<'PY'
import sys, os
d = sys.argv[1]
def expected(name, text):
    open(os.path.join(d, name + ".expected.txt"), "w", encoding="utf-8").write(text)

# (a) memo in PostScript, Times 11 pt
memo = """MEMORANDUM
To: All staff of the accounts department
From: Margaret Holloway, Office Manager
Date: 14 March 2026
Subject: Quarterly closing and the new approval rules
From the first of April every purchase order above five thousand dollars needs a second
signature before it is sent to the supplier. Please attach the quotation and the budget
line to each request. Orders without these papers will be returned to the sender.
The quarterly closing starts on Monday at nine o'clock. Invoices received after Friday
noon will be booked in the next quarter. Travel expenses must be filed within thirty
days of the journey, with the original receipts stapled to the form.
Questions about the new rules go to the finance help desk on extension 4471.
Thank you for your cooperation.""".split("\n")
ps = ["%!PS-Adobe-3.0", "%%BoundingBox: 0 0 595 842", "%%Pages: 1", "%%EndComments", "%%Page: 1 1",
      "/Times-Bold findfont 16 scalefont setfont", "72 760 moveto (" + memo[0] + ") show",
      "/Times-Roman findfont 11 scalefont setfont"]
y = 730
for i, line in enumerate(memo[1:]):
    y -= 26 if i == 4 else 15
    esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    ps.append(f"72 {y} moveto ({esc}) show")
ps += ["showpage", "%%EOF"]
open(os.path.join(d, "memo.ps"), "w").write("\n".join(ps) + "\n")
expected("memo", "\n".join(memo))

# (b) invoice: shaded rows, white bold text on a dark header row
rows = [("Item", "Description", "Quantity", "Amount"),
        ("1001", "Laser toner cartridge black", "4", "236.00"),
        ("1002", "Copy paper A4 eighty gram", "20", "94.00"),
        ("1003", "Stapler heavy duty", "2", "31.80"),
        ("1004", "Archive boxes with lids", "12", "57.60"),
        ("1005", "Ballpoint pens blue", "50", "22.50"),
        ("1006", "Service visit printer room", "1", "120.00"),
        ("", "Total due within thirty days", "", "561.90")]
intro = ["Invoice 2026-0417", "Northwind Office Supplies, Harbour Road 12, Portsmouth",
         "Customer: Blue Lake Dental Practice, account 55821"]
outro = "Please pay by bank transfer quoting the invoice number. Thank you for your order."
def cell(style, pstyle, text):
    return (f'<table:table-cell table:style-name="{style}" office:value-type="string">'
            f'<text:p text:style-name="{pstyle}">{text}</text:p></table:table-cell>')
body = []
for i, r in enumerate(rows):
    style, pstyle = ("Head", "HeadText") if i == 0 else (("Shade" if i % 2 else "Plain"), "Body")
    body.append("<table:table-row>" + "".join(cell(style, pstyle, t) for t in r) + "</table:table-row>")
fodt = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="17cm" table:align="left"/></style:style>
  <style:style style:name="Head" style:family="table-cell"><style:table-cell-properties fo:background-color="#23344d" fo:padding="0.12cm"/></style:style>
  <style:style style:name="Shade" style:family="table-cell"><style:table-cell-properties fo:background-color="#c8c8c8" fo:padding="0.12cm"/></style:style>
  <style:style style:name="Plain" style:family="table-cell"><style:table-cell-properties fo:padding="0.12cm"/></style:style>
  <style:style style:name="Title" style:family="paragraph"><style:text-properties style:font-name="DejaVu Sans" fo:font-family="'DejaVu Sans'" fo:font-size="18pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="Body" style:family="paragraph"><style:text-properties style:font-name="DejaVu Sans" fo:font-family="'DejaVu Sans'" fo:font-size="11pt"/></style:style>
  <style:style style:name="HeadText" style:family="paragraph"><style:text-properties style:font-name="DejaVu Sans" fo:font-family="'DejaVu Sans'" fo:font-size="11pt" fo:font-weight="bold" fo:color="#ffffff"/></style:style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:p text:style-name="Title">{intro[0]}</text:p>
  <text:p text:style-name="Body">{intro[1]}</text:p>
  <text:p text:style-name="Body">{intro[2]}</text:p>
  <text:p text:style-name="Body"/>
  <table:table table:name="Items" table:style-name="Tbl">
   <table:table-column table:number-columns-repeated="4"/>
   {"".join(body)}
  </table:table>
  <text:p text:style-name="Body"/>
  <text:p text:style-name="Body">{outro}</text:p>
 </office:text></office:body>
</office:document>
"""
open(os.path.join(d, "invoice.fodt"), "w", encoding="utf-8").write(fodt)
expected("invoice", "\n".join(intro + [" ".join(r) for r in rows] + [outro]))

# (c) the letter that is printed and scanned
letter = """Dr. Helen Carter
Riverside Medical Centre
22 Mill Lane, Cambridge

Dear Mr. Thompson,

thank you for your letter of the second of March. We have reviewed the
results of your recent examination and are pleased to confirm that no
further treatment is necessary at this time.

Please arrange a follow-up appointment in six months with our reception,
and bring this letter and your insurance card with you. If you notice any
change in your symptoms before then, do not hesitate to contact us.

Yours sincerely,

Helen Carter"""
open(os.path.join(d, "letter.txt"), "w").write(letter + "\n")
expected("scan", letter)

# (d) the photograph's caption
caption = "Figure 3. The old harbour at dawn, seen from the north pier."
open(os.path.join(d, "caption.txt"), "w").write(caption)
expected("photo", caption)

# (e) a Latin-1 letter with CRLF line ends
latin1 = """Firma Müller & Söhne GmbH
Gartenstraße 17, 80331 München

Sehr geehrte Frau Lefèvre,

vielen Dank für Ihre Anfrage über die Lieferung nach Zürich.
Wir bestätigen gern den Preis von 12,50 pro Stück, frei Haus.
Die Ware wird in der nächsten Woche geprüft und verschickt.

Nous vous remercions de votre confiance et restons à votre disposition
pour toute question concernant la facture ou le délai de livraison.

Mit freundlichen Grüßen
Jürgen Weiß, Geschäftsführer"""
open(os.path.join(d, "latin1.txt"), "wb").write((latin1.replace("\n", "\r\n") + "\r\n").encode("iso-8859-1"))
expected("latin1", latin1)
PY

# (a) Ghostscript makes the memo's PDF
gs -q -dNOPAUSE -dBATCH -dSAFER -sPAPERSIZE=a4 -sDEVICE=pdfwrite -sOutputFile="$corpus/memo.pdf" "$corpus/memo.ps"
# (b) LibreOffice makes the invoice's PDF (its own profile, so a running office is not disturbed)
soffice --headless --norestore "-env:UserInstallation=file://$work/lo-profile" --convert-to pdf \
  --outdir "$corpus" "$corpus/invoice.fodt" >"$work/soffice.log" 2>&1 \
  || { cat "$work/soffice.log" >&2; exit 1; }
[[ -s "$corpus/invoice.pdf" ]] || { echo "legibility: LibreOffice made no invoice.pdf" >&2; cat "$work/soffice.log" >&2; exit 1; }
# (c) the scanned letter: 300 dpi A4, grey paper (88 %), light falling off to one side, noise,
# rotated 0.7 degrees, JPEG quality 60
convert -density 300 -units PixelsPerInch -size 2480x3508 xc:white -font DejaVu-Serif -pointsize 12 -fill black \
  -annotate +260+420 "$(cat "$corpus/letter.txt")" "$corpus/letter-clean.png"
convert "$corpus/letter-clean.png" +level 0%,88% \
  \( -size 3508x2480 gradient:'gray(100%)'-'gray(80%)' -rotate 90 \) -compose multiply -composite \
  -seed 1717 -attenuate 0.6 +noise Gaussian \
  -background 'gray(85%)' -rotate 0.7 +repage -gravity center -extent 2480x3508 \
  -colorspace Gray -density 300 -units PixelsPerInch -quality 60 "$corpus/scan.jpg"
img2pdf --pagesize A4 -o "$corpus/scan.pdf" "$corpus/scan.jpg"
# (d) the photo page: plasma fractal with a caption below, 300 dpi
convert -seed 4242 -size 1900x1400 plasma:fractal -blur 0x1.5 "$corpus/photo-only.png"
convert -density 300 -units PixelsPerInch -size 2480x3508 xc:white "$corpus/photo-only.png" -geometry +290+400 -composite \
  -font DejaVu-Sans -pointsize 12 -fill black -annotate +290+1930 "$(cat "$corpus/caption.txt")" \
  -density 300 -units PixelsPerInch -quality 90 "$corpus/photo.jpg"
img2pdf --pagesize A4 -o "$corpus/photo.pdf" "$corpus/photo.jpg"

gslp="$(find /usr/share/ghostscript /usr/local/share/ghostscript -name gslp.ps 2>/dev/null | head -1 || true)"

# --- convert, read back ------------------------------------------------------------------------------
pages_of() { tiffinfo "$1" 2>/dev/null | grep -c 'TIFF Directory at offset'; }
# Square pels for the reader: 204 dpi across, 196 down -> stretch rows by 204/196. Same for both.
# The reader is set to the document's language, as a receiving OCR system would be: English, and German
# (with English) for the German/French letter, whose umlauts and ß the English model reads as "ii" and "B".
ocr() {
  local tif="$1" out="$2" lang="${3:-eng}" dir
  dir="$(mktemp -d "$work/ocr.XXXX")"
  convert "$tif" -scale 100%x104.0816% "$dir/page-%03d.png"
  : >"$out"
  for png in "$dir"/page-*.png; do
    tesseract "$png" stdout --dpi 204 -l "$lang" 2>/dev/null >>"$out"
  done
  rm -rf "$dir"
}

results="$work/results.tsv"
: >"$results"
for doc in memo invoice scan photo latin1; do
  if [[ "$doc" == latin1 ]]; then src="$corpus/latin1.txt"; else src="$corpus/$doc.pdf"; fi
  java -cp "$cp" dev.faxlan.cli.Main convert "$src" --out "$work/$doc.faxlan.tif" --resolution fine --page-size a4 >/dev/null
  gsout="$work/$doc.gs.tif"
  if [[ "$doc" == latin1 ]]; then
    if [[ -n "$gslp" ]]; then
      gs -q -dNOPAUSE -dBATCH -dSAFER "--permit-file-read=$src" -sPAPERSIZE=a4 -sDEVICE=tiffg4 -r204x196 \
        -sOutputFile="$gsout" -- "$gslp" "$src" >"$work/gslp.log" 2>&1 || { cat "$work/gslp.log" >&2; exit 1; }
    fi
  else
    gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=tiffg4 -r204x196 -sOutputFile="$gsout" "$src"
  fi
  for conv in faxlan gs; do
    tif="$work/$doc.$conv.tif"
    if [[ ! -s "$tif" ]]; then printf '%s\t%s\tNA\tNA\tNA\n' "$doc" "$conv" >>"$results"; continue; fi
    if [[ "$doc" == latin1 ]]; then lang=deu+eng; else lang=eng; fi
    ocr "$tif" "$work/$doc.$conv.ocr.txt" "$lang"
    printf '%s\t%s\t%s\t%s\t%s\n' "$doc" "$conv" "$(pages_of "$tif")" "$(stat -c %s "$tif")" "$work/$doc.$conv.ocr.txt" >>"$results"
  done
done

report="$(python3 - "$results" "$corpus" <<'PY'
import sys, re, unicodedata, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
corpus = sys.argv[2]
def words(t):
    t = unicodedata.normalize("NFC", t).lower()
    return [w for w in re.split(r"[^\w]+|_", t) if w]
def recall(expected, read):
    want = words(expected)
    have = collections.Counter(words(read))
    found = 0
    for w in want:
        if have[w] > 0:
            found += 1
            have[w] -= 1
    return found / len(want) if want else 1.0
producers = {"memo": "PostScript memo, Ghostscript ps2pdf", "invoice": "shaded-table invoice, LibreOffice",
             "scan": "scanned letter, ImageMagick + img2pdf", "photo": "photo page with caption, img2pdf",
             "latin1": "Latin-1 CRLF text (gs: gslp.ps)"}
res = {}
for doc, conv, pages, size, ocr in rows:
    if pages == "NA":
        res[(doc, conv)] = None
        continue
    exp = open(f"{corpus}/{doc}.expected.txt", encoding="utf-8").read()
    r = recall(exp, open(ocr, encoding="utf-8").read())
    n = int(pages)
    bpp = int(size) / n
    res[(doc, conv)] = (r, n, bpp, bpp * 8 / 14400)
print("| document | converter | pages | word recall | bytes/page | line time/page at 14,400 bit/s |")
print("|---|---|---|---|---|---|")
for doc in producers:
    for conv, name in (("faxlan", "faxlan"), ("gs", "Ghostscript tiffg4")):
        v = res.get((doc, conv))
        if v is None:
            print(f"| {doc} ({producers[doc]}) | {name} | n/a | n/a | n/a | n/a |")
        else:
            print(f"| {doc} ({producers[doc]}) | {name} | {v[1]} | {v[0]:.2f} | {v[2]:.0f} | {v[3]:.1f} s |")
print()
print("| document | recall faxlan/Ghostscript | bytes faxlan/Ghostscript |")
print("|---|---|---|")
for doc in producers:
    a, b = res.get((doc, "faxlan")), res.get((doc, "gs"))
    if a is None or b is None:
        print(f"| {doc} | n/a | n/a |")
        continue
    rr = f"{a[0] / b[0]:.2f}x" if b[0] > 0 else ("=" if a[0] == 0 else "inf (Ghostscript 0)")
    print(f"| {doc} | {rr} | {a[2] / b[2]:.2f}x |")
print()
text_docs = [d for d in ("memo", "invoice", "scan", "latin1") if res.get((d, "faxlan"))]
ok_recall = all(res[(d, "faxlan")][0] >= 0.95 for d in text_docs)
not_below = all(res.get((d, "gs")) is None or res[(d, "faxlan")][0] >= res[(d, "gs")][0] for d in text_docs)
scan = res.get(("scan", "faxlan")), res.get(("scan", "gs"))
scan_ok = all(scan) and scan[0][0] >= 0.95 and scan[0][2] <= 0.25 * scan[1][2]
print(f"Aims (issue 17): recall >= 0.95 on every text page: {'met' if ok_recall else 'not met'}; "
      f"never below Ghostscript: {'met' if not_below else 'not met'}; "
      f"scanned letter >= 0.95 with <= 25% of Ghostscript's bytes: {'met' if scan_ok else 'not met'}.")
PY
)"
echo "$report"
if $append; then
  [[ -s bench/RESULTS.md ]] || printf '# Benchmark results\n' >bench/RESULTS.md
  {
    grep -q '^## Legibility' bench/RESULTS.md 2>/dev/null || printf '\n## Legibility (issue 17)\n'
    printf '\n### Fax pages read back by tesseract, 204x196 dpi, %s, commit %s (%s, %s cores, Ghostscript %s, %s, tesseract %s)\n\n' \
      "$(date -u +%Y-%m-%d)" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$(uname -m)" "$(nproc)" "$(gs --version)" \
      "$(soffice --version 2>/dev/null | head -1 | cut -d' ' -f1-2)" "$(tesseract --version 2>&1 | head -1 | cut -d' ' -f2)"
    printf 'Command: `bench/legibility.sh --append`. Ghostscript runs as `gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=tiffg4 -r204x196 -sOutputFile=OUT in.pdf` (the text file through gslp.ps), faxlan as `faxlan convert in --resolution fine --page-size a4`; every page is stretched to square pels and read by `tesseract --dpi 204 -l eng` (`-l deu+eng` for the German/French letter); recall is against the text each generator used.\n\n'
    printf '%s\n' "$report"
  } >>bench/RESULTS.md
  echo "appended to bench/RESULTS.md"
fi
