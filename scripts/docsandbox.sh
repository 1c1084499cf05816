#!/usr/bin/env bash
# Runs the docsandbox CLI from this checkout, building it first (release profile):
#
#   scripts/docsandbox.sh render samples/welcome.pdf --out pages
#   scripts/docsandbox.sh --help
#
# The same as `cargo run --release -p docsandbox-cli -- ARGS` from the repository root, but it
# works from any directory (paths are taken as given) and installs the pinned toolchain first
# where rustup would not do so by itself (scripts/toolchain.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
exec cargo "+$DOCSANDBOX_TOOLCHAIN" run --release --locked --manifest-path "$root/Cargo.toml" -p docsandbox-cli -- "$@"
