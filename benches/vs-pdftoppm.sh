#!/usr/bin/env bash
# docsandbox against poppler's pdftoppm, whole processes, side by side in one run.
# Prints time ratios (pdftoppm / docsandbox: above 1 means docsandbox is faster).
#
#   benches/vs-pdftoppm.sh            # needs hyperfine and poppler-utils (apt-get install)
#
# Cases: a 1-page PDF (the shipped sample), page 1 of the corpus's tracemonkey.pdf, and
# 50 text pages of the corpus's freeculture.pdf at 100 DPI. Both tools write PNG files;
# the 50-page case also times pdftoppm writing raw PPM (no PNG encoding at all).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 2; }
command -v pdftoppm >/dev/null || { echo "needs pdftoppm (apt-get install poppler-utils)"; exit 2; }
cargo build --release -q -p docsandbox-cli
ds=target/release/docsandbox
corpus=${DOCSANDBOX_CORPUS:-../shared/corpus}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$ds" render samples/welcome.pdf --out "$tmp/warm" >/dev/null # fills the compiled-guest cache

compare() { # name, docsandbox args, pdftoppm args...
  local name=$1 dsargs=$2; shift 2
  local cmds=("$ds render $dsargs --out $tmp/ds")
  for p in "$@"; do cmds+=("pdftoppm $p $tmp/pp/p"); done
  mkdir -p "$tmp/pp"
  hyperfine -N -w 2 -r "${RUNS:-10}" --export-json "$tmp/r.json" "${cmds[@]}" >/dev/null
  python3 - "$tmp/r.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ds = r[0]["mean"]
print(f"{sys.argv[2]}: docsandbox {ds*1000:.0f} ms")
for x in r[1:]:
    print(f"  vs {x['command'].split(' /')[0][:60]:60} {x['mean']*1000:7.0f} ms   ratio {x['mean']/ds:5.2f}x")
PY
}

compare "1-page sample, 150 DPI" "samples/welcome.pdf --dpi 150" "-png -r 150 samples/welcome.pdf"
if [ -f "$corpus/pdf/tracemonkey.pdf" ]; then
  compare "tracemonkey page 1, 150 DPI" "$corpus/pdf/tracemonkey.pdf --pages 1 --dpi 150" \
    "-png -r 150 -f 1 -l 1 $corpus/pdf/tracemonkey.pdf"
  compare "freeculture pages 1-50, 100 DPI" "$corpus/pdf/freeculture.pdf --pages 1-50 --dpi 100" \
    "-png -r 100 -f 1 -l 50 $corpus/pdf/freeculture.pdf" "-r 100 -f 1 -l 50 $corpus/pdf/freeculture.pdf"
else
  echo "corpus absent ($corpus): corpus cases skipped"
fi
