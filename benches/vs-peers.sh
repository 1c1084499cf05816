#!/usr/bin/env bash
# Every side-by-side comparison in one run, each printing ratios:
#   docsandbox vs pdftoppm (PDFs), vs LibreOffice (Office files), and the guest's own code
#   built natively vs sandboxed (target: sandboxed / native <= 1.3).
# Needs hyperfine, poppler-utils and libreoffice (apt-get install); the corpus cases are
# skipped without ../shared/corpus. RUNS=N sets the repetitions of the process-level ones.
set -euo pipefail
cd "$(dirname "$0")"
echo "== docsandbox vs pdftoppm"; ./vs-pdftoppm.sh
echo; echo "== docsandbox vs LibreOffice"; ./vs-libreoffice.sh
echo; echo "== the guest natively vs sandboxed"; ./vs-native.sh
