#!/usr/bin/env bash
# A timed fuzzing campaign over every target, one after another, on one core.
#
#   fuzz/campaign.sh SECONDS_PER_TARGET [TARGET...]      (default: every target)
#
# Needs the nightly toolchain and cargo-fuzz. Seeds come from corpus/<target> (fill it
# with fuzz/seed.py). A crash does not end a target's turn: the input is kept in
# artifacts/<target>/ and fuzzing resumes for the time left. Prints, per target, the
# executions and the crash, timeout and out-of-memory inputs found, and appends the same
# to campaigns.log.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:?usage: campaign.sh SECONDS_PER_TARGET [TARGET...]}"
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -O -s none
# Rendering frees and re-faults its page buffers on every execution; keeping blocks up
# to 64 MiB in the heap makes the parser targets about 1.6x faster. (Keeping all of them
# let fragmentation grow the fuzzer past its RSS limit: false out-of-memory finds.)
export MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_TOP_PAD_=67108864
# Longest input per target: small inputs run faster and reach the same code.
max_len() {
    case "$1" in
        protocol | text | mail | rtf) echo 16384 ;;
        docx | pptx | sheet | odt | odp | ppt | doc) echo 65536 ;;
        *) echo 262144 ;;
    esac
}
printf '%-10s %14s %8s %8s %8s %6s\n' target executions exec/s crashes timeouts ooms | tee -a campaigns.log
total=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    count() { find "artifacts/$target" -name "$1-*" ! -name "*.log" | wc -l; }
    before=("$(count crash)" "$(count timeout)" "$(count oom)")
    runs=0
    start=$(date +%s)
    while left=$((seconds - ($(date +%s) - start))); [ "$left" -gt 2 ]; do
        log="$(mktemp)"
        cargo +nightly fuzz run -O -s none "$target" "corpus/$target" -- \
            -max_total_time="$left" -print_final_stats=1 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
            -timeout=20 -max_len="$(max_len "$target")" >"$log" 2>&1 || true
        # Executions: the final statistics, or after a crash the last status line.
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        [ -n "$n" ] || n=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
        runs=$((runs + ${n:-0}))
        grep -q 'Test unit written to' "$log" || { rm -f "$log"; break; }
        # Keep what the fuzzer said next to the input it wrote.
        unit=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
        grep -v '^ *[0-9]*: \|^ *at ' "$log" | tail -40 >"$unit.log"
        echo "    $unit"
        rm -f "$log"
    done
    elapsed=$(( $(date +%s) - start ))
    total=$((total + runs))
    printf '%-10s %14d %8d %8d %8d %6d\n' "$target" "$runs" "$((runs / (elapsed > 0 ? elapsed : 1)))" \
        "$(($(count crash) - before[0]))" "$(($(count timeout) - before[1]))" "$(($(count oom) - before[2]))" | tee -a campaigns.log
done
printf '%-10s %14d\n' total "$total" | tee -a campaigns.log
