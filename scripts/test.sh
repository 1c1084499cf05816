#!/usr/bin/env bash
# The project's test command (README, .ci/run): formatting and lint gates, every test
# suite, a check that the fuzz targets still build, and the advisory audit.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pinned toolchain and its wasm target, installed where rustup would not do it itself.
source scripts/toolchain.sh

# Formatting and lints, host, guest and fuzz targets alike (rustfmt.toml; warnings are errors).
# rust-toolchain.toml lists rustfmt and clippy, but rustup adds them only when it installs
# the toolchain itself: add them if a pre-installed toolchain lacks them.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi
cargo fmt --all --check
(cd guest && cargo fmt --check)
cargo fmt --manifest-path fuzz/Cargo.toml --check
cargo clippy --release --workspace --all-targets --locked -- -D warnings
(cd guest && cargo clippy --release --all-targets --all-features --locked -- -D warnings)

# macOS and Windows: every host crate checked and linted for them (not built or run here).
scripts/cross-check.sh

# The publishable crates as a registry would get them: `cargo package` packs each and builds
# it from its package alone (the guest from the source docsandbox-guest-wasm carries, in a
# target directory of its own), and each must fit crates.io's 10 MiB limit.
cargo package --locked --allow-dirty -p docsandbox-protocol -p docsandbox-guest-fonts -p docsandbox-guest-wasm -p docsandbox -p docsandbox-cli
for crate in target/package/*.crate; do
  size=$(stat -c %s "$crate")
  echo "$crate: $size bytes"
  [ "$size" -le 10485760 ] || { echo "$crate is larger than crates.io accepts" >&2; exit 1; }
done

# Host library, CLI, protocol, the integration suites in tests/ (these build the guest),
# examples, and the benchmarks run once each in test mode; then the doc tests.
cargo test --release --workspace --all-targets --locked
cargo test --release --workspace --doc --locked

# The guest's own unit tests run natively (its .cargo/config.toml targets wasm32-wasip1).
(cd guest && cargo test --release --locked --features fuzzing --target "$(rustc -vV | sed -n 's/^host: //p')")

# The Python package as its users get it: a wheel built by pip (cargo builds the shared
# library it carries) installed into a fresh venv, then its tests with pytest, NumPy and
# Pillow (from outside the source tree, so that the installed package is what is tested).
pyvenv=target/python-venv
rm -rf "$pyvenv"
python3 -m venv "$pyvenv"
"$pyvenv/bin/pip" install --quiet --disable-pip-version-check ./python pytest numpy pillow mypy
"$pyvenv/bin/mypy" --strict --no-error-summary python/src/docsandbox
(cd python/tests && DOCSANDBOX_REQUIRE_EXTRAS=1 DOCSANDBOX_WORKER="$PWD/../../target/release/docsandbox-worker" \
  "../../$pyvenv/bin/python" -m pytest -q -p no:cacheprovider)

# deploy/: the Kubernetes manifests against the API schemas, their hardening, and the real
# program started with the container's settings (deploy/check.py), in a venv of its own.
venv=target/deploy-venv
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check kubernetes-validate pyyaml
fi
PATH="$PWD/$venv/bin:$PATH" "$venv/bin/python" deploy/check.py target/release/docsandbox

# The fuzz targets must keep compiling, lint-free (running them needs nightly: see
# fuzz/README.md).
cargo clippy --release --locked --manifest-path fuzz/Cargo.toml --all-targets -- -D warnings

# Known advisories (RustSec) against every lockfile: the host's, the guest's and the fuzz
# targets'. Offline, from the snapshot in ../shared/advisory-db.
advisories="${DOCSANDBOX_ADVISORY_DB:-../shared/advisory-db}"
if [ -d "$advisories" ]; then
  command -v cargo-audit >/dev/null 2>&1 || cargo install --locked cargo-audit
  for lock in Cargo.lock guest/Cargo.lock fuzz/Cargo.lock; do
    echo "cargo audit: $lock"
    cargo audit --db "$(cd "$advisories" && pwd)" --no-fetch --deny warnings --file "$lock"
  done
else
  echo "skipping cargo audit: no advisory database at $advisories (set DOCSANDBOX_ADVISORY_DB)"
fi

echo "all tests passed"
