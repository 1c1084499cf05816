#!/usr/bin/env bash
# docsandbox against LibreOffice for Office documents, whole processes, side by side in
# one run. Prints time ratios (LibreOffice / docsandbox: above 1 means docsandbox is
# faster).
#
#   benches/vs-libreoffice.sh     # needs hyperfine and LibreOffice (apt-get install
#                                 # hyperfine libreoffice-writer-nogui
#                                 # libreoffice-calc-nogui libreoffice-impress-nogui)
#
# docsandbox renders every page to PNG at 150 DPI. LibreOffice is timed two ways: only
# converting to PDF (`soffice --headless --convert-to pdf`, a lower bound), and the whole
# pipeline container- and VM-based viewers run, conversion then `pdftoppm -png -r 150`.
# LibreOffice runs with a warm private profile, as a long-lived viewer would have.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine"; exit 2; }
command -v soffice >/dev/null || { echo "needs LibreOffice (soffice)"; exit 2; }
command -v pdftoppm >/dev/null || { echo "needs pdftoppm (apt-get install poppler-utils)"; exit 2; }
corpus=${DOCSANDBOX_CORPUS:-../shared/corpus}
[ -d "$corpus" ] || { echo "corpus absent ($corpus)"; exit 2; }
cargo build --release -q -p docsandbox-cli
ds=target/release/docsandbox
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
profile="file://$tmp/lo-profile"
"$ds" render samples/welcome.pdf --out "$tmp/warm" >/dev/null # fills the compiled-guest cache
soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$tmp/warm" samples/welcome.pdf >/dev/null 2>&1 || true

for doc in docx/dangerzone-sample.docx docx/stress019-japanese.docx xlsx/dangerzone-sample.xlsx \
           xls/dangerzone-sample.xls pptx/dangerzone-sample.pptx; do
  convert="soffice -env:UserInstallation=$profile --headless --convert-to pdf --outdir $tmp/lo $corpus/$doc"
  pdf="$tmp/lo/$(basename "${doc%.*}").pdf"
  hyperfine -N -w 1 -r "${RUNS:-5}" --export-json "$tmp/r.json" \
    "$ds render $corpus/$doc --dpi 150 --out $tmp/ds" \
    "$convert" \
    "bash -c '$convert >/dev/null && pdftoppm -png -r 150 $pdf $tmp/lo/page'" >/dev/null
  python3 - "$tmp/r.json" "$doc" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ds, lo, pipeline = r[0]["mean"], r[1]["mean"], r[2]["mean"]
print(f"{sys.argv[2]:30} docsandbox {ds*1000:5.0f} ms | LibreOffice to PDF {lo*1000:5.0f} ms ({lo/ds:4.1f}x)"
      f" | to PDF + pdftoppm PNG {pipeline*1000:5.0f} ms ({pipeline/ds:4.1f}x)")
PY
done
