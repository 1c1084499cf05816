#!/usr/bin/env bash
# The guest's code natively vs in the sandbox: builds the guest for the host and runs
# benches/native.rs, which prints the ratio per document (see its header).
set -euo pipefail
cd "$(dirname "$0")/.."
host="$(rustc -vV | sed -n 's/^host: //p')"
(cd guest && cargo build --release --locked --target "$host")
DOCSANDBOX_NATIVE_GUEST="$PWD/guest/target/$host/release/docsandbox-guest" cargo bench --locked --bench native
