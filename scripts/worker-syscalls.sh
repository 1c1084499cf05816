#!/usr/bin/env bash
# Lists the system calls docsandbox-worker makes after it has confined itself, over the
# documents given (default: the samples and, when present, the shared corpus), to check
# the seccomp allow-list in crates/docsandbox/src/isolation/worker.rs against reality on this kernel.
#
#   scripts/worker-syscalls.sh [DOCUMENT...]
#
# Runs `docsandbox --process-isolation render` with the worker under `strace -f` and its filter
# in place (a call missing from the allow-list shows up as killed by SIGSYS) and prints
# every call seen after the seccomp(2) call, with counts. Needs strace and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v strace >/dev/null || { echo "needs strace (apt-get install strace)" >&2; exit 2; }
bin=target/release/docsandbox
[ -x "$bin" ] || cargo build --release --workspace
docs=("$@")
if [ ${#docs[@]} -eq 0 ]; then
  docs=(samples/*)
  [ -d ../shared/corpus ] && while IFS= read -r f; do docs+=("$f"); done < <(find ../shared/corpus -type f ! -name '*.tsv' | sort)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The worker, traced: a wrapper the host starts in its place.
printf '#!/bin/sh\nexec strace -f -qq -o "%s/trace" "%s"\n' "$tmp" "$PWD/target/release/docsandbox-worker" > "$tmp/worker"
chmod +x "$tmp/worker"
killed=0
for doc in "${docs[@]}"; do
  rm -f "$tmp/trace"
  DOCSANDBOX_WORKER="$tmp/worker" "$bin" --process-isolation render "$doc" --out "$tmp/pages" --dpi 50 >/dev/null 2>&1 || true
  [ -f "$tmp/trace" ] || continue
  # The first process is the worker as started; after its fork it only waits. Count every
  # call any other thread makes once the allow-list is on (seccomp with TSYNC).
  awk '
    NR == 1 { first = $1 }
    /seccomp\(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC/ { on = 1; next }
    on && $1 != first { n = $2; sub(/\(.*/, "", n); if (n ~ /^[a-z_0-9]+$/) print n }
  ' "$tmp/trace" >> "$tmp/calls"
  if grep -q "killed by SIGSYS" "$tmp/trace"; then
    echo "SIGSYS while rendering $doc:" >&2
    grep -B3 "killed by SIGSYS" "$tmp/trace" | head -8 >&2
    killed=$((killed + 1))
  fi
done
sort "$tmp/calls" | uniq -c | sort -rn
echo "${#docs[@]} documents; $killed ended by SIGSYS" >&2
