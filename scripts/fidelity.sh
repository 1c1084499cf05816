#!/usr/bin/env bash
# Fidelity check for Office documents: renders each corpus document with docsandbox and
# with LibreOffice (to PDF, then pdftoppm), both at 50 DPI, and compares them page by
# page with SSIM on a 4x-downsampled grey image. Not part of CI (it needs LibreOffice).
#
#   scripts/fidelity.sh [files...]   # default: the normal Office files of ../shared/corpus
#
# Needs: LibreOffice (soffice), pdftoppm (poppler-utils), python3 with Pillow, and the
# fonts docsandbox embeds, so that both sides use the same faces: apt-get install
# fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea fonts-ipaexfont.
# Prints, per document: page counts from each, and the mean SSIM over the pages both have
# (1.0 = identical; above ~0.8 the pages look alike at a glance). With FIDELITY_PAGES=1, also
# each page's SSIM. At the end, per format (by file extension): the number of documents,
# how many docsandbox failed to render (no pages), and the mean of their mean SSIMs (a
# failure counts as 0). With FIDELITY_CACHE=DIR, LibreOffice's PDFs are kept in DIR, named
# by each file's SHA-256, so that repeated runs convert each document once.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${DOCSANDBOX_CORPUS:-../shared/corpus}
for tool in soffice pdftoppm python3; do command -v $tool >/dev/null || { echo "needs $tool"; exit 2; }; done
python3 -c "import PIL" 2>/dev/null || { echo "needs Pillow (pip install pillow)"; exit 2; }
cargo build --release -q -p docsandbox-cli
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=("$corpus"/docx/dangerzone-sample.docx "$corpus"/docx/stress019-japanese.docx "$corpus"/docx/stress011-un-report.docx
         "$corpus"/xlsx/dangerzone-sample.xlsx "$corpus"/xlsx/50299-japanese.xlsx "$corpus"/xls/dangerzone-sample.xls
         "$corpus"/odf/dangerzone-sample.ods "$corpus"/odf/dangerzone-sample.odt "$corpus"/odf/dangerzone-sample.odp "$corpus"/pptx/dangerzone-sample.pptx "$corpus"/pptx/with_japanese.pptx tests/files/shapes.ppt tests/files/layout.doc)
fi
for f in "${files[@]}"; do
  name=$(basename "$f"); stem="${name%.*}"
  rm -rf "$tmp/ds" "$tmp/lo"; mkdir -p "$tmp/lo"
  target/release/docsandbox render "$f" --dpi 50 --out "$tmp/ds" >/dev/null 2>&1 || true
  cached=""
  if [ -n "${FIDELITY_CACHE:-}" ]; then
    mkdir -p "$FIDELITY_CACHE"; cached="$FIDELITY_CACHE/$(sha256sum < "$f" | cut -c1-64).pdf"
    [ -f "$cached" ] && cp "$cached" "$tmp/lo/$stem.pdf"
  fi
  if [ ! -f "$tmp/lo/$stem.pdf" ]; then
    soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to pdf --outdir "$tmp/lo" "$f" >/dev/null 2>&1 || true
    [ -n "$cached" ] && [ -f "$tmp/lo/$stem.pdf" ] && cp "$tmp/lo/$stem.pdf" "$cached"
  fi
  [ -f "$tmp/lo/$stem.pdf" ] && pdftoppm -png -r 50 "$tmp/lo/$stem.pdf" "$tmp/lo/page"
  python3 - "$tmp/ds" "$tmp/lo" "$name" "$tmp/scores.tsv" <<'PY'
import glob, os, sys
from PIL import Image

def grey(path, size):
    return list(Image.open(path).convert("L").resize(size).tobytes())

def ssim(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    va = sum((x - ma) ** 2 for x in a) / n
    vb = sum((y - mb) ** 2 for y in b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b)) / n
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    return ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))

ds = sorted(glob.glob(sys.argv[1] + "/*.png"))
lo = sorted(glob.glob(sys.argv[2] + "/page*.png"))
scores = []
for d, l in zip(ds, lo):
    w, h = Image.open(l).size
    size = (max(1, w // 4), max(1, h // 4))
    scores.append(ssim(grey(d, size), grey(l, size)))
mean = sum(scores) / len(scores) if scores else float("nan")
print(f"{sys.argv[3]:40} pages docsandbox {len(ds):3}  LibreOffice {len(lo):3}  mean SSIM {mean:.3f}")
if lo:
    # Only documents LibreOffice renders count; docsandbox drawing nothing is a failure (0).
    extension = os.path.splitext(sys.argv[3])[1].lstrip(".").lower() or "?"
    with open(sys.argv[4], "a") as out:
        out.write(f"{extension}\t{mean if ds else 0.0}\t{0 if ds else 1}\n")
if os.environ.get("FIDELITY_PAGES") == "1":
    print("  " + " ".join(f"{i + 1}:{s:.3f}" for i, s in enumerate(scores)))
PY
done
if [ -f "$tmp/scores.tsv" ]; then python3 - "$tmp/scores.tsv" <<'PY'
import sys
from collections import defaultdict
rows = defaultdict(list)
for line in open(sys.argv[1]):
    extension, mean, failed = line.rstrip("\n").split("\t")
    rows[extension].append((float(mean), int(failed)))
print("per format:")
for extension in sorted(rows):
    scores = [m if m == m else 0.0 for m, _ in rows[extension]]
    failures = sum(f for _, f in rows[extension])
    print(f"  {extension:5} documents {len(scores):3}  failed {failures:2}  mean SSIM {sum(scores) / len(scores):.3f}")
PY
fi
