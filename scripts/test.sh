#!/usr/bin/env bash
# The project's test command (README, .ci/run): every test suite, plus a check that the
# fuzz targets still build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Host library, CLI, protocol, the integration suites in tests/ (these build the guest),
# examples, and the benchmarks run once each in test mode; then the doc tests.
cargo test --release --workspace --all-targets --locked
cargo test --release --workspace --doc --locked

# The guest's own unit tests run natively (its .cargo/config.toml targets wasm32-wasip1).
(cd guest && cargo test --release --locked --target "$(rustc -vV | sed -n 's/^host: //p')")

# The fuzz targets must keep compiling (running them needs nightly: see fuzz/README.md).
cargo check --release --locked --manifest-path fuzz/Cargo.toml

echo "all tests passed"
