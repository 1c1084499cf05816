#!/usr/bin/env bash
# Whole-process start-up: a fresh `docsandbox` process per document, as a user running the
# CLI meets it, side by side in one run with mutool draw (MuPDF), pdftoppm (poppler) and
# LibreOffice. Prints a table with ratios and each tool's peak RSS.
#
#   benches/cold-start.sh [DOCUMENT...]   # needs hyperfine, mupdf-tools, poppler-utils,
#                                         # libreoffice-writer-nogui (apt-get install)
#
# Cases: a generated 1-page "Hello, world" PDF and DOCX, the shipped sample (a 1-page PDF
# with Japanese text), 48 pages of the corpus's freeculture.pdf when ../shared/corpus is
# there, and any DOCUMENT given (PDFs against mutool and pdftoppm, others against
# LibreOffice). All at 100 DPI to PNG files. RUNS=N sets hyperfine's repetitions.
#
# It also times the first run after a build: a process whose compiled-guest cache
# directory is empty, against later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine mutool pdftoppm soffice python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool"; exit 2; }
done
cargo build --release -q --workspace
ds=$PWD/target/release/docsandbox
corpus=${DOCSANDBOX_CORPUS:-../shared/corpus}
runs=${RUNS:-20}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export DOCSANDBOX_CACHE_DIR="$tmp/cache"

# The generated documents: one line of Latin text each.
python3 - "$tmp" <<'PY'
import sys, zipfile
tmp = sys.argv[1]
stream = b"BT /F1 24 Tf 72 700 Td (Hello, world!) Tj ET"
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
pdf, offsets = b"%PDF-1.4\n", []
for i, body in enumerate(objs):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n%s\nendobj\n" % (i + 1, body)
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(f"{tmp}/hello.pdf", "wb").write(pdf)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
with zipfile.ZipFile(f"{tmp}/hello.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>Hello, world!</w:t></w:r></w:p>'
               '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr></w:body></w:document>')
PY

profile="file://$tmp/lo-profile"
mkdir -p "$tmp/out"
# Warm every tool once: the page cache, LibreOffice's profile, docsandbox's compiled-guest cache.
"$ds" render "$tmp/hello.pdf" --out "$tmp/out/warm" >/dev/null
soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$tmp/out" "$tmp/hello.docx" >/dev/null 2>&1 || true

rss() { /usr/bin/time -f %M "$@" >/dev/null 2>"$tmp/rss" || true; tail -1 "$tmp/rss"; }

# case NAME DOCUMENT PAGES(first-last) KIND(pdf|office)
case_() {
  local name=$1 doc=$2 pages=$3 kind=$4 first=${3%-*} last=${3#*-}
  local cmds=("$ds render $doc --pages $pages --dpi 100 --out $tmp/out/ds"
              "$ds --process-isolation render $doc --pages $pages --dpi 100 --out $tmp/out/dsw")
  if [ "$kind" = pdf ]; then
    cmds+=("mutool draw -q -r 100 -o $tmp/out/mu-%d.png $doc $pages"
           "pdftoppm -png -r 100 -f $first -l $last $doc $tmp/out/pp")
  else
    cmds+=("soffice -env:UserInstallation=$profile --headless --convert-to pdf --outdir $tmp/out $doc")
  fi
  hyperfine -N -w 3 -r "$runs" --export-json "$tmp/r.json" "${cmds[@]}" >/dev/null 2>&1
  local rsses=()
  for c in "${cmds[@]}"; do
    # shellcheck disable=SC2086
    rsses+=("$(rss $c)")
  done
  python3 - "$tmp/r.json" "$name" "${rsses[@]}" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
name, rss = sys.argv[2], sys.argv[3:]
labels = ["docsandbox", "docsandbox --process-isolation"] + (["mutool draw", "pdftoppm"] if len(r) == 4 else ["LibreOffice convert to PDF"])
ds = r[0]["mean"]
print(f"{name}")
for label, x, m in zip(labels, r, rss):
    ratio = "" if x is r[0] else f"  docsandbox is {x['mean'] / ds:5.2f}x as fast" if x is not r[1] else f"  +{(x['mean'] - ds) * 1000:4.1f} ms over in-process"
    print(f"  {label:32} {x['mean'] * 1000:8.1f} ms ± {x['stddev'] * 1000:5.1f}   peak RSS {int(m) / 1024:6.1f} MiB{ratio}")
PY
}

echo "cold start, whole processes, 100 DPI to PNG, $(nproc) cores, mean of $runs runs"
case_ "1-page PDF (Hello, world)" "$tmp/hello.pdf" 1-1 pdf
case_ "1-page PDF with Japanese text (samples/welcome.pdf)" "$PWD/samples/welcome.pdf" 1-1 pdf
case_ "1-page DOCX (Hello, world)" "$tmp/hello.docx" 1-1 office
if [ -f "$corpus/pdf/freeculture.pdf" ]; then
  case_ "48 pages of freeculture.pdf" "$(cd "$corpus/pdf" && pwd)/freeculture.pdf" 1-48 pdf
fi
for doc in "$@"; do
  doc=$(realpath "$doc")
  case "${doc,,}" in
    *.pdf) case_ "$(basename "$doc") (page 1)" "$doc" 1-1 pdf ;;
    *) case_ "$(basename "$doc") (page 1)" "$doc" 1-1 office ;;
  esac
done

# The first run after a build: an empty cache directory each time.
hyperfine -N -r 10 --export-json "$tmp/r.json" \
  --prepare "rm -rf $tmp/cold" "env DOCSANDBOX_CACHE_DIR=$tmp/cold $ds render $tmp/hello.pdf --out $tmp/out/cold" \
  "$ds render $tmp/hello.pdf --out $tmp/out/ds" >/dev/null 2>&1
python3 - "$tmp/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"first run after a build (empty cache directory): {r[0]['mean'] * 1000:.1f} ms, later runs {r[1]['mean'] * 1000:.1f} ms:"
      f" +{(r[0]['mean'] - r[1]['mean']) * 1000:.0f} ms")
PY
